/**
 * Retries honour Retry-After and never repeat a 4xx that is the endpoint's answer; spend caps stop sending and
 * mark the rest `skipped`; Ctrl-C stops the run, writes a partial matrix and leaves no half-written fixture.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { ROOT, catalogEmulator, cli, liveTarget, packageBin } from './helpers/harness.ts';

const chat = (model: string) => ({
  method: 'POST' as const,
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
});
const context = (model: string) => ({ model, caseId: 'c', step: 'main', prefix: '/v1' });

describe('retries', () => {
  it('waits as long as Retry-After says, then succeeds', async () => {
    const emulator = await catalogEmulator({}, { faults: { 'qwen.qwen3-32b': { kind: 'throttle', retryAfterS: 1, times: 1 } } });
    try {
      const waits: number[] = [];
      const target = new RetryingTarget(liveTarget(emulator.url), { retries: 2, baseDelayMs: 5, maxDelayMs: 30_000, sleep: async (ms) => void waits.push(ms) });
      const exchange = await target.send(chat('qwen.qwen3-32b'), context('qwen.qwen3-32b'));
      expect(exchange.response?.status).toBe(200);
      expect(exchange.attempts).toBe(2);
      expect(waits).toEqual([1000]);
    } finally {
      await emulator.close();
    }
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    const emulator = await catalogEmulator({}, { faults: { 'qwen.qwen3-32b': { kind: 'server-error', status: 503 } } });
    try {
      const waits: number[] = [];
      const target = new RetryingTarget(liveTarget(emulator.url), { retries: 3, baseDelayMs: 100, maxDelayMs: 30_000, sleep: async (ms) => void waits.push(ms), random: () => 1 });
      const exchange = await target.send(chat('qwen.qwen3-32b'), context('qwen.qwen3-32b'));
      expect(waits).toEqual([100, 200, 400]);
      expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
      expect(exchange.attempts).toBe(4);
    } finally {
      await emulator.close();
    }
  });

  it('never retries a 4xx that is the answer', async () => {
    const emulator = await catalogEmulator();
    try {
      const target = new RetryingTarget(liveTarget(emulator.url), { retries: 3, baseDelayMs: 1, maxDelayMs: 10 });
      const exchange = await target.send(chat('google.gemma-4-31b'), context('google.gemma-4-31b'));
      expect(exchange.response?.status).toBe(400);
      expect(exchange.attempts).toBe(1);
      expect(exchange.error).toBeNull();
      expect(emulator.stats.requests).toBe(1);
    } finally {
      await emulator.close();
    }
  });
});

const INTERRUPTED_MODELS = 'qwen.qwen3-32b,zai.glm-5,deepseek.v3.2,openai.gpt-oss-120b,xai.grok-4.3,mistral.mistral-large-3-675b-instruct';

describe('spend caps and interruption', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'caps-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--max-requests stops sending at the cap, marks the rest skipped with the reason, and the run partial (exit 1)', async () => {
    const emulator = await catalogEmulator({}, { apiKey: 'cap-key-0123456789' });
    try {
      const reports = join(dir, 'cap');
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--models', 'qwen.qwen3-32b,zai.glm-5,deepseek.v3.2', '--max-requests', '10', '--report-dir', reports, '--plain'], {
        AWS_BEARER_TOKEN_BEDROCK: 'cap-key-0123456789',
      });
      // Green means observed: cells the cap left unsent are not a pass (the gate names what was not observed).
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).not.toContain('gate: pass');
      expect(emulator.stats.requests).toBe(11); // the preflight, then 10
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      const skipped = matrix.results.filter((r) => r.status === 'skipped');
      expect(skipped.length).toBeGreaterThan(0);
      for (const r of skipped) expect(r.reason).toContain('--max-requests 10');
      expect(matrix.totals.usage.requests).toBe(10);
      expect(matrix.run).toMatchObject({ partial: true, partialReason: expect.stringContaining('--max-requests 10') });
      expect(matrix.run.interrupted).toBeUndefined();
      expect(run.stdout).toContain('partial run: spend cap');
      expect(run.stdout).not.toContain('gate: pass');
      expect(run.stdout).toMatch(/gate: fail \(exit 1\): .*partial run/);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ['Ctrl-C', 'in-process', [], 'SIGINT', 1],
    ['Ctrl-C', 'on vitest', ['--', '--silent'], 'SIGINT', 1],
    // What a cancelled CI job or `docker stop` sends: the same partial matrix, never a lost report.
    ['SIGTERM', 'in-process', [], 'SIGTERM', 1],
    ['SIGTERM', 'on vitest', ['--', '--silent'], 'SIGTERM', 1],
    // GNU timeout sends SIGTERM to the command, then to its group: two at once are one, not "quit now" (no reports).
    ['SIGTERM', 'in-process, twice at once', [], 'SIGTERM', 2],
    ['SIGTERM', 'on vitest, twice at once', ['--', '--silent'], 'SIGTERM', 2],
  ] as const)('%s (%s) stops the run, writes a partial matrix that says interrupted, counts only what ran, and leaves only whole fixtures', async (by, way, extra, signal, times = 1) => {
    const emulator = await catalogEmulator({}, { apiKey: 'int-key-0123456789', latencyMs: 150 });
    const reports = join(dir, `interrupted-${way.replace(/\W+/g, '-')}-${signal}`);
    const fixtures = join(dir, `interrupted-fixtures-${way.replace(/\W+/g, '-')}-${signal}`);
    try {
      const child = spawn(
        process.execPath,
        // Six models, each some fifty requests at 150 ms, four at a time (some 11 s): the signal, after 12 requests, comes
        // long before the end. At 400 ms the test waited 1.2 s for those 12 requests, four times over.
        [packageBin(), 'run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'int', '--models', INTERRUPTED_MODELS, '--fixtures', fixtures, '--report-dir', reports, '--plain', '--concurrency', '4', ...(extra as readonly string[])],
        { cwd: ROOT, env: { ...process.env, AWS_BEARER_TOKEN_BEDROCK: 'int-key-0123456789' } },
      );
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (emulator.stats.requests > 12) {
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
      const started = Date.now();
      child.kill(signal);
      if (times === 2) {
        // Two sent at once can merge in the kernel: the second comes once the first was heard, as GNU timeout's can.
        while (!stderr.includes('Interrupted')) await new Promise((resolve) => setTimeout(resolve, 5));
        child.kill(signal);
      }
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // Promptly, not after --timeout (60 s): 3 to 7 s alone, up to 12 s under a loaded test run.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('Interrupted');
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.run).toMatchObject({ partial: true, interrupted: true, partialReason: `interrupted (${by})` });
      // Nothing that did not run is reported as run: cells cut short say "not reached", never a finding.
      const notReached = matrix.results.filter((r) => r.notRun);
      expect(notReached.length).toBeGreaterThan(0);
      for (const r of notReached) expect(r.reason).toBe(`not reached: interrupted (${by})`);
      expect(matrix.results.filter((r) => !r.notRun && r.reason.includes('interrupted'))).toEqual([]);
      // The console: the last progress line says interrupted and how much ran; the gate never says pass.
      const ran = matrix.results.length - notReached.length;
      expect(stderr).toMatch(new RegExp(`^interrupted: ${ran}/${matrix.results.length} checks ran`, 'm'));
      expect(stderr).not.toMatch(/^done:/m);
      expect(stderr).not.toMatch(new RegExp(`: ${matrix.checks.length} checks, 0 fail, 0 error`));
      expect(stdout).not.toContain('gate: pass');
      expect(stdout.trim().split('\n').at(-1)).toMatch(/^gate: interrupted \(exit 130\)/);
      const models = await readdir(join(fixtures, 'int')).catch(() => [] as string[]);
      for (const model of models) {
        for (const file of await readdir(join(fixtures, 'int', model))) {
          expect(file.endsWith('.json'), file).toBe(true);
          JSON.parse(await readFile(join(fixtures, 'int', model, file), 'utf8'));
        }
      }
    } finally {
      await emulator.close();
    }
  }, 60_000);
});

describe('concurrency limits, measured by the server', () => {
  it('never has more than --concurrency requests in flight, nor more than --model-concurrency per model', async () => {
    const emulator = await catalogEmulator({}, { apiKey: 'conc-key-0123456789', latencyMs: 30 });
    const dir = await mkdtemp(join(tmpdir(), 'conc-'));
    try {
      const run = await cli(
        ['run', '--mode', 'live', '--endpoint', emulator.url, '--models', 'qwen.qwen3-32b,zai.glm-5,deepseek.v3.2,openai.gpt-oss-20b,xai.grok-4.3', '--concurrency', '3', '--model-concurrency', '2', '--report-dir', dir, '--quiet'],
        { AWS_BEARER_TOKEN_BEDROCK: 'conc-key-0123456789' },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(emulator.stats.requests).toBeGreaterThan(40);
      expect(emulator.stats.peakInFlight).toBe(3);
      for (const [model, peak] of emulator.stats.peakByModel) expect(peak, model).toBeLessThanOrEqual(2);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
