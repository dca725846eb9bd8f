/**
 * Global setup of `npm test`: the package built once (the checkout's build, .ci/cli.mjs) copied into a folder laid out as
 * npm installs it, below the checkout's node_modules so that vitest resolves for a run on vitest. Tests that need a
 * child process run this build (`packageBin()` in harness.ts): what users run, without compiling TypeScript at every
 * start; test/package.test.ts checks it against the source.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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

/** This process's pid namespace and a process's start time (Linux's /proc), or undefined without them. */
function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Who built a package: read by a later run to tell whether that run has ended. */
interface Owner {
  pid: number;
  start: string;
  namespace: string;
}

/**
 * The packages of runs that ended before their teardown (a SIGKILL of the whole job): their owner file names a
 * vitest process of this pid namespace that is no longer running (its pid free, or another process's now). A
 * folder without one, or of another namespace (a container sharing the checkout), is left alone.
 */
async function staleOnes(cache: string): Promise<string[]> {
  const namespace = pidNamespace();
  if (!namespace) return [];
  const stale: string[] = [];
  for (const name of await readdir(cache).catch(() => [])) {
    if (!/^mantle-conformance-test-\d+$/.test(name)) continue;
    const owner = await readFile(join(cache, name, 'owner.json'), 'utf8').then((text) => JSON.parse(text) as Owner, () => undefined);
    if (owner?.namespace === namespace && startOf(owner.pid) !== owner.start) stale.push(name);
  }
  return stale;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cache = join(ROOT, 'node_modules', '.cache');
  await Promise.all((await staleOnes(cache)).map((name) => rm(join(cache, name), { recursive: true, force: true })));
  const root = join(cache, `mantle-conformance-test-${process.pid}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const namespace = pidNamespace();
  const start = startOf(process.pid);
  if (namespace && start) await writeFile(join(root, 'owner.json'), JSON.stringify({ pid: process.pid, start, namespace } satisfies Owner));
  await writeFile(join(root, 'package.json'), await readFile(join(ROOT, 'package.json')));
  for (const name of ['suites', 'fixtures']) await symlink(join(ROOT, name), join(root, name));
  // The checkout's build of these sources (.ci/cli.mjs: made once per hash of what a build reads; `npm run
  // conformance` made it already on a fresh clone, an earlier `npm test` on an unchanged one), copied: building
  // again took 2.3 s of a single core before any test could start.
  const built = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, '.ci/cli.mjs'), '--quiet'], { cwd: ROOT, env: { ...process.env, MANTLE_CLI_BUILD_ONLY: '1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`the build failed:\n${stdout}${stderr}`)) : resolve(stdout.trim()),
    );
  });
  await cp(join(built, 'dist'), join(root, 'dist'), { recursive: true });
  project.provide('packageRoot', root);
  return () => rm(root, { recursive: true, force: true });
}
