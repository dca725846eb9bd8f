/**
 * `npm test`'s wrapper (.ci/test.mjs) with stand-ins for tsc and vitest: the typecheck's output comes after the
 * tests' last line, the exit code says which failed, arguments reach vitest; a SIGTERM, SIGINT or SIGHUP sent to the
 * wrapper alone (a CI job cancelled), to its process group (Ctrl-C at a terminal, a runner's SIGKILL), or its parent
 * ending (npm's shell does not pass a SIGTERM on) stops both commands and everything they started, removes only the
 * package the stopped vitest had built, and exits 128 + the signal's number.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/harness.ts';

const CACHE = join(ROOT, 'node_modules', '.cache');

/**
 * A stand-in command: `behaviour` is `pass`, `fail`, or `hang`, `stubborn` and `selfkill`: each starts a grandchild
 * and waits for ever, or (selfkill) SIGKILLs itself.
 */
const STAND_IN = `
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The wrapper starts tsc with --noEmit and vitest with run.
const name = process.argv[2] === '--noEmit' ? 'TSC' : 'VITEST';
const [dir, behaviour] = [process.env.STAND_IN_DIR, process.env['STAND_IN_' + name]];
// Whole or not at all: the test acts as soon as a file is there.
const note = (file, text) => {
  writeFileSync(join(dir, file + '.tmp'), text);
  renameSync(join(dir, file + '.tmp'), join(dir, file));
};
if (name === 'VITEST') {
  // What the global setup does: a package named after this process.
  const built = join(process.env.STAND_IN_CACHE, 'mantle-conformance-test-' + process.pid);
  mkdirSync(built, { recursive: true });
  // And what its teardown does when the run ends on its own.
  process.on('exit', () => rmSync(built, { recursive: true, force: true }));
  note('VITEST.pid', String(process.pid));
  process.stderr.write('vitest args: ' + process.argv.slice(2).join(' ') + '\\n');
}
if (['hang', 'stubborn', 'selfkill'].includes(behaviour)) {
  // A grandchild that ends on a signal, or (stubborn) one that ignores INT, TERM and HUP, as a worker closing a
  // browser did.
  const ignore = behaviour === 'hang' ? '' : "for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});";
  // Noted once it says it is ready (its handlers in place), so that a signal the test sends finds them.
  const child = spawn(process.execPath, ['-e', ignore + "process.stdout.write('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.once('data', () => {
    note(name + '.grandchild', String(child.pid));
    // Killed outright (the OOM killer), its grandchild left behind; after the wrapper has looked (every 250 ms).
    if (behaviour === 'selfkill') setTimeout(() => process.kill(process.pid, 'SIGKILL'), 600);
  });
  setInterval(() => {}, 1000);
} else {
  setTimeout(() => {
    if (name === 'TSC' && behaviour === 'fail') process.stdout.write("src/x.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\\n");
    if (name === 'VITEST') process.stderr.write('vitest last line\\n');
    process.exit(behaviour === 'fail' ? (name === 'TSC' ? 2 : 1) : 0);
  }, name === 'VITEST' ? 300 : 50);
}
`;

let root: string;
let standIn: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'npm-test-wrapper-'));
  standIn = join(root, 'stand-in.mjs');
  await writeFile(standIn, STAND_IN);
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Wrapped {
  code: number | null;
  stderr: string;
  /** The stand-ins' folder: the pids of their children (TSC.grandchild, VITEST.grandchild) and vitest's (VITEST.pid). */
  dir: string;
}

/**
 * The wrapper's environment: the stand-ins with `tsc` and `vitest` behaviours, reporting into `dir`; as `npm test`
 * starts it (npm_lifecycle_event set) unless `byNpm` is false. Its grace periods are shorter than its own (1 s for a
 * group's signal, 3 s before what is left is killed): what the tests see is that each is waited out and then acted on,
 * not how long it is; every run waited out the full ones.
 */
