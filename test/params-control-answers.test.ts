/**
 * A control request of params.max-tokens or params.stop that the endpoint refused (404 "model does not exist" while
 * the limited request was served), rejected (400), or answered 2xx with a body that is no JSON object read
 * `inconclusive`, so the gate stayed green (a third hostile review, 2026-12, finding 4). The control is a plain request
 * the endpoint must serve for the check to judge: each is now `error`, with the control's status and its words quoted.
 */
import { describe, expect, it } from 'vitest';
import { paramChecks } from '../src/checks/params.ts';
import type { CaseOutcome, CheckInput, CheckResult } from '../src/checks/types.ts';
import { runOnObserved } from '../src/run/observed-steps.ts';
import type { Exchange } from '../src/transport/exchange.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
type Raw = { status: number; data: string };

function exchange(step: string, request: Record<string, unknown>, answer: Raw): Exchange {
  return {
    step,
    prefix: '/v1',
    request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: JSON.stringify(request) },
    response: { status: answer.status, headers: JSON_HEADERS, chunks: [{ t: 0, data: answer.data }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  } as unknown as Exchange;
}

const chat = (text: string, tokens: number, finish: string): Raw => ({ status: 200, data: JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }], usage: { completion_tokens: tokens } }) });
const error = (status: number, message: string, type: string): Raw => ({ status, data: JSON.stringify({ error: { message, type } }) });
const NOT_FOUND = error(404, 'The model xai.grok-4.3 does not exist', 'not_found_error');
const BAD_REQUEST = error(400, 'injected bad request', 'invalid_request_error');
const TRUNCATED: Raw = { status: 200, data: '{"id":"x","choices":[{"index":0,"message":{"role":"assi' };

function judged(check: string, first: Exchange, control: Exchange): Promise<CheckResult> {
  const definition = paramChecks.find((c) => c.id === check)!;
  const outcome: CaseOutcome = { kind: 'completed', caseId: check, api: 'chat-completions', routed: true, exchanges: [first, control] };
  const input: CheckInput = { model: 'xai.grok-4.3', expectation: { value: 'honored', source: 'openai-reference' }, outcomes: [outcome] };
  return runOnObserved(definition, input);
}

const prompt = [{ role: 'user', content: 'Count from 1 to 100, separated by spaces.' }];
const maxTokens = (control: Raw) => judged('params.max-tokens', exchange('limited', { messages: prompt, max_tokens: 1 }, chat('1', 1, 'length')), exchange('control', { messages: prompt, max_tokens: 64 }, control));
const counting = [{ role: 'user', content: 'Count from 1 to 10, separated by spaces.' }];
const stop = (control: Raw) => judged('params.stop', exchange('stopped', { messages: counting, stop: ['5'], max_tokens: 64 }, chat('1 2 3 4 ', 8, 'stop')), exchange('control', { messages: counting, max_tokens: 64 }, control));

describe('params.*: a control the endpoint did not serve is error, not inconclusive', () => {
  it.each([
    ['404 refusing the model', NOT_FOUND, 'could not observe: the control request was answered 404 ("The model xai.grok-4.3 does not exist")'],
    ['400 rejecting the request', BAD_REQUEST, 'could not observe: the control request was answered 400 ("injected bad request")'],
    ['200 with a body cut short', TRUNCATED, "could not observe: the control answer's HTTP 200 body is not a JSON object"],
  ])('params.max-tokens, control %s', async (_, control, reason) => {
    const result = await maxTokens(control);
    expect(result.status, result.reason).toBe('error');
    expect(result.reason.startsWith(reason), result.reason).toBe(true);
    expect(result.reason).toContain('the control tells whether max_tokens: 1 had an effect (1 output token(s))');
    expect(result.evidence.map((e) => `${e.step} ${e.status}`)).toEqual(['limited 200', `control ${control.status}`]);
  });

  it.each([
    ['404', NOT_FOUND],
    ['400', BAD_REQUEST],
    ['200 cut short', TRUNCATED],
  ])('params.stop, control %s', async (_, control) => {
    const result = await stop(control);
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toContain('the control tells whether stop ["5"] cut the output');
  });

  it('a served control still judges: the limit honoured against a control that wrote past it', async () => {
    const result = await maxTokens(chat(Array.from({ length: 30 }, (_, i) => i + 1).join(' '), 30, 'stop'));
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'honored' });
  });
});
