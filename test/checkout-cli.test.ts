/**
 * `npm run conformance` in a checkout (.ci/cli.mjs): it runs dist/cli/bin.js, building dist/ first when there is
 * none or when what it is built from changed (src/, the build script, package.json, the installed dependencies), and
 * only then; a file the build does not read (a suite) changes nothing. A failed build exits 3 and leaves the previous
 * dist/ as it was; a build killed midway leaves folders the next build removes once their process has ended.
 * Each test runs it on a small checkout of its own whose .ci/build.mjs is a stand-in that writes a dist/cli/bin.js.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/harness.ts';

/**
 * The stand-in build: counts its runs, fails when told to, and writes a bin.js that prints its arguments and exits
 * with the code its first argument names (`exit=N`), tagged with the build's number.
 */
const STAND_IN_BUILD = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
appendFileSync('builds.log', process.argv[2] + '\\n');
if (existsSync('fail-build')) {
  process.stderr.write('✘ [ERROR] Expected ";" but found "}" (src/cli/bin.ts:3:1)\\n');
  process.exit(1);
}
const build = readFileSync('builds.log', 'utf8').trim().split('\\n').length;
mkdirSync(join(process.argv[2], 'cli'), { recursive: true });
writeFileSync(join(process.argv[2], 'cli/bin.js'), \`
process.stdout.write('build \${build}: ' + process.argv.slice(2).join(' ') + '\\\\n');
process.exitCode = Number(/^exit=(\\\\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 0);
\`);
process.stdout.write('built\\n');
`;

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'checkout-cli-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

let checkouts = 0;
/** A checkout of its own: src/ with two files, the stand-in build, package.json, an installed lock, a suite. */
async function checkout(): Promise<string> {
  const root = join(base, `checkout-${++checkouts}`);
  await mkdir(join(root, 'src/cli'), { recursive: true });
  await mkdir(join(root, '.ci'), { recursive: true });
  await mkdir(join(root, 'node_modules'), { recursive: true });
  await mkdir(join(root, 'suites'), { recursive: true });
  await writeFile(join(root, 'src/cli/bin.ts'), 'export {};\n');
  await writeFile(join(root, 'src/errors.ts'), 'export const A = 1;\n');
  await writeFile(join(root, '.ci/build.mjs'), STAND_IN_BUILD);
  await writeFile(join(root, '.ci/build-schemas-entry.ts'), 'export {};\n');
  await writeFile(join(root, 'package.json'), '{ "name": "x" }\n');
  await writeFile(join(root, 'node_modules/.package-lock.json'), '{ "packages": {} }\n');
  await writeFile(join(root, 'suites/a.suite.yaml'), 'cases: []\n');
  return root;
}

/** .ci/cli.mjs on `root` with `args`. */
function launch(root: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, '.ci/cli.mjs'), ...args], { cwd: root, env: { ...process.env, MANTLE_CLI_ROOT: root } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const builds = async (root: string) => (await readFile(join(root, 'builds.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
/** What the checkout's top level holds besides its own files: dist/ and whatever a build left. */
const leftovers = async (root: string) => (await readdir(root)).filter((name) => name.startsWith('dist')).sort();

describe('the checkout CLI (npm run conformance)', () => {
  it('builds dist/ when there is none, runs it with the arguments and its exit code, and builds nothing the next time', async () => {
    const root = await checkout();
    const first = await launch(root, ['exit=4', 'run', '--models', 'x']);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toBe('build 1: exit=4 run --models x\n');
    expect(first.stderr).toMatch(/^building dist\/ \(no build of this checkout yet\) \.\.\.\nbuilt dist\/ in \d+\.\d s\n$/);
    const again = await launch(root, ['run']);
    expect(again).toEqual({ code: 0, stdout: 'build 1: run\n', stderr: '' });
    expect(await builds(root)).toBe(1);
    expect(await leftovers(root)).toEqual(['dist']);
  });

  it.each([
    ['a file in src/', 'src/errors.ts', 'export const A = 2;\n'],
    ['a new file in src/', 'src/checks/new.ts', 'export {};\n'],
    ['the build script', '.ci/build-schemas-entry.ts', 'export const B = 1;\n'],
    ['package.json', 'package.json', '{ "name": "y" }\n'],
    ['the installed dependencies (npm install)', 'node_modules/.package-lock.json', '{ "packages": { "node_modules/a": {} } }\n'],
  ])('builds again after a change to %s, and only once', async (_what, file, text) => {
    const root = await checkout();
    await launch(root, ['run']);
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
    const changed = await launch(root, ['run', '--quiet']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toBe('build 2: run --quiet\n');
    // --quiet: nothing on stderr, the build's lines included.
    expect(changed.stderr).toBe('');
    expect((await launch(root, ['run'])).stdout).toBe('build 2: run\n');
    expect(await builds(root)).toBe(2);
    expect(await leftovers(root)).toEqual(['dist']);
  });

  it('does not build again for what the build does not read: a suite, the reports, a file restored as it was', async () => {
    const root = await checkout();
    await launch(root, ['run']);
    await writeFile(join(root, 'suites/a.suite.yaml'), 'cases: [x]\n');
    await mkdir(join(root, 'reports'));
    // Content, not times: a file written again with the same text (a checkout of the same branch) changes nothing.
    await writeFile(join(root, 'src/errors.ts'), 'export const A = 1;\n');
    await utimes(join(root, 'src/errors.ts'), new Date(), new Date(Date.now() + 60_000));
    expect((await launch(root, ['run'])).stdout).toBe('build 1: run\n');
    expect(await builds(root)).toBe(1);
  });

  it('a failed build exits 3 with the build\'s message and how to go on, and leaves the previous dist/ as it was', async () => {
    const root = await checkout();
    await launch(root, ['run']);
    await writeFile(join(root, 'src/errors.ts'), 'export const A = ;\n');
    await writeFile(join(root, 'fail-build'), '');
    const failed = await launch(root, ['run']);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('Expected ";" but found "}" (src/cli/bin.ts:3:1)');
    expect(failed.stderr).toMatch(/the build of dist\/ from src\/ failed \(exit 1\); fix what it says above and run the command again\n$/);
    expect(await leftovers(root)).toEqual(['dist']);
    // Fixed: built and run.
    await rm(join(root, 'fail-build'));
    await writeFile(join(root, 'src/errors.ts'), 'export const A = 3;\n');
    expect((await launch(root, ['run'])).stdout).toBe('build 3: run\n');
  });

  it('removes what a killed build left once its process has ended and it is a minute old; a young one or a running process\'s stays', async () => {
    const root = await checkout();
    const old = new Date(Date.now() - 120_000);
    // A pid no process has (above Linux's pid_max), and this process's own (running).
    const left = ['dist.building-99999999', 'dist.old-99999998', `dist.building-${process.pid}`, 'dist.building-99999997'];
    for (const name of left) await mkdir(join(root, name, 'cli'), { recursive: true });
    for (const name of left.slice(0, 3)) await utimes(join(root, name), old, old);
    // Something else of the user's that only looks alike.
    await mkdir(join(root, 'dist.backup'));
    const run = await launch(root, ['run']);
    expect(run.code, run.stderr).toBe(0);
    expect(await leftovers(root)).toEqual(['dist', 'dist.backup', 'dist.building-99999997', `dist.building-${process.pid}`].sort());
    expect(existsSync(join(root, 'dist/.built-from'))).toBe(true);
  });
});
