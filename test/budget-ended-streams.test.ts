/**
 * Tool streams the output budget ended (a third hostile review, 2026-12, findings 5 and 6), on the suites' own requests
 * answered by a local server on port 0. Responses: only a call still open when the stream ended (no output_item.done,
 * the last item) is the budget's doing; a call finished, or followed by another, without arguments.done is bad-stream,
 * and the incomplete response must hold every call the stream finished. Chat: a complete call that fits, with no
 * finish_reason and usage at the limit, is judged as its whole body (conformant), and the same with or without [DONE]
 * (stream.chat-completions judges [DONE]). A Responses call the endpoint closed "incomplete" is the one the budget cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { startCaseJudge, type CaseJudge, type ScriptedAnswer, type ScriptedEvents } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const judged = (caseId: string, checkId: string, answer: ScriptedAnswer): Promise<CheckResult> => judge.judge(caseId, checkId, answer, { expected: 'conformant' });

describe('tools.responses.stream-call: what the budget can have cut', () => {
  const A = '{"city":"Paris"}';
  const created = { type: 'response.created', response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } };
  const item = (id: string, args: string, status = 'completed') => ({ type: 'function_call', id, call_id: `call_${id}`, name: 'get_weather', arguments: args, status });
  const added = (id: string, i: number) => ({ type: 'response.output_item.added', output_index: i, item: item(id, '', 'in_progress') });
  const delta = (id: string, i: number, d: string) => ({ type: 'response.function_call_arguments.delta', item_id: id, output_index: i, delta: d });
  const done = (id: string, i: number, args: string) => ({ type: 'response.function_call_arguments.done', item_id: id, output_index: i, arguments: args });
  const itemDone = (id: string, i: number, args: string, status = 'completed') => ({ type: 'response.output_item.done', output_index: i, item: item(id, args, status) });
  const incomplete = (output: unknown[]) => ({ type: 'response.incomplete', response: { id: 'resp_1', object: 'response', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output, usage: { input_tokens: 10, output_tokens: 128, total_tokens: 138 } } });
  const check = (events: unknown[]) => judged('tools.responses-stream', 'tools.responses.stream-call', { events: events as Record<string, unknown>[] });

  it('a call whose output_item.done came (completed, full arguments) but no arguments.done is bad-stream, budget or not', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, '{"city":'), delta('fc_1', 0, '"Paris"}'), itemDone('fc_1', 0, A), incomplete([item('fc_1', A)])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no response.function_call_arguments.done for fc_1, though its output_item.done came');
    expect(result.reason).toContain('which explains none of it');
  });

  it('a first call without arguments.done followed by a second complete one is bad-stream', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, A), itemDone('fc_1', 0, A), added('fc_2', 1), delta('fc_2', 1, A), done('fc_2', 1, A), itemDone('fc_2', 1, A), incomplete([item('fc_1', A), item('fc_2', A)])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no response.function_call_arguments.done for fc_1');
  });

  it('a call left open, not closed but followed by another item, is bad-stream too', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, '{"city":'), added('fc_2', 1), delta('fc_2', 1, '{"ci'), incomplete([])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no response.function_call_arguments.done for fc_1, though another output item followed it');
  });

  it('an incomplete response that lacks a call the stream completed is bad-stream, as a completed one is', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, A), done('fc_1', 0, A), itemDone('fc_1', 0, A), incomplete([])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('the incomplete response does not hold the call fc_1');
  });

  it('the call still open when the budget ended the stream stays inconclusive; a finished call the response holds stands', async () => {
    const cut = await check([created, added('fc_1', 0), delta('fc_1', 0, '{"city":'), incomplete([item('fc_1', '{"city":', 'incomplete')])]);
    expect(cut.status, cut.reason).toBe('inconclusive');
    expect(cut.reason).toMatch(/may have been cut short before the budget ran out$/);
    const whole = await check([created, added('fc_1', 0), delta('fc_1', 0, A), done('fc_1', 0, A), itemDone('fc_1', 0, A), incomplete([item('fc_1', A)])]);
    expect(whole, whole.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  // A fourth review (2026-12): the endpoint closes the call the budget cut before response.incomplete, as a Responses
  // stream closes every open item; status "incomplete", or arguments that do not parse, say it was cut.
  it.each([
    ['closed "incomplete" with arguments that do not parse', '{"city":', 'incomplete'],
    ['closed "completed" with arguments that do not parse', '{"city":', 'completed'],
  ])('the last call, %s, is still the one the budget cut: inconclusive', async (_, args, status) => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, args), itemDone('fc_1', 0, args, status), incomplete([item('fc_1', args, 'incomplete')])]);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/may have been cut short before the budget ran out$/);
  });

  it('the last call closed "incomplete" with arguments that parse came complete: conformant, as an open one is', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, A), itemDone('fc_1', 0, A, 'incomplete'), incomplete([item('fc_1', A, 'incomplete')])]);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  it('a call closed "incomplete" and followed by another item was not the budget\'s: bad-stream', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, '{"city":'), itemDone('fc_1', 0, '{"city":', 'incomplete'), added('fc_2', 1), delta('fc_2', 1, '{"ci'), incomplete([])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no response.function_call_arguments.done for fc_1, though another output item followed it');
  });

  // A fifth review (2026-12, cases G, H, K1, K2): an output_item.done with no status closed the call as much as one
  // "completed" does, so its faults are not the budget's; and the call the budget cut may be closed with other arguments.
  const bare = (id: string, args: string) => ({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id, call_id: `call_${id}`, name: 'get_weather', arguments: args } });
  it('a call closed with no status and no arguments.done is bad-stream, as one closed "completed" is', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, A), bare('fc_1', A), incomplete([item('fc_1', A)])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no response.function_call_arguments.done for fc_1, though its output_item.done came');
  });

  it('an incomplete response that lacks a call closed with no status is bad-stream', async () => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, A), done('fc_1', 0, A), bare('fc_1', A), incomplete([])]);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('the incomplete response does not hold the call fc_1');
  });

  it.each(['', '{}'])('the cut call closed "incomplete" with arguments %j, not its partial text, is the budget\'s: inconclusive', async (args) => {
    const result = await check([created, added('fc_1', 0), delta('fc_1', 0, '{"city":'), itemDone('fc_1', 0, args, 'incomplete'), incomplete([item('fc_1', args, 'incomplete')])]);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/may have been cut short before the budget ran out$/);
  });
});

describe('tools.chat.stream-call: a complete call, no finish_reason, usage at the limit', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  const usage = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 10, completion_tokens: 128, total_tokens: 138 } };
  const first = { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } };
  const call = [chunk({ role: 'assistant', tool_calls: [first] }), chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] })];
  const body = { json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: null }], usage: usage.usage } };

  it('streamed and whole agree: conformant', async () => {
    const streamed = await judged('tools.chat-stream', 'tools.chat.stream-call', { events: [...call, usage, '[DONE]'] });
    const whole = await judged('tools.chat', 'tools.chat.forced-call', body);
    for (const result of [streamed, whole]) expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(streamed.reason).toContain('after the call was complete');
  });

  // A missing [DONE] is stream.chat-completions' to judge: this check gave bad-stream for it only where the budget also
  // took the finish_reason, and passed it beside one (a fourth review, 2026-12). Every row is the same complete call.
  it.each([
    ['finish_reason "tool_calls", no [DONE]', [...call, chunk({}, 'tool_calls'), { ...usage, usage: { ...usage.usage, completion_tokens: 20 } }]],
    ['finish_reason "length", usage at the limit, no [DONE]', [...call, chunk({}, 'length'), usage]],
    ['no finish_reason, usage at the limit, [DONE]', [...call, usage, '[DONE]']],
    ['no finish_reason, usage at the limit, no [DONE]', [...call, usage]],
  ])('with or without [DONE], a complete call is conformant: %s', async (_, events) => {
    const result = await judged('tools.chat-stream', 'tools.chat.stream-call', { events: events as ScriptedEvents });
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  it('no finish_reason and no [DONE] without the budget is still bad-stream: the finish never came', async () => {
    const early = { ...usage, usage: { ...usage.usage, completion_tokens: 20 } };
    const result = await judged('tools.chat-stream', 'tools.chat.stream-call', { events: [...call, early] });
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(result.reason).toContain('no chunk carries a finish_reason');
  });

  it('arguments cut short with no finish_reason stay inconclusive', async () => {
    const cut = [chunk({ role: 'assistant', tool_calls: [first] }), chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Pa' } }] }), usage, '[DONE]'];
    const result = await judged('tools.chat-stream', 'tools.chat.stream-call', { events: cut });
    expect(result.status, result.reason).toBe('inconclusive');
  });
});
