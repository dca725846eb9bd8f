/**
 * A --tpm below the estimate of one request the run sends: the scheduler lets such a request through only when its
 * model's minute window is empty, so the run goes at about one request per model per minute. Before, nothing said so:
 * the progress line stood still for minutes. Now the run warns at its start (naming the flag, the case and the
 * estimate), and the progress line says how many requests wait on the --tpm window.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from '../src/run/progress-reporter.ts';
import { LocalScheduler, type Figures } from '../src/transport/scheduler.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

describe('the scheduler with a --tpm below one request', () => {
  afterEach(() => vi.useRealTimers());

  it('counts the requests waiting on the token window, and none once they went', async () => {
    vi.useFakeTimers();
    const scheduler = new LocalScheduler({ concurrency: 10, perModel: 10, tpm: 100, maxRequests: 0, maxTokensTotal: 0 });
    const granted: string[] = [];
    for (const name of ['first', 'second', 'third']) void scheduler.acquire({ target: 't', model: 'm', tokens: 4096 }).then(() => granted.push(name));
    await vi.advanceTimersByTimeAsync(0);
    // The first goes alone (the window was empty); the others wait on the window, not on a slot.
    expect(granted).toEqual(['first']);
    expect(scheduler.figures.waitingOnTpm).toBe(2);
    await vi.advanceTimersByTimeAsync(60_100);
    expect(granted).toEqual(['first', 'second']);
    expect(scheduler.figures.waitingOnTpm).toBe(1);
    await vi.advanceTimersByTimeAsync(60_100);
    expect(scheduler.figures.waitingOnTpm).toBe(0);
  });
});

describe('the progress line', () => {
  const capture = () => {
    const lines: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e: string, done: () => void) => (lines.push(String(c)), done()) }), { isTTY: false });
    return { lines, stream };
  };
  const figures = (waitingOnTpm: number): Figures => ({ requests: 4, inputTokens: 0, outputTokens: 0, estimatedTokens: 0, estimatedRequests: 0, waitingOnTpm, inFlight: 1, peakInFlight: 1 });

  it('says how many requests wait on --tpm while the run goes, and not on its last line', async () => {
    vi.useFakeTimers();
    try {
      const { lines, stream } = capture();
      const reporter = new ProgressReporter({ total: 105, stream, plainIntervalS: 1 });
      const scheduler = { figures: figures(5) };
      reporter.start(scheduler);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(lines.at(-1)).toMatch(/^progress: 0\/105 checks .* · 0 tokens · 5 waiting on --tpm · /);
      reporter.end();
      expect(lines.at(-1)).not.toContain('waiting on --tpm');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says nothing of --tpm when nothing waits on it', async () => {
    const { lines, stream } = capture();
    const reporter = new ProgressReporter({ total: 1, stream });
    reporter.start({ figures: figures(0) });
    reporter.end();
    expect(lines.join('')).not.toContain('--tpm');
  });
});

describe('a live run with a --tpm below one request', () => {
  it('warns before it sends, naming the flag, the estimate and the pace; a --tpm that fits, or a replay, is not warned of', async () => {
    const emulator = await catalogEmulator();
    const dir = await mkdtemp(join(tmpdir(), 'mantle-tpm-warning-'));
    try {
      // --max-requests 1: the one request that goes is the first (its window is empty); the rest are denied at once.
      const base = ['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--max-requests', '1', '--report-dir', dir, '--plain'];
      const low = await cli([...base, '--tpm', '100']);
      const warning = low.stderr.split('\n').find((line) => line.startsWith('warning: --tpm 100 '));
      expect(warning).toBeDefined();
      expect(warning).toMatch(/is below the estimate of a request this run sends \((\d+) tokens: case [\w.-]+ on openai\.gpt-oss-20b,/);
      expect(warning).toContain('requests will go about one per minute per model');
      // Said before anything else of the run: before its first progress line.
      expect(low.stderr.indexOf('warning: --tpm 100')).toBeLessThan(low.stderr.indexOf('done:'));
      const largest = Number(/\((\d+) tokens/.exec(warning!)![1]);
      expect(largest).toBeGreaterThanOrEqual(4096);

      const fits = await cli([...base, '--tpm', String(largest)]);
      expect(fits.stderr).not.toContain('warning: --tpm');
      const replay = await cli(['run', '--models', 'openai.gpt-oss-20b', '--checks', 'answer.non-empty', '--tpm', '100', '--report-dir', dir, '--plain']);
      expect(replay.stderr).not.toContain('warning: --tpm');
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
