/**
 * The Anthropic surface blames the endpoint only for what it did (review of a hostile server, h68): a prompt cache
 * that wrote the prefix and missed it once is not an endpoint that never caches (inconclusive, judged per trial so
 * `--repeat` sends the pair again); a dated or re-spelled echo of the id is the form it re-spells, not `other`; a
 * 2xx to a Message without max_tokens is the endpoint's own answer (`accepted`, a fail), never an `error`. Each
 * check still fails what it should: a cache never written nor read, another model's name, an OpenAI envelope.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, Expectation } from '../src/checks/types.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const CLAUDE = 'anthropic.claude-sonnet-5';

/** `check` on the answers (JSON, by step id) to case `caseId` as the suites send it for `model`. */
async function judged(caseId: string, check: string, answers: Record<string, { status?: number; body: unknown }>, options: { model?: string; expectation?: Expectation } = {}): Promise<CheckResult> {
  const model = options.model ?? CLAUDE;
  const { spec } = await caseStep(caseId, { model });
  const exchanges: Exchange[] = [];
  for (const step of spec.steps) {
    const answer = answers[step.id];
    if (answer) exchanges.push(answeredWith(await caseStep(caseId, { step: step.id, model, prefix: '/anthropic/v1' }), { status: answer.status ?? 200, json: answer.body }));
  }
  return judgeOn(check, caseId, spec.api, exchanges, { model, expectation: options.expectation ?? null });
}

const message = (usage: Record<string, number>, model = 'claude-sonnet-5') => ({
  id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'OK' }], stop_reason: 'end_turn', stop_sequence: null,
  usage: { input_tokens: 20, output_tokens: 2, ...usage },
});
const cached: Expectation = { value: 'cached', source: 'catalog: seeds/portkey' };
type Usage = Record<string, number>;
const three = (first: Usage, second: Usage, third: Usage) =>
  judged('prompt-cache.messages', 'prompt-cache.messages', { first: { body: message(first) }, second: { body: message(second) }, third: { body: message(third) } }, { expectation: cached });
const WRITE = { cache_creation_input_tokens: 5000, cache_read_input_tokens: 0 };
const READ = { cache_creation_input_tokens: 0, cache_read_input_tokens: 5000 };
const NONE = { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

describe('prompt-cache.messages: best-effort caching, three requests in a row', () => {
  it('a write, then misses that did not write again, is inconclusive, not not-cached', async () => {
    const result = await three(WRITE, NONE, NONE);
    expect(result.status).toBe('inconclusive');
    expect(result.reason).toContain('the endpoint cached the prefix (written by the first), but no later request read it');
    expect(result.reason).toContain('cache write 5000');
    // A first request that read it (another trial wrote it), then misses: inconclusive too.
    expect((await three(READ, NONE, NONE)).status).toBe('inconclusive');
  });
  it('a read by the second or by the third is cached (a best-effort miss, then a hit)', async () => {
    expect(await three(WRITE, READ, READ)).toMatchObject({ status: 'pass', observed: 'cached' });
    const late = await three(WRITE, WRITE, READ);
    expect([late.status, late.observed]).toEqual(['pass', 'cached']);
    expect(late.reason).toContain('the third read the prefix from the cache');
  });
  it('a read by the second stands when the third is refused', async () => {
    const refused = await judged('prompt-cache.messages', 'prompt-cache.messages', { first: { body: message(WRITE) }, second: { body: message(READ) }, third: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } } } }, { expectation: cached });
    expect([refused.status, refused.observed]).toEqual(['pass', 'cached']);
  });
  it('each of the three writing the prefix again and none reading it is not-cached: an endpoint that never reads', async () => {
    const never = await three(WRITE, WRITE, WRITE);
    expect([never.status, never.observed]).toEqual(['fail', 'not-cached']);
    expect(never.reason).toContain('each of the 3 requests wrote the prefix again and none read it');
  });
  it('an endpoint that neither writes nor reads is still not-cached, a fail (absent figures too)', async () => {
    expect(await three(NONE, NONE, NONE)).toMatchObject({ status: 'fail', observed: 'not-cached' });
    const absent = await three({}, {}, {});
    expect([absent.status, absent.observed]).toEqual(['fail', 'not-cached']);
    expect(absent.reason).toContain('a later usage has no cache_read_input_tokens');
  });
  it('is judged on every trial: --repeat 3 sends the three requests three times', async () => {
    const emulator = await catalogEmulator();
    try {
      const result = (await checkModel(liveTarget(emulator.url, noAuth), 'anthropic.claude-opus-4-7', { checks: ['prompt-cache.messages'], repeat: 3 })).get('prompt-cache.messages')!;
      expect([result.status, result.observed]).toEqual(['pass', 'cached']);
      expect(result.trials?.map((t) => t.observed)).toEqual(['cached', 'cached', 'cached']);
    } finally {
      await emulator.close();
    }
  });
});