function standInEnv(dir: string, tsc: string, vitest: string, byNpm = true, killGraceMs = 600): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MANTLE_WRAPPER_TSC: standIn,
    MANTLE_WRAPPER_VITEST: standIn,
    MANTLE_WRAPPER_GROUP_GRACE_MS: '300',
    MANTLE_WRAPPER_KILL_GRACE_MS: String(killGraceMs),
    STAND_IN_DIR: dir,
    STAND_IN_CACHE: CACHE,
    STAND_IN_TSC: tsc,
    STAND_IN_VITEST: vitest,
  };
  if (byNpm) env.npm_lifecycle_event = 'test';
  else delete env.npm_lifecycle_event;
  return env;
}

/** Once the stand-ins `names` in `dir` have started their grandchildren. */
async function startedIn(dir: string, stderr: () => string, names = ['TSC', 'VITEST']): Promise<void> {
  for (let waited = 0; !names.every((name) => existsSync(join(dir, `${name}.grandchild`))); waited += 20) {
    if (waited > 20_000) throw new Error(`the stand-ins never started: ${stderr()}`);
    await sleep(20);
  }
}

/** The grandchildren the stand-ins in `dir` started. */
const grandchildrenIn = (dir: string) => Promise.all(['TSC', 'VITEST'].map(async (name) => Number(await readFile(join(dir, `${name}.grandchild`), 'utf8'))));

/**
 * How a run is stopped once both stand-ins have started their grandchildren: `signal` sent to the wrapper alone, to
 * its whole process group (a terminal's Ctrl-C, a job runner's kill), or the wrapper's parent killed.
 */
interface Stop {
  signal: NodeJS.Signals;
  to: 'wrapper' | 'group' | 'parent';
}

