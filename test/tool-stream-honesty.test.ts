/**
 * Streamed tool calls the model, not the endpoint, left out (review of a hostile model server): a stream that
 * carries a refusal and no call (chat `delta.refusal`, Responses `response.refusal.delta`/`.done`, Messages
 * `stop_reason: "refusal"`) is `inconclusive`, as the whole-body forced-call checks read a refusal; one with prose and
 * no call is still `no-call`. Under a forced tool_choice, a streamed call of another tool is `no-call` naming it, not
 * `bad-arguments`; the forced call is still `conformant`.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

/** `check` on the stream `events` answering case `caseId`'s own request. */
async function judged(caseId: string, check: string, events: Record<string, unknown>[]): Promise<CheckResult> {
  const at = await caseStep(caseId);
  // Named by their type, as Anthropic and OpenAI's Responses name theirs (@anthropic-ai/sdk skips an unnamed event).
  const data = sseText([...events.map((e) => ({ data: JSON.stringify(e), ...(typeof e.type === 'string' ? { name: e.type } : {}) })), ...(at.spec.api === 'chat-completions' ? [{ data: '[DONE]' }] : [])]);
  return judgeOn(check, caseId, at.spec.api, [answeredWith(at, { sse: data })]);
}

const REFUSAL = "I'm sorry, but I can't help with that.";

function chat(deltas: Record<string, unknown>[], finish: string): Record<string, unknown>[] {
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason }] });
  return [chunk({ role: 'assistant', content: '' }), ...deltas.map((d) => chunk(d)), chunk({}, finish)];
}
const chatCall = (name: string, index = 0) => [{ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name, arguments: '' } }] }, { tool_calls: [{ index, function: { arguments: '{"city":"Paris"}' } }] }];

function responses(items: Record<string, unknown>[]): Record<string, unknown>[] {
  const response = { id: 'r', object: 'response', created_at: 1, status: 'completed', model: 'm', output: items };
  const events: Record<string, unknown>[] = [{ type: 'response.created', response: { ...response, status: 'in_progress', output: [] } }];
  items.forEach((item, output_index) => {
    events.push({ type: 'response.output_item.added', output_index, item });
    if (item.type === 'function_call') {
      events.push({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index, delta: item.arguments });
      events.push({ type: 'response.function_call_arguments.done', item_id: item.id, output_index, arguments: item.arguments });
    } else {
      events.push({ type: 'response.refusal.delta', item_id: item.id, output_index, content_index: 0, delta: REFUSAL });
      events.push({ type: 'response.refusal.done', item_id: item.id, output_index, content_index: 0, refusal: REFUSAL });
    }
    events.push({ type: 'response.output_item.done', output_index, item });
  });
  return [...events, { type: 'response.completed', response }].map((e, sequence_number) => ({ ...e, sequence_number }));
}
const responsesCall = (name: string) => ({ type: 'function_call', id: 'fc_1', call_id: 'call_1', name, arguments: '{"city":"Paris"}', status: 'completed' });
const refusalItem = { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: REFUSAL }] };

function messages(blocks: { tool?: string; text?: string }[], stop: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [{ type: 'message_start', message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  blocks.forEach((block, index) => {
    if (block.tool) {
      events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: 'toolu_1', name: block.tool, input: {} } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '{"city":"Paris"}' } });
    } else {
      events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
    }
    events.push({ type: 'content_block_stop', index });
  });
  return [...events, { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }];
}

const STREAMS = [
  { caseId: 'tools.chat-stream', check: 'tools.chat.stream-call', refused: chat([{ refusal: REFUSAL }], 'stop'), prose: chat([{ content: 'It is sunny.' }], 'stop'), other: chat(chatCall('lookup_city'), 'tool_calls'), good: chat(chatCall('get_weather'), 'tool_calls') },
  { caseId: 'tools.chat-parallel-stream', check: 'tools.chat.stream-parallel', refused: chat([{ refusal: REFUSAL }], 'stop'), prose: chat([{ content: 'It is sunny.' }], 'stop'), other: chat(chatCall('lookup_city'), 'tool_calls'), good: chat([...chatCall('get_weather', 0), ...chatCall('get_weather', 1)], 'tool_calls') },
  { caseId: 'tools.responses-stream', check: 'tools.responses.stream-call', refused: responses([refusalItem]), prose: responses([]), other: responses([responsesCall('lookup_city')]), good: responses([responsesCall('get_weather')]) },
  { caseId: 'tools.messages-stream', check: 'tools.messages.stream-call', refused: messages([], 'refusal'), prose: messages([{ text: 'It is sunny.' }], 'end_turn'), other: messages([{ tool: 'lookup_city' }], 'tool_use'), good: messages([{ tool: 'get_weather' }], 'tool_use') },
];

