/**
 * Global setup of `npm test`: builds the package once (.ci/build.mjs, a second or two) into a folder laid out as
 * npm installs it, below the checkout's node_modules so that vitest resolves for a run on vitest. Tests that need a
 * child process run this build (`packageBin()` in harness.ts): what users run, without compiling TypeScript at every
 * start; test/package.test.ts checks it against the source.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

declare module 'vitest' {
  interface ProvidedContext {
    /** The built package's root folder (package.json, dist/, suites/, fixtures/). */
    packageRoot: string;
  }
}

/** Whether process `pid` is running (a permission error says it is, someone else's). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cache = join(ROOT, 'node_modules', '.cache');
  // The packages of runs that were killed before their teardown (a SIGKILL of the whole job), named after a vitest
  // process that is no longer running.
  const stale = (await readdir(cache).catch(() => [])).filter((name) => /^mantle-conformance-test-\d+$/.test(name) && !running(Number(name.slice(24))));
  await Promise.all(stale.map((name) => rm(join(cache, name), { recursive: true, force: true })));
  const root = join(cache, `mantle-conformance-test-${process.pid}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), await readFile(join(ROOT, 'package.json')));
  for (const name of ['suites', 'fixtures']) await symlink(join(ROOT, name), join(root, name));
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, '.ci/build.mjs'), join(root, 'dist')], { cwd: ROOT }, (error, stdout, stderr) => (error ? reject(new Error(`the build failed:\n${stdout}${stderr}`)) : resolve()));
  });
  project.provide('packageRoot', root);
  return () => rm(root, { recursive: true, force: true });
}
