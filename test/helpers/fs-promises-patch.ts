/**
 * A race made deterministic: a hook run once right after a real node:fs/promises call on a path a test picks (a
 * link repointed right after the input is opened, or when the first report is staged). The CommonJS object of the
 * module is what syncBuiltinESMExports copies into every ESM binding of it, so the harness's own imports see the
 * patch. `restoreFsPromises` (in afterEach) puts the real calls back.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

type Patched = 'open' | 'writeFile';
const writable = createRequire(import.meta.url)('node:fs/promises') as Record<Patched, (...args: unknown[]) => Promise<unknown>>;
const real = { open: writable.open, writeFile: writable.writeFile };

/** Runs `hook` once, after the real call, when `call` is given a path `when` accepts. */
export function patchFsPromises(call: Patched, when: (path: string) => boolean, hook: () => Promise<void>): void {
  let done = false;
  writable[call] = async (...args: unknown[]) => {
    const result = await real[call](...args);
    if (!done && when(String(args[0]))) {
      done = true;
      await hook();
    }
    return result;
  };
  syncBuiltinESMExports();
}

export function restoreFsPromises(): void {
  Object.assign(writable, real);
  syncBuiltinESMExports();
}
