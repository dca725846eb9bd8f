/**
 * --max-tokens-total is a ceiling, not a trigger: a request is counted at its estimate while in flight and goes only
 * when the spent, the estimates in flight and its own fit under the cap; one whose estimate alone does not fit is not
 * sent, its checks `skipped`, and the partial-run line names the largest such estimate, the room and the fix. Before,
 * the cap was looked at only when a permit was asked for: a cap of 2000 billed 100031 tokens, one of 50 billed 108.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import { ScheduledTarget } from '../src/transport/scheduled-target.ts';
import { LocalScheduler, type Permit, type PermitRequest, type Scheduler } from '../src/transport/scheduler.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { startEmulatorProxy, passAnswer, type EmulatorAnswer } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the scheduler under --max-tokens-total', () => {
  it('reserves the estimates in flight: a request that fits alone waits for them to settle, then goes on what they spent', async () => {
    const scheduler = new LocalScheduler({ concurrency: 10, perModel: 10, tpm: 0, maxRequests: 0, maxTokensTotal: 100 });
    const first = (await scheduler.acquire({ target: 't', model: 'm', tokens: 60 })) as { lease: string };
    let second: Permit | undefined;
    void scheduler.acquire({ target: 't', model: 'm', tokens: 60 }).then((p) => (second = p));
    await tick();
    // 60 in flight + 60 > 100: held, not sent beside it.
    expect(second).toBeUndefined();
    await scheduler.release(first.lease, { inputTokens: 10, outputTokens: 10 });
    await tick();
    // Settled at 20 spent: 20 + 60 fits.
    expect(second).toMatchObject({ granted: true });
  });

  it('denies a request whose estimate alone is more than what is left, naming it and the room; smaller ones still go', async () => {
    const scheduler = new LocalScheduler({ concurrency: 10, perModel: 10, tpm: 0, maxRequests: 0, maxTokensTotal: 100 });
    const first = (await scheduler.acquire({ target: 't', model: 'm', tokens: 40 })) as { lease: string };
    await scheduler.release(first.lease, { inputTokens: 20, outputTokens: 10 });
    const big = await scheduler.acquire({ target: 't', model: 'm', tokens: 131_088, caseId: 'probe.responses' });
    expect(big).toEqual({ granted: false, code: 'HARNESS_BUDGET', message: 'not sent: its estimate, 131088 tokens, is more than the 70 left under --max-tokens-total 100', unfit: { tokens: 131_088, room: 70, cap: 100 } });
    expect(await scheduler.acquire({ target: 't', model: 'm', tokens: 70 })).toMatchObject({ granted: true });
    expect(scheduler.figures.requests).toBe(2);
  });
});

/**
 * The tokens an answer's usage reports (what the emulator bills): the largest input and output figures it holds (a
 * stream repeats or grows them; a JSON body holds one of each).
 */
function billed(answer: EmulatorAnswer): number {
  if (answer.status >= 300) return 0;
  const text = answer.body.toString('utf8');
  const most = (pattern: RegExp) => Math.max(0, ...[...text.matchAll(pattern)].map((m) => Number(m[1])));
  return most(/"(?:input_tokens|prompt_tokens|cache_creation_input_tokens|cache_read_input_tokens)":(\d+)/g) + most(/"(?:output_tokens|completion_tokens)":(\d+)/g);
}

