/**
 * `npm run conformance` in a checkout (.ci/cli.mjs): it runs a build of the checkout laid out as npm installs the
 * package, below node_modules/.cache/mantle-conformance-checkout/<hash of the build's inputs>/, building it first
 * when there is none for the inputs as they are (src/, the build scripts, package.json, tsconfig.json, the installed
 * dependencies), and only then; a file the build does not read (a suite) changes nothing. A build is never changed
 * or removed while a command may be running from it: one started before a rebuild still loads its own modules. A
 * failed build exits 3; what a killed build left, and builds unused for a day beyond the newest three, are removed.
 * Each test runs it on a small checkout of its own whose .ci/build.mjs is a stand-in that writes a dist/cli/bin.js.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/harness.ts';

/**
 * The stand-in build: counts its runs, fails when told to, and writes a bin.js that prints its arguments and exits
 * with the code its first argument names (`exit=N`), tagged with the build's number; `late FILE` first waits until
 * FILE exists (the test makes it once the rebuild is done: no fixed sleep that a slow rebuild could outlast), then
 * imports a module of its own build (as the CLI loads a chunk when it needs it).
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
writeFileSync(join(process.argv[2], 'late.js'), 'export const build = ' + build + ';\\n');
writeFileSync(join(process.argv[2], 'cli/bin.js'), \`
const args = process.argv.slice(2);
if (args[0] === 'late') {
  const { existsSync } = await import('node:fs');
  // Never for ever: a test that failed before it said go leaves no process behind.
  for (let waited = 0; !existsSync(args[1]); waited += 20) {
    if (waited > 30000) process.exit(9);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { build } = await import('../late.js');
  process.stdout.write('late module of build ' + build + '\\\\n');
}
process.stdout.write('build \${build}: ' + args.join(' ') + '\\\\n');
process.exitCode = Number(/^exit=(\\\\d+)$/.exec(args[0] ?? '')?.[1] ?? 0);
\`);
process.stdout.write('built\\n');
`;

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'checkout-cli-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

let checkouts = 0;
/** A checkout of its own: src/ with two files, the stand-in build, package.json, an installed lock, suites, fixtures. */
async function checkout(): Promise<string> {
  const root = join(base, `checkout-${++checkouts}`);
  for (const dir of ['src/cli', '.ci', 'node_modules', 'suites', 'fixtures']) await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, 'src/cli/bin.ts'), 'export {};\n');
  await writeFile(join(root, 'src/errors.ts'), 'export const A = 1;\n');
  await writeFile(join(root, '.ci/build.mjs'), STAND_IN_BUILD);
  await writeFile(join(root, '.ci/build-schemas-entry.ts'), 'export {};\n');
  await writeFile(join(root, 'package.json'), '{ "name": "x", "version": "1.2.3" }\n');
  await writeFile(join(root, 'tsconfig.json'), '{}\n');
  await writeFile(join(root, 'node_modules/.package-lock.json'), '{ "packages": {} }\n');
  await writeFile(join(root, 'suites/a.suite.yaml'), 'cases: []\n');
  return root;
}

