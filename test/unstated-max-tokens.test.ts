/**
 * The token budget (--tpm) counts a request that states no maximum output as Mantle's admission does (MANTLE.md,
 * Quotas: input + max_tokens, "the model's maximum when unset"): at the model's maximum output where the catalog
 * states it (Grok 4.3: defaults.max-output-tokens 131072), else at 4096. Before, every such request was counted at
 * 4096, so a --tpm set to the account's quota still let Grok's probe.responses be throttled. A request counted above
 * the whole budget is admitted alone when nothing else is in the model's minute, never left waiting for ever.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalogMaxOutput } from '../src/run/output-ceiling.ts';
import { estimateTokens, ScheduledTarget, UNSTATED_MAX_TOKENS } from '../src/transport/scheduled-target.ts';
import { LocalScheduler, type Permit, type PermitRequest, type Scheduler } from '../src/transport/scheduler.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { permitsAsked } from './helpers/permits-asked.ts';
import { catalogEmulator, cli, projectSuites } from './helpers/harness.ts';

const body = JSON.stringify({ model: 'x', input: 'Say hi.' });
const unstated: ExchangeRequest = { method: 'POST', path: '/openai/v1/responses', headers: { 'content-type': 'application/json' }, body };
const prompt = Math.ceil(body.length / 4);

/** A scheduler that grants everything and keeps what each permit asked for. */
class RecordingScheduler implements Scheduler {
  readonly asked: PermitRequest[] = [];
  acquire(request: PermitRequest): Promise<Permit> {
    this.asked.push(request);
    return Promise.resolve({ granted: true, lease: String(this.asked.length) });
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
}

const answering: Target = {
  id: 'site',
  mode: 'live',
  send: (request: ExchangeRequest, context: SendContext): Promise<Exchange> =>
    Promise.resolve({ step: context.step, prefix: context.prefix, request, response: { status: 200, headers: {}, chunks: [{ t: 1, data: '{}' }] }, error: null, durationMs: 1, attempts: 1 }),
  caseFinished: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

describe('a request that states no maximum output', () => {
  it("is counted at the model's maximum when the catalog states it (Grok 4.3: 131072), else at 4096", async () => {
    const { catalog } = await projectSuites();
    const maxOutputOf = catalogMaxOutput(catalog);
    expect(maxOutputOf('xai.grok-4.3')).toBe(131072);
    // No claim (gpt-oss-20b), a null claim (gemma-4-31b: the recording shows no default), a model the catalog does not know.
    for (const model of ['openai.gpt-oss-20b', 'google.gemma-4-31b', 'vendor.unknown']) expect(maxOutputOf(model)).toBeUndefined();

    const scheduler = new RecordingScheduler();
    const target = new ScheduledTarget(answering, scheduler, maxOutputOf);
    const context = (model: string, maxTokens?: number): SendContext => ({ model, caseId: 'probe.responses', step: 'main', prefix: '/openai/v1', ...(maxTokens !== undefined ? { maxTokens } : {}) });
    await target.send(unstated, context('xai.grok-4.3'));
    await target.send(unstated, context('openai.gpt-oss-20b'));
    // A stated maximum is counted as stated, whatever the model's.
    await target.send(unstated, context('xai.grok-4.3', 50));
    // A GET (a poll, the model list) produces nothing.
    await target.send({ method: 'GET', path: '/openai/v1/responses/r1', headers: {} }, context('xai.grok-4.3'));
    expect(scheduler.asked.map((a) => a.tokens)).toEqual([prompt + 131072, prompt + UNSTATED_MAX_TOKENS, prompt + 50, 0]);
    expect(estimateTokens(unstated, undefined)).toBe(prompt + 4096);
  });
});

describe('a request counted above the whole --tpm budget', () => {
  afterEach(() => vi.useRealTimers());

  it('is admitted alone when nothing else is in the minute, and the next waits for the window to move', async () => {
    vi.useFakeTimers();
    const scheduler = new LocalScheduler({ concurrency: 10, perModel: 10, tpm: 100_000, maxRequests: 0, maxTokensTotal: 0 });
    const granted: number[] = [];
    const ask = (tokens: number) =>
      void scheduler.acquire({ target: 't', model: 'xai.grok-4.3', tokens }).then((p) => {
        granted.push(tokens);
        if (p.granted) void scheduler.release(p.lease, { inputTokens: 0, outputTokens: 0 });
      });
    ask(131_200);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([131_200]);
    ask(10);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(granted).toEqual([131_200]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(granted).toEqual([131_200, 10]);
    // Alone again: the big one waits only for its minute to empty, then goes.
    ask(200_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([131_200, 10]);
    await vi.advanceTimersByTimeAsync(60_100);
    expect(granted).toEqual([131_200, 10, 200_000]);
  });
});

describe('a live run', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("budgets Grok 4.3's probe.responses (no max_output_tokens) at 131072 and gpt-oss-20b's at 4096", async () => {
    const asked = permitsAsked();
    const emulator = await catalogEmulator();
    try {
      dir = await mkdtemp(join(tmpdir(), 'mantle-tpm-'));
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'mantle', '--models', 'xai.grok-4.3,openai.gpt-oss-20b', '--checks', 'defaults.max-output-tokens', '--tpm', '1000000', '--report-dir', dir, '--plain']);
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await emulator.close();
    }
    const most = (model: string) => Math.max(...asked.filter((a) => a.model === model).map((a) => a.tokens));
    // The prompt estimate of a probe is small: what is above the maximum is the prompt.
    expect(most('xai.grok-4.3')).toBeGreaterThan(131072);
    expect(most('xai.grok-4.3')).toBeLessThan(131072 + 2000);
    expect(most('openai.gpt-oss-20b')).toBeGreaterThan(UNSTATED_MAX_TOKENS);
    expect(most('openai.gpt-oss-20b')).toBeLessThan(UNSTATED_MAX_TOKENS + 2000);
  });
});
