/**
 * Tidies of the stall wording, the answered/stalled readers and the expectations-file source, each written once:
 * stalledBody names its own subject (callers no longer rewrite "the answer" with a regex), stalledAnswer sits beside
 * answeredExchanges and reads the same default step, and one builder (suite/expectations-source.ts) writes the
 * source text statedInFile recognises. The strings come out as before.
 */
import { describe, expect, it } from 'vitest';
import { answeredExchanges, stalledAnswer } from '../src/checks/answer.ts';
import type { CompletedOutcome } from '../src/checks/judge.ts';
import { stalledBody } from '../src/checks/stalled-body.ts';
import { expectationsSource } from '../src/suite/expectations-source.ts';
import { statedInFile } from '../src/report/build-matrix.ts';
import type { Exchange, ExchangeResponse } from '../src/transport/exchange.ts';

const CHAT = JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }] });

function response(status: number, data: string, stalled: boolean): ExchangeResponse {
  return { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data }], ...(stalled ? { stalledAfterMs: 800 } : {}) };
}

function exchange(step: string, path: string, stalled: boolean, arrived = CHAT.length): Exchange {
  return { step, prefix: path.startsWith('/openai') ? '/openai/v1' : '/v1', request: { method: 'POST', path, headers: {} }, response: response(200, CHAT.slice(0, arrived), stalled), error: null, durationMs: 1, attempts: 1 };
}

describe('stalledBody names the subject its caller gives', () => {
  it('says "the answer" by default and the caller\'s words otherwise, with the same tail', () => {
    const stalled = response(400, '{"error":{"mess', true);
    expect(stalledBody(stalled)).toBe('the answer stalled: no data for 800 ms after 15 character(s)');
    expect(stalledBody(stalled, 'whose body')).toBe('whose body stalled: no data for 800 ms after 15 character(s)');
    expect(stalledBody(stalled, 'its body')).toBe('its body stalled: no data for 800 ms after 15 character(s)');
  });

  it('is still undefined for a body that ended, and for a stalled 2xx stream (stream.* judge that)', () => {
    expect(stalledBody(response(400, '{}', false), 'its body')).toBeUndefined();
    const stream: ExchangeResponse = { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 0, data: 'data: {}\n\n' }], stalledAfterMs: 800 };
    expect(stalledBody(stream, 'its body')).toBeUndefined();
  });
});

describe('stalledAnswer beside answeredExchanges (answer.ts), reading the same default step', () => {
  const outcome: CompletedOutcome = {
    kind: 'completed',
    caseId: 'probe.chat',
    api: 'chat-completions',
    exchanges: [exchange('first', '/v1/chat/completions', true, 20), exchange('main', '/v1/chat/completions', true, 30), exchange('main', '/openai/v1/chat/completions', false)],
  };

  it('reads the case\'s last step when none is named: the stalled prefix there, left out of the answered ones', () => {
    expect(answeredExchanges(outcome)).toEqual([outcome.exchanges[2]]);
    const stall = stalledAnswer(outcome);
    expect(stall?.exchange).toBe(outcome.exchanges[1]);
    expect(stall?.reason).toBe('could not observe: /v1/chat/completions answered 200 and its body stalled: no data for 800 ms after 30 character(s)');
  });

  it('reads the step it is given', () => {
    expect(answeredExchanges(outcome, 'first')).toEqual([]);
    expect(stalledAnswer(outcome, 'first')?.reason).toBe('could not observe: /v1/chat/completions answered 200 and its body stalled: no data for 800 ms after 20 character(s)');
    expect(stalledAnswer(outcome, 'other')).toBeUndefined();
  });

});

describe('the expectations file\'s source text, built once (suite/expectations-source.ts)', () => {
  it('names the file, and a target\'s entry with its target', () => {
    expect(expectationsSource()).toBe('expectations');
    expect(expectationsSource('us-west-2')).toBe('expectations (us-west-2)');
    expect(expectationsSource('')).toBe('expectations');
  });

  it('is what statedInFile recognises, and it answers as the regex it replaced on every kind of source', () => {
    const OLD = /^expectations(?: \([^)]*\))?: /;
    const sources = [
      `${expectationsSource()}: accepted`,
      `${expectationsSource('us-west-2')}: us-west-2 sends created as a float`,
      `${expectationsSource('runtime.east')}: x (https://example.invalid)`,
      'expectations (a:b): x',
      'expectations (a (b): x',
      'expectations (a)b): x',
      'expectations: a (b): c',
      'expectations (us-west-2) x',
      'expectationsx: y',
      'expectations',
      'catalog: accepted',
      'openai-reference: GET /v1/models lists the models available',
      ' expectations: x',
      '',
    ];
    for (const source of sources) expect(statedInFile(source), source).toBe(OLD.test(source));
    expect(statedInFile(null)).toBe(false);
  });
});
