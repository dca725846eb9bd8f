/**
 * @module package-root
 * Where the harness is installed, found from any module: the nearest folder above it that holds a package.json.
 * The same answer from source (`src/...`), from the bundle's entry points (`dist/cli/bin.js`) and from its
 * shared chunks (`dist/chunk-*.js`), which is why paths are never computed relative to a module's own file; and so
 * what the bundle's own files are: what the build precompiled, and the module a worker thread runs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

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

/** Where a worker module is below the package root: its source, and what the build made of it. */
export interface WorkerPaths {
  source: string;
  built: string;
}

/**
 * How a pool starts its workers; `startHarnessWorker` unless a caller passes its own (the tests start the package's
 * built workers, which start in a fraction of the time a worker compiling the source through tsx takes).
 */
export type StartWorker = (paths: WorkerPaths, options?: WorkerOptions) => Worker;

/**
 * A worker thread running one of the harness's own modules: `built` (below the package root) when installed,
 * `source` from a checkout or the tests, with tsx registered in the thread first (a worker's `--import` does not
 * apply to its own entry module). This module's own place says which: it is bundled or run from source with the rest.
 */
export const startHarnessWorker: StartWorker = (paths, options = {}) => {
  const root = packageRoot(import.meta.url);
  if (!fromSource(import.meta.url)) return new Worker(join(root, paths.built), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(join(root, paths.source)).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { ...options, eval: true });
};

/**
 * The exports of a CommonJS file the build wrote to `path` below the package root (.ci/build.mjs): precompiled
 * validators, the bundled YAML's parse; by name, for a module running from the bundle. Undefined from source (what
 * they were made from may be newer than any build) or when the package has no such file. `moduleUrl` is the
 * caller's `import.meta.url`.
 */
export function builtExports<T>(moduleUrl: string, path: string): Record<string, T | undefined> | undefined {
  if (fromSource(moduleUrl)) return undefined;
  try {
    return createRequire(moduleUrl)(join(packageRoot(moduleUrl), path)) as Record<string, T | undefined>;
  } catch {
    return undefined;
  }
}