async function cappedRun(cap: number, models: string, extra: string[], overrides = {}): Promise<{ spent: number; matrix: Matrix; stdout: string }> {
  const emulator = await catalogEmulator(overrides, { latencyMs: 100 });
  let spent = 0;
  const proxy = await startEmulatorProxy(emulator.url, {
    answer: (req, answer, res) => {
      if (!/count_tokens|input_tokens/.test(req.url)) spent += billed(answer);
      passAnswer(answer, res);
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ceiling-'));
  try {
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', proxy.url, '--surface', 'mantle', '--models', models, '--max-tokens-total', String(cap), ...extra, '--report-dir', dir, '--plain']);
    expect(run.code).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
    return { spent, matrix, stdout: run.stdout };
  } finally {
    await proxy.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('a live run under --max-tokens-total', () => {
  it('bills no more than the cap when a model thinks at length with no max stated, and says which request did not fit', async () => {
    const { spent, matrix, stdout } = await cappedRun(2000, 'xai.grok-4.3', [], { 'xai.grok-4.3': { behaviors: { thinkingTokens: 100_000 } } });
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(2000);
    expect(matrix.run.partial).toBe(true);
    expect(matrix.run.partialReason).toMatch(/spend cap: .*the largest of those \(case probe\.responses on xai\.grok-4\.3\) was estimated at 131\d{3} tokens, with \d+ left: raise --max-tokens-total above it \(a route probe states no max on purpose\), or give the case a max tokens/);
    expect(stdout).toContain('partial run: spend cap:');
    // probe.responses was not sent: the cells that needed it are skipped with the cap's reason, never a verdict.
    const cut = matrix.results.filter((r) => /is more than the \d+ left under --max-tokens-total 2000/.test(r.reason));
    expect(cut.length).toBeGreaterThan(0);
    expect(new Set(cut.map((r) => r.status))).toEqual(new Set(['skipped']));
    // A case waiting on the probe says so: the estimate is the probe's, not its own (it states a max of 16 or so).
    expect(cut.some((r) => r.reason.startsWith('the route probe probe.responses was not sent (its estimate, 131'))).toBe(true);
  }, 90_000);

  it('bills no more than the cap at --concurrency 64 over four models', async () => {
    const models = 'openai.gpt-oss-20b,xai.grok-4.3,google.gemma-4-31b,openai.gpt-oss-120b';
    for (const cap of [50, 1500]) {
      const { spent, matrix } = await cappedRun(cap, models, ['--concurrency', '64', '--model-concurrency', '16']);
      expect(spent, `cap ${cap}`).toBeLessThanOrEqual(cap);
      expect(matrix.run.partial).toBe(true);
      const cut = matrix.results.filter((r) => r.reason.includes(`--max-tokens-total ${cap}`));
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.every((r) => r.status === 'skipped')).toBe(true);
    }
  }, 120_000);
});

/** A target that answers every request with one stored Response, resp_1, whose usage is 100 input and 50 output tokens. */
const storedResponseTarget: Target = {
  id: 'site',
  mode: 'live',
  send: (request, context: SendContext) => {
    const answer = { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: { input_tokens: 100, output_tokens: 50 } };
    return Promise.resolve({ step: context.step, prefix: context.prefix, request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(answer) }] }, error: null, durationMs: 1, attempts: 1 });
  },
  caseFinished: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

describe('the estimate of a request that chains an earlier Response', () => {
  it('adds what that response counted: it is billed again as input, which the body does not carry', async () => {
    const asked: PermitRequest[] = [];
    const scheduler: Scheduler = { acquire: (request) => (asked.push(request), Promise.resolve({ granted: true, lease: String(asked.length) })), release: () => Promise.resolve() };
    const target = new ScheduledTarget(storedResponseTarget, scheduler);
    const context: SendContext = { model: 'm', caseId: 'responses.chain', step: 'first', prefix: '/v1', maxTokens: 16 };
    const post = (body: unknown) => ({ method: 'POST' as const, path: '/v1/responses', headers: {}, body: JSON.stringify(body) });
    const first = post({ model: 'm', input: 'My name is Ada.', max_output_tokens: 16 });
    const second = post({ model: 'm', input: 'What is my name?', max_output_tokens: 16, previous_response_id: 'resp_1' });
    await target.send(first, context);
    await target.send(second, { ...context, step: 'second' });
    expect(asked.map((r) => r.tokens)).toEqual([Math.ceil(first.body.length / 4) + 16, Math.ceil(second.body.length / 4) + 16 + 150]);
    expect(asked[0]).toMatchObject({ caseId: 'responses.chain' });
  });
});

describe('a GET of a stored Response', () => {
  const inner = storedResponseTarget;
  const context: SendContext = { model: 'm', caseId: 'responses.lifecycle', step: 'create', prefix: '/v1', maxTokens: 16 };
  const create = { method: 'POST' as const, path: '/v1/responses', headers: {}, body: JSON.stringify({ model: 'm', input: 'Reply OK.', max_output_tokens: 16 }) };
  const get = { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };

  it('is not counted against --max-tokens-total again: the usage it reads was billed once, when it was made', async () => {
    const released: { inputTokens: number; outputTokens: number }[] = [];
    const scheduler: Scheduler = { acquire: () => Promise.resolve({ granted: true, lease: '1' }), release: (_lease, usage) => (released.push(usage), Promise.resolve()) };
    const target = new ScheduledTarget(inner, scheduler);
    await target.send(create, context);
    await target.send(get, { ...context, step: 'get' });
    expect(released.map((u) => u.inputTokens + u.outputTokens)).toEqual([150, 0]);
  });

  it('is not counted in the run\'s tokens again; a GET of a Response not counted before (a background one) is', async () => {
    const usage = { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 };
    const target = watchedTarget(inner, { usage, latency: [], apiOf: () => 'responses' });
    await target.send(get, { ...context, step: 'poll' });
    expect(usage.inputTokens + usage.outputTokens).toBe(150);
    await target.send(get, { ...context, step: 'get' });
    await target.send(create, context);
    // A POST makes a Response and is billed: always counted.
    expect(usage).toMatchObject({ requests: 3, inputTokens: 200, outputTokens: 100 });
  });
});