/** The wrapper with both stand-ins, stopped as `stop` says; `code` is null when its parent or group was killed. */
async function wrapper(tsc: string, vitest: string, args: string[] = [], stop?: Stop): Promise<Wrapped> {
  // Where the stand-ins say which processes they started: one folder per run, so that runs can overlap.
  const dir = await mkdtemp(join(root, 'run-'));
  const env = standInEnv(dir, tsc, vitest);
  const script = [join(ROOT, '.ci/test.mjs'), ...args];
  // Its own group, as a shell gives a job; through `sh` when the parent is what ends.
  const child =
    stop?.to === 'parent'
      ? spawn('sh', ['-c', '"$@" & wait', 'sh', process.execPath, ...script], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
      : spawn(process.execPath, script, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close' waits for the wrapper too: it holds the pipe after its parent is gone.
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  if (stop) {
    await startedIn(dir, () => stderr);
    // The wrapper looks for what its children started every 250 ms: a group signal in the moment after a grandchild
    // started, before any look, ends its parent and hands it to init unseen (the window of the polling, not what is
    // tested here; under a loaded machine's delays it was hit).
    if (stop.to === 'group') await sleep(750);
    if (stop.to === 'group') process.kill(-child.pid!, stop.signal);
    else child.kill(stop.signal);
  }
  return { code: await ended, stderr, dir };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm test (.ci/test.mjs)', () => {
  it('prints a failed typecheck after the tests ended and exits with its code; arguments reach vitest', async () => {
    const { code, stderr } = await wrapper('fail', 'pass', ['test/x.test.ts', '-t', 'y']);
    expect(code).toBe(2);
    expect(stderr).toContain('vitest args: run --project unit test/x.test.ts -t y');
    const last = stderr.indexOf('vitest last line');
    expect(last).toBeGreaterThan(-1);
    expect(stderr.indexOf('error TS2322')).toBeGreaterThan(last);
    expect(stderr).toMatch(/typecheck failed \(above\): fix the type errors; the tests exited 0/);
  });

  it("exits with the tests' code when the typecheck passed", async () => {
    expect((await wrapper('pass', 'fail')).code).toBe(1);
    expect((await wrapper('pass', 'pass')).code).toBe(0);
  });

  // At once: most of each is waiting.
  it.concurrent.each([
    [{ signal: 'SIGTERM', to: 'wrapper' }, 143, 'hang'],
    [{ signal: 'SIGINT', to: 'wrapper' }, 130, 'hang'],
    [{ signal: 'SIGHUP', to: 'wrapper' }, 129, 'hang'],
    // A terminal's Ctrl-C reaches every process of the group, but ends at once a child with no handler, whose own
    // children it hands to init: one that outlives the signal is still found and stopped.
    [{ signal: 'SIGINT', to: 'group' }, 130, 'stubborn'],
    // A runner's SIGKILL of the group, which nothing outlives.
    [{ signal: 'SIGKILL', to: 'group' }, null, 'hang'],
    // npm's shell does not pass a SIGTERM on; the wrapper sees its parent end.
    [{ signal: 'SIGKILL', to: 'parent' }, null, 'hang'],
  ] as const)('%o: both commands and what they started stop; only their package is removed', async (stop, exitCode, behaviour) => {
    // Another run's package (another vitest's pid) is not this run's to remove.
    const other = join(CACHE, `mantle-conformance-test-wrapper-other-${stop.to}-${stop.signal}`);
    await mkdir(other, { recursive: true });
    let built: string | undefined;
    try {
      const { code, stderr, dir } = await wrapper(behaviour, behaviour, [], stop);
      expect(code).toBe(exitCode);
      if (stop.signal !== 'SIGKILL') expect(stderr).toContain(`npm test interrupted (${stop.signal})`);
      if (stop.to === 'parent') expect(stderr).toContain('npm test interrupted (SIGTERM)');
      const grandchildren = await grandchildrenIn(dir);
      for (const pid of grandchildren) expect(pid).toBeGreaterThan(0);
      for (let waited = 0; grandchildren.some(alive) && waited < 5_000; waited += 50) await sleep(50);
      expect(grandchildren.filter(alive)).toEqual([]);
      built = join(CACHE, `mantle-conformance-test-${await readFile(join(dir, 'VITEST.pid'), 'utf8')}`);
      // Nothing is left to remove it after a SIGKILL of the whole group.
      if (!(stop.to === 'group' && stop.signal === 'SIGKILL')) expect(existsSync(built)).toBe(false);
      expect(existsSync(other)).toBe(true);
    } finally {
      await Promise.all([other, ...(built ? [built] : [])].map((path) => rm(path, { recursive: true, force: true })));
    }
  });

  it.concurrent('a signal that comes after both commands ended is not waited on: the wrapper still ends', async () => {
    // vitest killed outright (0.6 s after its grandchild started), its stubborn grandchild swept (1.5 s to end before
    // it is killed), a SIGTERM meanwhile (1 s after the grandchild started).
    const dir = await mkdtemp(join(root, 'late-'));
    const child = spawn(process.execPath, [join(ROOT, '.ci/test.mjs')], { env: standInEnv(dir, 'pass', 'selfkill', true, 1_500), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    child.stderr.resume();
    const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await startedIn(dir, () => '', ['VITEST']);
      await sleep(1_000);
      child.kill('SIGTERM');
      const code = await Promise.race([ended, sleep(10_000).then(() => 'still running')]);
      // vitest's own end: killed.
      expect(code).toBe(137);
      const grandchild = Number(await readFile(join(dir, 'VITEST.grandchild'), 'utf8'));
      for (let waited = 0; alive(grandchild) && waited < 5_000; waited += 50) await sleep(50);
      expect(alive(grandchild)).toBe(false);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      const pid = await readFile(join(dir, 'VITEST.pid'), 'utf8').catch(() => undefined);
      if (pid) await rm(join(CACHE, `mantle-conformance-test-${pid}`), { recursive: true, force: true });
    }
  });

  it.concurrent('run directly (not by npm), its parent ending does not stop it', async () => {
    const dir = await mkdtemp(join(root, 'direct-'));
    const sh = spawn('sh', ['-c', '"$@" & echo $!; wait', 'sh', process.execPath, join(ROOT, '.ci/test.mjs')], { env: standInEnv(dir, 'hang', 'hang', false), stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const wrapperPid = new Promise<number>((resolve) => sh.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    const pid = await wrapperPid;
    try {
      await startedIn(dir, () => '');
      sh.kill('SIGKILL');
      // Longer than a lifeline would take to notice (200 ms) and pass a signal on.
      await sleep(2_500);
      expect(alive(pid)).toBe(true);
      expect((await grandchildrenIn(dir)).filter(alive)).toHaveLength(2);
    } finally {
      process.kill(pid, 'SIGTERM');
      for (let waited = 0; alive(pid) && waited < 10_000; waited += 50) await sleep(50);
    }
    expect((await grandchildrenIn(dir)).filter(alive)).toEqual([]);
  });
});
