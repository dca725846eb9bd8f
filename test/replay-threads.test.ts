/**
 * A replay can be shared with worker threads (`--threads`, run/replay-threads.ts). determinism.test.ts holds the
 * bundled replay equal on one thread and on three; this file holds when threads are used, the flag, that a thread
 * that fails fails the run (its cells never read as filtered out), and Ctrl-C.
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
import { cli, cliProcess, ROOT } from './helpers/harness.ts';

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
  it('is exit 2 out of its range, in live mode, and on vitest, naming the flag', async () => {
    for (const args of [
      ['--threads', '0'],
      ['--threads', 'two'],
      ['--threads', '2', '--mode', 'live', '--endpoint', 'http://127.0.0.1:9', '--auth', 'none'],
    ]) {
      const run = await cli(['run', 'grok', '--quiet', '--report-dir', join(dir, 'flags'), ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('--threads');
    }
  });

  it('a small replay asked for two threads gives the matrix one thread gives', async () => {
    const { readFile } = await import('node:fs/promises');
    const runs = await Promise.all(
      ['1', '2'].map(async (threads) => {
        // The installed CLI (the worker from a checkout, through tsx, starts in the failure test below).
        const run = await cliProcess(['run', 'grok', '--quiet', '--threads', threads, '--report-dir', join(dir, `small-${threads}`)]);
        expect(run.code, run.stderr).toBe(0);
        const matrix = JSON.parse(await readFile(join(dir, `small-${threads}`, 'matrix.json'), 'utf8')) as { results: { notRun?: boolean }[]; shapes?: unknown; totals: { perModel: unknown } };
        return { results: matrix.results, shapes: matrix.shapes, usage: matrix.totals.perModel };
      }),
    );
    expect(runs[0]!.results.filter((r) => !r.notRun).length).toBeGreaterThan(400);
    expect(runs[1]).toEqual(runs[0]);
  }, 60_000);
});

describe('a thread that fails', () => {
  it("fails the run with the thread's own error, and its cells are not passed off as run", async () => {
    const loaded = await loadPlan(config);
    // The worker reads its plan from its config: a suites folder that is not there stops it before any cell.
    const broken = { ...config, suitesDir: join(dir, 'no-such-suites') };
    const request = { config: broken, loaded, work: work.slice(0, 12), filters: [], err: process.stderr };
    const engine = new RunEngine({ config, loaded });
    const threads = new ReplayThreads(request, 1, {});
    try {
      const error = await threads.run(engine).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).code).toBe('HARNESS_FILE_NOT_FOUND');
      expect((error as HarnessError).message).toContain('no-such-suites');
      // This thread was stopped too: it takes no cell after the failure.
      expect(engine.stopped?.code).toBe('HARNESS_INTERNAL');
    } finally {
      await Promise.all([threads.close(), engine.close()]);
    }
  }, 60_000);
});

describe('Ctrl-C during a shared replay', () => {
  it('stops every thread: the partial matrix says interrupted, and what was not judged says not reached', async () => {
    const { spawn } = await import('node:child_process');
    const { readFile } = await import('node:fs/promises');
    const { packageBin } = await import('./helpers/harness.ts');
    const reports = join(dir, 'interrupted');
    // The OpenAI models on both surfaces: 30 cells, a second or more of judging left after the first is done.
    const child = spawn(process.execPath, [packageBin(), 'run', 'openai', '--plain', '--threads', '2', '--report-dir', reports], { cwd: ROOT });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // After the first model (either thread's), long before the rest are done.
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()).includes('\n') ? resolve() : undefined)));
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
