/**
 * messages.thinking-default: whether a Messages request that omits `thinking` is answered with thinking blocks, read
 * from the suites' own requests that send none (answer.messages whole, stream.messages streamed). Both ways against
 * the emulator playing the catalog (Claude Sonnet 5 thinks by default, AWS doc history 2026-08-24; another Claude
 * model thinks only when asked, Anthropic's reference), and by hand: an answer that holds no block, a refusal, a
 * stream cut or stalled before any block and a broken case are not observations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { expectBothWays, named, type SwitchRow } from './helpers/switch-rows.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';
import { message, streamOf, TEXT, THINKING } from './helpers/thinking-messages.ts';

const CHECK = 'messages.thinking-default';
const SONNET_5 = 'anthropic.claude-sonnet-5';

const ROWS: SwitchRow[] = [
  // No claim: the reference (no thinking unless asked) is the expectation of a catalog model, so unasked thinking fails.
  { model: 'anthropic.claude-opus-4-7', check: CHECK, quirk: { behaviors: { thinksByDefault: true } }, off: 'no-thinking', on: 'thinks', reason: /answer\.messages: 1 thinking block.*stream\.messages, streamed: 1 thinking block/ },
  // The catalog allows Sonnet 5 both (adaptive: it may skip thinking on a trivial prompt): seen as it is, a pass either way.
  { model: SONNET_5, check: CHECK, quirk: { behaviors: { thinksByDefault: false } }, off: 'thinks', on: 'no-thinking', onStatus: 'pass', reason: /no thinking block \(blocks: text\)/ },
];

describe('messages.thinking-default against the emulator playing the catalog', () => {
  it.each(named(ROWS))('$name', async (row) => expectBothWays(row), 30_000);
});

let whole: Awaited<ReturnType<typeof caseStep>>;
let streamed: Awaited<ReturnType<typeof caseStep>>;
beforeAll(async () => {
  whole = await caseStep('answer.messages');
  streamed = await caseStep('stream.messages');
});

const completed = (caseId: string, exchange: Exchange): CaseOutcome => ({ kind: 'completed', caseId, api: 'messages', exchanges: [exchange] });
const plain = (json: unknown) => completed('answer.messages', answeredWith(whole, { json }));
const stream = (sse: string, extra: Partial<NonNullable<Exchange['response']>> = {}) => {
  const exchange = answeredWith(streamed, { sse });
  return completed('stream.messages', { ...exchange, response: { ...exchange.response!, ...extra } });
};
const judgeBoth = (outcomes: CaseOutcome[], expectation: Expectation | null = null): CheckResult =>
  getCheck(CHECK)!.run({ model: 'test.model', expectation, outcomes }) as CheckResult;

describe('messages.thinking-default by hand', () => {
  it('reads the suites\' requests that send no thinking, whole and streamed', async () => {
    expect(whole.request.body).not.toContain('"thinking"');
    expect(streamed.request.body).toContain('"stream":true');
    expect(streamed.request.body).not.toContain('"thinking"');
  });

  it('thinks: a thinking block in either answer; against the reference it fails, against Sonnet 5\'s claim it passes', () => {
    const result = judgeBoth([plain(message([THINKING, TEXT])), stream(streamOf([TEXT]))]);
    expect([result.observed, result.status, result.expected]).toEqual(['thinks', 'fail', null]);
    const claimed = judgeBoth([plain(message([TEXT])), stream(streamOf([THINKING, TEXT]))], { value: 'thinks', source: 'catalog: aws-ug/doc-history-2026-08-24' });
    expect([claimed.observed, claimed.status]).toEqual(['thinks', 'pass']);
    // A thinking block the budget cut is thinking all the same.
    const cut = judgeBoth([plain(message([{ type: 'thinking', thinking: 'The user', signature: '' }], { stop_reason: 'max_tokens', usage: { input_tokens: 6, output_tokens: 16 } })), stream(streamOf([TEXT]))]);
    expect(cut.observed).toBe('thinks');
  });

  it('no-thinking: both answers read, each with a block and no thinking', () => {
    const result = judgeBoth([plain(message([TEXT])), stream(streamOf([TEXT]))]);
    expect([result.observed, result.status]).toEqual(['no-thinking', 'pass']);
  });

  it('a Message cut by its budget before any block is inconclusive, not no-thinking', () => {
    const spent = message([], { stop_reason: 'max_tokens', usage: { input_tokens: 6, output_tokens: 16 } });
    const result = judgeBoth([plain(spent), stream(streamOf([TEXT]))], { value: 'thinks', source: 'test' });
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/budget was spent/);
  });

  it('a refusal without thinking is the model\'s choice: inconclusive', () => {
    const refused = message([{ type: 'text', text: 'I cannot help with that.' }], { stop_reason: 'refusal' });
    const result = judgeBoth([plain(refused), stream(streamOf([TEXT], 'refusal'))], { value: 'thinks', source: 'test' });
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/refused/);
  });

  it('a stream that stalled, or ended, before any block is an error, never no-thinking', () => {
    const stalled = judgeBoth([plain(message([TEXT])), stream(streamOf([], null), { stalledAfterMs: 1000 })], { value: 'thinks', source: 'test' });
    expect([stalled.status, stalled.observed]).toEqual(['error', null]);
    expect(stalled.reason).toMatch(/stalled/);
    const ended = judgeBoth([plain(message([TEXT])), stream(streamOf([], null))], { value: 'thinks', source: 'test' });
    expect([ended.status, ended.observed]).toEqual(['error', null]);
  });

  it('a case that broke (a timeout) is an error; a thinking block seen in the other still says thinks', () => {
    const broke: CaseOutcome = { kind: 'error', caseId: 'stream.messages', api: 'messages', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 'no answer within 60000 ms' } };
    const result = judgeBoth([plain(message([TEXT])), broke], { value: 'no-thinking', source: 'test' });
    expect([result.status, result.observed]).toEqual(['error', null]);
    const seen = judgeBoth([plain(message([THINKING, TEXT])), broke], { value: 'no-thinking', source: 'test' });
    expect([seen.status, seen.observed]).toEqual(['fail', 'thinks']);
  });

  it('a model that does not serve Messages is unsupported', () => {
    const result = judgeBoth([
      { kind: 'unsupported', caseId: 'answer.messages', api: 'messages', reason: 'not served' },
      { kind: 'unsupported', caseId: 'stream.messages', api: 'messages', reason: 'not served' },
    ]);
    expect(result.status).toBe('unsupported');
  });
});
