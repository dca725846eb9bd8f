/**
 * @module package-root
 * Where the harness is installed, found from any module: the nearest folder above it that holds a package.json.
 * The same answer from source (`src/...`), from the bundle's entry points (`dist/cli/bin.js`) and from its
 * shared chunks (`dist/chunk-*.js`), which is why paths are never computed relative to a module's own file.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  return dir;
}

/** Whether the calling module runs from TypeScript source (a checkout, tests) rather than the built bundle. */
export function fromSource(moduleUrl: string): boolean {
  return moduleUrl.endsWith('.ts');
}
