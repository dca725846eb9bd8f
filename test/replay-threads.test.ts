/**
 * A replay can be shared with worker threads (`--threads`, run/replay-threads.ts). determinism.test.ts holds the
 * bundled replay equal on one thread and on two (the worker takes about a third of the 130 model-target pairs); this file holds when
 * threads are used, the flag, that a thread that fails or sees a rejected key stops the run (its cells never read as
 * filtered out), and Ctrl-C.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { loadPlan } from '../src/run/load-plan.ts';
import { ReplayThreads, replayThreads } from '../src/run/replay-threads.ts';
import type { RunConfig } from '../src/run/run-config.ts';
import { RunEngine } from '../src/run/run-engine.ts';
import { selectWork, type CellWork } from '../src/run/selection.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { startHarnessWorker, type StartWorker } from '../src/package-root.ts';
import { cli, packageWorkers, ROOT } from './helpers/harness.ts';

let dir: string;
let config: RunConfig;
let work: CellWork[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-threads-'));
  config = await resolveRunConfig({ reportDir: join(dir, 'reports') }, ROOT, '0.0.0-test');
  const loaded = await loadPlan(config);
  work = selectWork(config.targets, loaded.plan.models, { filters: [] });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('how many threads judge a run', () => {
  it('one unless asked: a second thread did not pay on the development machine', () => {
    expect(replayThreads(config, work)).toBe(1);
  });

  it('--threads is taken as asked, never more than there are cells', () => {
    expect(replayThreads(config, work, 3)).toBe(3);
    expect(replayThreads(config, work.slice(0, 2), 8)).toBe(2);
    expect(replayThreads(config, work, 1)).toBe(1);
  });

  it('live and record runs use one: they wait on the endpoint, not the CPU', () => {
    const live = { targets: config.targets.map((t) => ({ ...t, mode: 'live' as const })) };
    expect(replayThreads(live, work, 4)).toBe(1);
  });
});

describe('--threads', () => {
  it('is exit 2 out of its range, above 1 in live mode, and on vitest, naming the flag', async () => {
    for (const args of [
      ['--threads', '0'],
      ['--threads', 'two'],
      ['--threads', '2', '--mode', 'live', '--endpoint', 'http://127.0.0.1:9', '--auth', 'none'],
      ['--threads', '2', '--ui'],
    ]) {
      const run = await cli(['run', 'grok', '--quiet', '--report-dir', join(dir, 'flags'), ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('--threads');
    }
  });

});

describe('a thread that fails or stops the run', () => {
  /** A shared replay of `cells` on this thread and one worker; `takeNothing` leaves every cell to the worker. */
  async function shared(runConfig: RunConfig, cells: CellWork[], takeNothing = false, start: StartWorker = packageWorkers) {
    const loaded = await loadPlan(config);
    const request = { config: runConfig, loaded, work: cells, filters: [], err: process.stderr };
    let threads: ReplayThreads | undefined;
    const engine = new RunEngine({ config, loaded, events: { onFatal: (f) => threads?.stop(f.code, f.message) } });
    // A stopped engine takes no cell from the queue: the worker takes them all.
    if (takeNothing) engine.stop('HARNESS_INTERRUPTED', 'this thread takes nothing in this test');
    threads = new ReplayThreads(request, 1, engine, {}, start);
    const error = await threads.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    await Promise.all([threads.close(), engine.close()]);
    return { engine, error, output: threads.outcome() };
  }

  it("fails the run with the thread's own error, and this thread stops too", async () => {
    // The worker reads its plan from its config: a suites folder that is not there stops it before any cell.
    // From source (startHarnessWorker through tsx), as a checkout's --threads runs; the other tests start the package's.
    const { engine, error } = await shared({ ...config, suitesDir: join(dir, 'no-such-suites') }, work.slice(0, 12), false, startHarnessWorker);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_FILE_NOT_FOUND');
    expect((error as HarnessError).message).toContain('no-such-suites');
    expect(engine.stopped?.code).toBe('HARNESS_INTERNAL');
  }, 60_000);

  it('a plan that changed under the run (a check the worker no longer has) is an error naming it, never a check dropped', async () => {
    const { error } = await shared(config, [{ ...work[0]!, checks: [...work[0]!.checks, { ...work[0]!.checks[0]!, id: 'no.such-check' }] }], true);
    expect((error as HarnessError).code).toBe('HARNESS_SUITE_INVALID');
    expect((error as HarnessError).message).toMatch(/no\.such-check is gone; run again/);
  }, 60_000);

  it('a rejected key a worker sees stops the whole run, as on one thread', async () => {
    // Every recorded answer of two models turned into a real 401 (not Berm): a bad key.
    const { cp, readdir, readFile, writeFile } = await import('node:fs/promises');
    const fixtures = join(dir, 'rejected-fixtures');
    const cells = work.filter((c) => c.target === 'emulator').slice(0, 2);
    for (const cell of cells) {
      const from = join(ROOT, 'fixtures', 'emulator', cell.model);
      await cp(from, join(fixtures, 'emulator', cell.model), { recursive: true });
      for (const file of await readdir(join(fixtures, 'emulator', cell.model))) {
        const path = join(fixtures, 'emulator', cell.model, file);
        const fixture = JSON.parse(await readFile(path, 'utf8')) as { exchanges: { response: unknown }[] };
        for (const exchange of fixture.exchanges) exchange.response = { status: 401, headers: { 'content-type': 'application/json' }, json: { error: { message: 'The security token included in the request is invalid.', type: 'authentication_error' } } };
        await writeFile(path, JSON.stringify(fixture));
      }
    }
    const rejected = { ...config, fixturesDir: fixtures, targets: config.targets.filter((t) => t.id === 'emulator') };
    const { engine, error } = await shared(rejected, cells, true);
    expect(error).toBeUndefined();
    expect(engine.fatal?.code).toBe('HARNESS_AUTH_REJECTED');
    expect(engine.fatal?.message).toMatch(/401/);
  }, 60_000);
});

describe('Ctrl-C during a shared replay', () => {
  it('stops every thread: the partial matrix says interrupted, and what was not judged says not reached', async () => {
    const { spawn } = await import('node:child_process');
    const { readFile } = await import('node:fs/promises');
    const { packageBin } = await import('./helpers/harness.ts');
    const reports = join(dir, 'interrupted');
    // 40 models (80 cells) rather than all 65: the partial matrix written on Ctrl-C is smaller, and at rest some 35
    // cells are still to judge when the signal arrives (30 models left 11 to 19: too close on a loaded machine).
    const models = [...new Set(work.map((cell) => cell.model))].slice(0, 40);
    const child = spawn(process.execPath, [packageBin(), 'run', '--plain', '--threads', '2', '--models', models.join(','), '--report-dir', reports], { cwd: ROOT });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // After 20 of the 80 cells: more than this thread starts on at once, so the worker is judging too.
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()).split('\n').length > 20 ? resolve() : undefined)));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { run: { interrupted?: boolean }; results: { notRun?: boolean; reason: string }[] };
    expect(matrix.run.interrupted).toBe(true);
    const notReached = matrix.results.filter((r) => r.notRun);
    expect(notReached.length).toBeGreaterThan(0);
    for (const r of notReached) expect(r.reason).toBe('not reached: interrupted (Ctrl-C)');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^gate: interrupted \(exit 130\)/);
  }, 60_000);
});