describe('messages.model-echo: a re-spelled echo is the form it re-spells', () => {
  const echo = async (echoed: string, sent = CLAUDE) => {
    const result = await judged('probe.messages', 'messages.model-echo', { main: { body: message({}, echoed) } }, { model: sent, expectation: { value: 'stripped-prefix', source: 'catalog: mantle-md/claude-echo' } });
    return result;
  };
  it.each([
    ['claude-sonnet-5-20260801'],
    ['Claude-Sonnet-5'],
    ['claude-sonnet-5@20260801'],
    ['anthropic/claude-sonnet-5'],
  ])('%s for anthropic.claude-sonnet-5 is stripped-prefix, and the reason says it was re-spelled', async (echoed) => {
    const result = await echo(echoed);
    expect([result.status, result.observed]).toEqual(['pass', 'stripped-prefix']);
    expect(result.reason).toContain('another spelling');
  });
  it('the exact stripped id is stripped-prefix with no note', async () => {
    const result = await echo('claude-sonnet-5');
    expect([result.status, result.observed]).toEqual(['pass', 'stripped-prefix']);
    expect(result.reason).not.toContain('another spelling');
  });
  it.each([['anthropic.claude-sonnet-5-20260801'], ['us.anthropic.claude-sonnet-5'], ['Anthropic.Claude-Sonnet-5']])('%s keeps the provider prefix: same', async (echoed) => {
    expect((await echo(echoed)).observed).toBe('same');
  });
  it('the id as sent is same', async () => {
    expect((await echo(CLAUDE)).observed).toBe('same');
  });
  it.each([['claude-3-haiku-20240307'], ['claude-sonnet-4-5'], ['claude-sonnet-5-1'], ['']])('another model (%s) is still other, a fail', async (echoed) => {
    const result = await echo(echoed);
    expect([result.status, result.observed]).toEqual(['fail', 'other']);
  });
  it('the same model with a provider prefix the id lacks is other, and the reason says it is the same model', async () => {
    const result = await echo('anthropic.claude-sonnet-5', 'claude-sonnet-5');
    expect(result.observed).toBe('other');
    expect(result.reason).toContain('the same model, but with a prefix the id sent does not have');
  });
});

describe('messages.error-shape: a 2xx to a Message without max_tokens', () => {
  it('is accepted, a fail against the reference, not an error', async () => {
    const result = await judged('messages.bad-request', 'messages.error-shape', { main: { body: message({}) } });
    expect([result.status, result.observed]).toEqual(['fail', 'accepted']);
    expect(result.reason).toContain('without max_tokens (which Anthropic requires) was answered HTTP 200');
  });
  it('an Anthropic envelope still passes, an OpenAI one still fails', async () => {
    const anthropic = await judged('messages.bad-request', 'messages.error-shape', { main: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } } });
    expect([anthropic.status, anthropic.observed]).toEqual(['pass', 'anthropic']);
    const openai = await judged('messages.bad-request', 'messages.error-shape', { main: { status: 400, body: { error: { message: 'max_tokens is required', type: 'invalid_request_error', param: 'max_tokens', code: null } } } });
    expect([openai.status, openai.observed]).toEqual(['fail', 'openai']);
  });
});
