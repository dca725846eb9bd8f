/**
 * messages.thinking-disabled: whether a Messages request with `thinking: {type: "disabled"}` is answered without
 * thinking (`off`), with it (`ignored`), or refused (`rejected`). Both ways against the emulator playing the catalog
 * (Claude Sonnet 5 honours it, AWS doc history 2026-08-24; Sonnet 5.5 refuses it with a 400 in Anthropic's shape,
 * vercel/ai 5.0.99; another Claude model takes the reference, off), and by hand on the case's own request: a budget
 * spent on thinking alone is `ignored` (the thinking is the evidence), never a harness error; an answer with no block,
 * a refusal of another field and a refusal by the model are inconclusive; what broke is an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { expectBothWays, named, type SwitchRow } from './helpers/switch-rows.ts';
import { answeredWith, caseStep, sseText } from './helpers/suite-answers.ts';
import { message, TEXT, THINKING } from './helpers/thinking-messages.ts';

const CHECK = 'messages.thinking-disabled';
const CASE = 'messages.thinking-disabled';
const SONNET_5 = 'anthropic.claude-sonnet-5';
const SONNET_5_5 = 'anthropic.claude-sonnet-5-5';
const OPUS = 'anthropic.claude-opus-4-7';
const SONNET_5_5_CLAIM: Expectation = { value: 'rejected', source: 'catalog: vercel-ai/amazon-bedrock-5.0.99' };
const SONNET_5_CLAIM: Expectation = { value: 'off', source: 'catalog: aws-ug/doc-history-2026-08-24' };

const ROWS: SwitchRow[] = [
  // No claim: the reference (thinking off when disabled) is the expectation, so thinking anyway, or a refusal, fails.
  { model: OPUS, check: CHECK, quirk: { behaviors: { disabledThinking: 'ignored' } }, off: 'off', on: 'ignored', reason: /1 thinking block\(s\) though thinking was disabled \(blocks: thinking, text\)/ },
  { model: OPUS, check: CHECK, quirk: { behaviors: { disabledThinking: 'rejected' } }, off: 'off', on: 'rejected', reason: /400: thinking\.type: "disabled" is not supported/ },
  // Sonnet 5 thinks by default; disabled turns it off. One that spends the whole budget thinking anyway is `ignored`.
  { model: SONNET_5, check: CHECK, quirk: { behaviors: { disabledThinking: 'ignored', thinkingTokens: 100_000 } }, off: 'off', on: 'ignored', reason: /thinking block\(s\) though thinking was disabled \(blocks: thinking\); the output budget was spent/ },
  // Sonnet 5.5 refuses it (the catalog's claim, played from the catalog): one that honours it fails that claim.
  { model: SONNET_5_5, check: CHECK, quirk: { behaviors: { disabledThinking: 'off' } }, off: 'rejected', on: 'off', reason: /without a thinking block \(blocks: text\)/ },
];

describe('messages.thinking-disabled against the emulator playing the catalog', () => {
  it.each(named(ROWS))('$name', async (row) => expectBothWays(row), 30_000);
});

let step: Awaited<ReturnType<typeof caseStep>>;
beforeAll(async () => {
  step = await caseStep(CASE);
});

const completed = (exchange: Exchange): CaseOutcome => ({ kind: 'completed', caseId: CASE, api: 'messages', exchanges: [exchange] });
const judged = (exchange: Exchange, expectation: Expectation | null = null): CheckResult => getCheck(CHECK)!.run({ model: 'test.model', expectation, outcomes: [completed(exchange)] }) as CheckResult;
const answered = (json: unknown, status = 200) => answeredWith(step, { status, json });
const refusal = (text: string) => answered({ type: 'error', error: { type: 'invalid_request_error', message: text } }, 400);
const spentOnThinking = message([{ type: 'thinking', thinking: 'The user wants', signature: '' }], { stop_reason: 'max_tokens', usage: { input_tokens: 6, output_tokens: 256 } });

describe('messages.thinking-disabled by hand', () => {
  it('the case sends thinking {type: "disabled"}, whole, with room to answer', () => {
    const body = JSON.parse(step.request.body!) as Record<string, unknown>;
    expect(body.thinking).toEqual({ type: 'disabled' });
    expect(body.stream).toBeUndefined();
    expect(body.max_tokens).toBeGreaterThanOrEqual(64);
    expect(getCheck(CHECK)!.sends?.map((s) => s.field)).toEqual(['thinking']);
  });

  it('off: a conforming answer (text, no thinking) passes against the reference and Sonnet 5\'s claim', () => {
    const result = judged(answered(message([TEXT])));
    expect([result.observed, result.status, result.expected]).toEqual(['off', 'pass', null]);
    expect(judged(answered(message([TEXT])), SONNET_5_CLAIM).status).toBe('pass');
    // Sonnet 5.5 is expected to refuse: answering it is the deviation.
    expect([judged(answered(message([TEXT])), SONNET_5_5_CLAIM).status]).toEqual(['fail']);
  });

  it('ignored: thinking blocks in the answer are observed and fail where off is expected', () => {
    for (const block of [THINKING, { type: 'redacted_thinking', data: 'abc' }]) {
      const result = judged(answered(message([block, TEXT])), SONNET_5_CLAIM);
      expect([result.observed, result.status], result.reason).toEqual(['ignored', 'fail']);
      expect(result.reason).toMatch(/though thinking was disabled/);
    }
  });

  it('rejected: a 400 refusing it is observed, fails against the reference, passes for Sonnet 5.5\'s claim', () => {
    const exchange = refusal('thinking.type: "disabled" is not supported for this model');
    const reference = judged(exchange);
    expect([reference.observed, reference.status]).toEqual(['rejected', 'fail']);
    const claimed = judged(exchange, SONNET_5_5_CLAIM);
    expect([claimed.observed, claimed.status]).toEqual(['rejected', 'pass']);
    expect(claimed.reason).toMatch(/400: thinking\.type: "disabled" is not supported/);
  });

  it('a reasoning model that spends the budget on thinking is ignored (the thinking is the evidence), not an error', () => {
    const result = judged(answered(spentOnThinking), SONNET_5_CLAIM);
    expect([result.observed, result.status], result.reason).toEqual(['ignored', 'fail']);
    expect(result.reason).toMatch(/output budget was spent/);
  });

  it('an answer with no block, a refusal by the model, a refusal of max_tokens: inconclusive, never off', () => {
    const empty = judged(answered(message([], { stop_reason: 'max_tokens', usage: { input_tokens: 6, output_tokens: 256 } })), SONNET_5_CLAIM);
    expect([empty.status, empty.observed]).toEqual(['inconclusive', null]);
    const declined = judged(answered(message([{ type: 'text', text: 'I cannot help with that.' }], { stop_reason: 'refusal' })), SONNET_5_CLAIM);
    expect([declined.status, declined.observed]).toEqual(['inconclusive', null]);
    const bound = judged(refusal('max_tokens: 256 is below the minimum of 1024 for this model'), SONNET_5_5_CLAIM);
    expect([bound.status, bound.observed], bound.reason).toEqual(['inconclusive', null]);
  });

  it('infrastructure is an error, never a verdict: throttled, 5xx, a broken case, a cut body, a stream', () => {
    const throttled = judged(answered({ message: 'Too many requests' }, 429), SONNET_5_5_CLAIM);
    const unavailable = judged(answered({ message: 'Service unavailable' }, 503), SONNET_5_5_CLAIM);
    const cut = judged(answeredWith(step, { text: '{"type":"message","content":[{"type":"th' }), SONNET_5_CLAIM);
    const streamed = judged(answeredWith(step, { sse: sseText([{ name: 'message_start', data: '{"type":"message_start"}' }]) }), SONNET_5_CLAIM);
    for (const result of [throttled, unavailable, cut, streamed]) expect([result.status, result.observed], result.reason).toEqual(['error', null]);
    const broke: CaseOutcome = { kind: 'error', caseId: CASE, api: 'messages', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 'no answer within 60000 ms' } };
    const timedOut = getCheck(CHECK)!.run({ model: 'test.model', expectation: SONNET_5_CLAIM, outcomes: [broke] }) as CheckResult;
    expect([timedOut.status, timedOut.observed]).toEqual(['error', null]);
  });

  it('a request that sent another thinking setting (a user\'s suite) shows nothing of disabled: error', () => {
    const adaptive = { ...step, request: { ...step.request, body: JSON.stringify({ ...JSON.parse(step.request.body!), thinking: { type: 'adaptive' } }) } };
    const result = judged(answeredWith(adaptive, { json: message([TEXT]) }), SONNET_5_CLAIM);
    expect([result.status, result.observed]).toEqual(['error', null]);
    expect(result.reason).toMatch(/not \{"type": "disabled"\}/);
  });

  it('a model that does not serve Messages is unsupported', () => {
    const result = getCheck(CHECK)!.run({ model: 'test.model', expectation: null, outcomes: [{ kind: 'unsupported', caseId: CASE, api: 'messages', reason: 'not served' }] }) as CheckResult;
    expect(result.status).toBe('unsupported');
  });
});