interface Launched {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** .ci/cli.mjs on `root` with `args`. */
function launch(root: string, args: string[]): Promise<Launched> {
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
const buildsDir = (root: string) => join(root, 'node_modules/.cache/mantle-conformance-checkout');
/** The folders below the builds folder, sorted. */
const folders = async (root: string) => (await readdir(buildsDir(root)).catch(() => [] as string[])).sort();
const HASH = /^[0-9a-f]{64}$/;

/** Waits until a command holds a lease on the build `name` (it chose that build; what changes next is not its). */
async function untilLeased(root: string, name: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    if ((await readdir(join(buildsDir(root), name)).catch(() => [] as string[])).some((file) => file.startsWith('.in-use-'))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no command took a lease on ${name}`);
}

describe('the checkout CLI (npm run conformance)', () => {
  it('builds when there is none, laid out as npm installs the package, runs it with the arguments and its exit code, and builds nothing the next time', async () => {
    const root = await checkout();
    const first = await launch(root, ['exit=4', 'run', '--models', 'x']);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toBe('build 1: exit=4 run --models x\n');
    expect(first.stderr).toMatch(/^building the CLI from src\/ \(no build of this checkout yet\) \.\.\.\nbuilt in \d+\.\d s\n$/);
    const [only, ...others] = await folders(root);
    expect(others).toEqual([]);
    expect(only).toMatch(HASH);
    const build = join(buildsDir(root), only!);
    expect(await readFile(join(build, 'package.json'), 'utf8')).toContain('"version": "1.2.3"');
    for (const linked of ['suites', 'fixtures']) expect(lstatSync(join(build, linked)).isSymbolicLink(), linked).toBe(true);
    // The checkout's own dist/ is npm run build's: not made here.
    expect(existsSync(join(root, 'dist'))).toBe(false);
    const again = await launch(root, ['run']);
    expect(again).toEqual({ code: 0, stdout: 'build 1: run\n', stderr: '' });
    expect(await builds(root)).toBe(1);
  });

  it.each([
    ['a file in src/', 'src/errors.ts', 'export const A = 2;\n'],
    ['a new file in src/', 'src/checks/new.ts', 'export {};\n'],
    ['the build script', '.ci/build-schemas-entry.ts', 'export const B = 1;\n'],
    ['package.json', 'package.json', '{ "name": "y" }\n'],
    ['tsconfig.json', 'tsconfig.json', '{ "compilerOptions": {} }\n'],
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
    // Both builds stay: the first may still be in use.
    expect((await folders(root)).filter((name) => HASH.test(name))).toHaveLength(2);
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

  /**
   * A checkout with one build and a command started from it that loads a module of its build once told to; resolved
   * once the command holds its lease. `ended` tells it to go on, and checks that it ran, start to end, from build 1.
   */
  async function runningFromFirstBuild() {
    const root = await checkout();
    await launch(root, ['run']);
    const [first] = await folders(root);
    const go = join(root, 'go');
    const running = launch(root, ['late', go]);
    await untilLeased(root, first!);
    const ended = async () => {
      await writeFile(go, '');
      const late = await running;
      expect(late.code, late.stderr).toBe(0);
      expect(late.stdout).toBe(`late module of build 1\nbuild 1: late ${go}\n`);
    };
    return { root, first: first!, ended };
  }

  it('a command still running from a build keeps loading its own modules while another builds a newer one', async () => {
    const { root, ended } = await runningFromFirstBuild();
    await writeFile(join(root, 'src/errors.ts'), 'export const A = 2;\n');
    expect((await launch(root, ['run'])).stdout).toBe('build 2: run\n');
    await ended();
  });

  it('a build a running command holds is not removed, however old and however many builds came after it', async () => {
    const { root, first: held, ended } = await runningFromFirstBuild();
    const dir = buildsDir(root);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    await utimes(join(dir, held), twoDaysAgo, twoDaysAgo);
    for (const digit of ['1', '2', '3']) await mkdir(join(dir, digit.repeat(64)), { recursive: true });
    await writeFile(join(root, 'src/errors.ts'), 'export const A = 2;\n');
    expect((await launch(root, ['run'])).stdout).toBe('build 2: run\n');
    expect(await folders(root)).toContain(held);
    await ended();
    // Its command ended: the next run removes it.
    await utimes(join(dir, held), twoDaysAgo, twoDaysAgo);
    await launch(root, ['run']);
    expect(await folders(root)).not.toContain(held);
  });

  it('a folder of the hash\'s name that is not a whole build (what a crash left) is replaced by a new build', async () => {
    const root = await checkout();
    await launch(root, ['run']);
    const [only] = await folders(root);
    await rm(join(buildsDir(root), only!, '.complete'));
    await rm(join(buildsDir(root), only!, 'dist/cli'), { recursive: true });
    const again = await launch(root, ['run']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('build 2: run\n');
    expect(await folders(root)).toEqual([only]);
    expect((await launch(root, ['run'])).stdout).toBe('build 2: run\n');
  });

  it('two checkouts sharing one node_modules (worktrees) never share a build: each build links its own checkout', async () => {
    const first = await checkout();
    const second = await checkout();
    await rm(join(second, 'node_modules'), { recursive: true });
    await symlink(join(first, 'node_modules'), join(second, 'node_modules'));
    await launch(first, ['run']);
    await launch(second, ['run']);
    const made = (await folders(first)).filter((name) => HASH.test(name));
    expect(made).toHaveLength(2);
    const linked = await Promise.all(made.map((name) => realpath(join(buildsDir(first), name, 'suites'))));
    expect(linked.sort()).toEqual([await realpath(join(first, 'suites')), await realpath(join(second, 'suites'))].sort());
  });

  it('commands that start together and prune together all run: a build another removed first is skipped', async () => {
    const root = await checkout();
    await launch(root, ['run']);
    const dir = buildsDir(root);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    // Forty builds unused for two days, one with the lease of a command killed long ago (a pid no process has).
    for (let i = 0; i < 40; i++) {
      const name = i.toString(16).padStart(64, '0');
      await mkdir(join(dir, name, 'dist'), { recursive: true });
      await writeFile(join(dir, name, '.complete'), '');
      if (i === 0) await writeFile(join(dir, name, '.in-use-99999999'), '');
      await utimes(join(dir, name), twoDaysAgo, twoDaysAgo);
    }
    const runs = await Promise.all([1, 2, 3, 4].map(() => launch(root, ['run'])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect((await folders(root)).filter((name) => HASH.test(name))).toHaveLength(3);
  });

  it('two commands at once with no build: both run, one build is kept', async () => {
    const root = await checkout();
    const [a, b] = await Promise.all([launch(root, ['run']), launch(root, ['run'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/^build \d: run\nbuild \d: run\n$/);
    expect((await folders(root)).filter((name) => !name.startsWith('.'))).toEqual([expect.stringMatching(HASH)]);
  });

  it('a failed build exits 3 with the build\'s message and how to go on, and leaves the builds there were as they were', async () => {
    const root = await checkout();
    await launch(root, ['run']);
    const before = await folders(root);
    await writeFile(join(root, 'src/errors.ts'), 'export const A = ;\n');
    await writeFile(join(root, 'fail-build'), '');
    const failed = await launch(root, ['run']);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('Expected ";" but found "}" (src/cli/bin.ts:3:1)');
    expect(failed.stderr).toMatch(/the build of the CLI from src\/ failed \(exit 1\); fix what it says above and run the command again\n$/);
    expect(await folders(root)).toEqual(before);
    // Fixed: built and run.
    await rm(join(root, 'fail-build'));
    await writeFile(join(root, 'src/errors.ts'), 'export const A = 3;\n');
    expect((await launch(root, ['run'])).stdout).toBe('build 3: run\n');
  });

  it('removes what a killed build left once its process has ended and it is a minute old, and builds unused for a day beyond the newest three', async () => {
    const root = await checkout();
    const dir = buildsDir(root);
    const hex = (digit: string) => digit.repeat(64);
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    // Builds last used an hour, two, three and four days ago; one killed midway (a pid no process has, above Linux's
    // pid_max), an old one of this process (running) and a young one; and something else that only looks alike.
    const made = { [hex('a')]: 1, [hex('b')]: 48, [hex('c')]: 72, [hex('d')]: 96, [`${hex('e')}.building-99999999`]: 2, [`${hex('e')}.building-${process.pid}`]: 2, [`${hex('f')}.building-99999998`]: 0, notes: 200 };
    for (const [name, hours] of Object.entries(made)) {
      await mkdir(join(dir, name), { recursive: true });
      if (HASH.test(name)) await writeFile(join(dir, name, '.complete'), '');
      await utimes(join(dir, name), hoursAgo(hours), hoursAgo(hours));
    }
    const run = await launch(root, ['run']);
    expect(run.code, run.stderr).toBe(0);
    const current = (await folders(root)).find((name) => HASH.test(name) && !(name in made))!;
    expect(await folders(root)).toEqual([current, hex('a'), hex('b'), `${hex('e')}.building-${process.pid}`, `${hex('f')}.building-99999998`, 'notes'].sort());
  });
});