describe('a streamed refusal, or a call of another tool', () => {
  it.each(STREAMS)('$check: a refusal and no call is inconclusive; prose and no call is still no-call', async ({ caseId, check, refused, prose }) => {
    const refusal = await judged(caseId, check, refused);
    expect(refusal.status, refusal.reason).toBe('inconclusive');
    expect(refusal.reason).toMatch(/^the model refused \((".*can't help|stop_reason "refusal")/);
    expect(refusal.reason).toContain("instead of calling the tool: the model's choice, not the endpoint's");
    expect(await judged(caseId, check, prose)).toMatchObject({ status: 'fail', observed: 'no-call' });
  });

  it.each(STREAMS)('$check: a call of a tool not asked for is no-call naming it; the asked call is conformant', async ({ caseId, check, other, good }) => {
    const wrong = await judged(caseId, check, other);
    expect(wrong).toMatchObject({ status: 'fail', observed: 'no-call' });
    expect(wrong.reason).toMatch(/the answer calls "lookup_city", (not the forced "get_weather"|which the request did not declare)/);
    const right = await judged(caseId, check, good);
    expect(right.observed, right.reason).toBe('conformant');
  });
});

describe("a stream the endpoint's content filter ended", () => {
  const filteredResponses = () => {
    const events = responses([]);
    const last = events.at(-1)!;
    return [...events.slice(0, -1), { ...last, type: 'response.incomplete', response: { ...(last.response as object), status: 'incomplete', incomplete_details: { reason: 'content_filter' } } }];
  };
  it.each([
    { caseId: 'tools.chat-stream', check: 'tools.chat.stream-call', events: chat([{ content: 'It is' }], 'content_filter'), unfiltered: chat([{ content: 'It is' }], 'stop'), said: 'finish_reason "content_filter"' },
    { caseId: 'tools.responses-stream', check: 'tools.responses.stream-call', events: filteredResponses(), unfiltered: responses([]), said: 'status "incomplete", incomplete_details.reason "content_filter"' },
  ])("$check: no call and the endpoint's content filter is no-call naming the filter (the same stream unfiltered is no-call without it)", async ({ caseId, check, events, unfiltered, said }) => {
    const filtered = await judged(caseId, check, events);
    expect(filtered).toMatchObject({ status: 'fail', observed: 'no-call' });
    expect(filtered.reason).toMatch(new RegExp(`; the stream holds no tool call; the endpoint's content filter ended the answer \\(${said.replace(/[()]/g, "\\$&")}\\)$`));
    const plain = await judged(caseId, check, unfiltered);
    expect(plain).toMatchObject({ status: 'fail', observed: 'no-call' });
    expect(plain.reason).not.toContain('content filter');
  });
});

describe('a forced call streamed beside calls of other tools', () => {
  it('a call of a tool nobody declared beside the forced one is bad-arguments, never conformant', async () => {
    const extra = [...chatCall('get_weather', 0), { tool_calls: [{ index: 1, id: 'call_1', type: 'function', function: { name: 'bogus', arguments: '{not json' } }] }];
    expect(await judged('tools.chat-stream', 'tools.chat.stream-call', chat(extra, 'tool_calls'))).toMatchObject({ status: 'fail', observed: 'bad-arguments' });
    const misspelt = [...chatCall('get_weather', 0), ...chatCall('get_wether', 1)];
    expect(await judged('tools.chat-parallel-stream', 'tools.chat.stream-parallel', chat(misspelt, 'tool_calls'))).toMatchObject({ status: 'fail', observed: 'bad-arguments' });
  });
});
