/**
 * tools.responses.call-id-scope: whether Responses function_call call_ids are unique across responses (OpenAI:
 * "the unique ID of the function tool call") or scoped to one response and reused (`call_0` again,
 * pydantic/pydantic-ai #6536). Read from the suites' tools.responses cases (the whole call and its result turn, and the
 * streamed call): against the emulator playing the catalog, and by hand on answers that reuse an id, that make fewer
 * than two calls (text instead of a call, a budget spent on reasoning) and that broke.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { answeredWith, caseStep, sseText, type CaseStep } from './helpers/suite-answers.ts';

const CHECK = 'tools.responses.call-id-scope';

describe('tools.responses.call-id-scope against the emulator playing the catalog', () => {
  it('reads the whole call and the streamed one: distinct ids are unique, a pass against the reference', async () => {
    const emulator = await catalogEmulator();
    try {
      const result = (await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks: [CHECK] })).get(CHECK)!;
      expect([result.observed, result.status], result.reason).toEqual(['unique', 'pass']);
      expect(result.reason).toMatch(/tools\.responses\/call: "call_[0-9a-f]+"/);
      expect(result.reason).toMatch(/tools\.responses-stream\/main: "call_[0-9a-f]+"/);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});

const response = (output: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'test', output, usage: { input_tokens: 9, output_tokens: 12, total_tokens: 21 }, ...extra,
});
const call = (callId: string) => ({ id: `fc_${callId}`, type: 'function_call', status: 'completed', call_id: callId, name: 'get_weather', arguments: '{"city":"Paris"}' });
const text = (words: string) => ({ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: words, annotations: [] }] });

/** A Responses stream of one function call with `callId`, as tool-stream-readers.ts reads it. */
function streamedCall(callId: string): string {
  const item = call(callId);
  const events = [
    { type: 'response.created', sequence_number: 0, response: response([], { status: 'in_progress' }) },
    { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } },
    { type: 'response.function_call_arguments.delta', sequence_number: 2, item_id: item.id, output_index: 0, delta: item.arguments },
    { type: 'response.function_call_arguments.done', sequence_number: 3, item_id: item.id, output_index: 0, arguments: item.arguments },
    { type: 'response.output_item.done', sequence_number: 4, output_index: 0, item },
    { type: 'response.completed', sequence_number: 5, response: response([item]) },
  ];
  return sseText(events.map((e) => ({ name: e.type, data: JSON.stringify(e) })));
}

let callStep: CaseStep;
let resultStep: CaseStep;
let streamStep: CaseStep;
beforeAll(async () => {
  callStep = await caseStep('tools.responses', { step: 'call' });
  resultStep = await caseStep('tools.responses', { step: 'result' });
  streamStep = await caseStep('tools.responses-stream');
});

const whole = (...exchanges: Exchange[]): CaseOutcome => ({ kind: 'completed', caseId: 'tools.responses', api: 'responses', exchanges });
const streamed = (sse: string): CaseOutcome => ({ kind: 'completed', caseId: 'tools.responses-stream', api: 'responses', exchanges: [answeredWith(streamStep, { sse })] });
const judge = (outcomes: CaseOutcome[], expectation: Expectation | null = null): CheckResult => getCheck(CHECK)!.run({ model: 'test.model', expectation, outcomes }) as CheckResult;
const TURN = () => answeredWith(resultStep, { json: response([text('It is 21.5 degrees in Paris.')]) });

describe('tools.responses.call-id-scope by hand', () => {
  it('unique: two responses, each with its own call_id', () => {
    const result = judge([whole(answeredWith(callStep, { json: response([call('call_a1')]) }), TURN()), streamed(streamedCall('call_b2'))]);
    expect([result.observed, result.status, result.expected]).toEqual(['unique', 'pass', null]);
  });

  it('reused: call_0 in two responses, whole and streamed, fails against the reference', () => {
    const result = judge([whole(answeredWith(callStep, { json: response([call('call_0')]) }), TURN()), streamed(streamedCall('call_0'))]);
    expect([result.observed, result.status], result.reason).toEqual(['reused', 'fail']);
    expect(result.reason).toMatch(/call_id "call_0" in both tools\.responses\/call and tools\.responses-stream\/main/);
  });

  it('reused: the result turn calls again with the id of the first turn (call_0 reused across turns)', () => {
    const again = answeredWith(resultStep, { json: response([call('call_0')]) });
    const result = judge([whole(answeredWith(callStep, { json: response([call('call_0')]) }), again)], { value: 'unique', source: 'test' });
    expect([result.observed, result.status]).toEqual(['reused', 'fail']);
  });

  it('not observed when the model answered with text instead of a call: one call cannot be compared', () => {
    const result = judge([whole(answeredWith(callStep, { json: response([text('Paris is sunny.')]) }), TURN()), streamed(streamedCall('call_b2'))], { value: 'unique', source: 'test' });
    expect([result.status, result.observed], result.reason).toEqual(['inconclusive', null]);
    expect(result.reason).toMatch(/only one response made a function call.*no function call \(output: message\)/);
  });

  it('not observed when the model spent its budget on reasoning before any call', () => {
    const spent = response([{ id: 'rs_1', type: 'reasoning', summary: [] }], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 9, output_tokens: 128, output_tokens_details: { reasoning_tokens: 128 }, total_tokens: 137 } });
    const result = judge([whole(answeredWith(callStep, { json: spent })), streamed(streamedCall('call_b2'))], { value: 'unique', source: 'test' });
    expect([result.status, result.observed], result.reason).toEqual(['inconclusive', null]);
    expect(result.reason).toMatch(/budget was spent on reasoning/);
  });

  it('an error, never unique, when a case broke (a timeout) and fewer than two calls were read', () => {
    const broke: CaseOutcome = { kind: 'error', caseId: 'tools.responses-stream', api: 'responses', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 'no answer within 60000 ms' } };
    const result = judge([whole(answeredWith(callStep, { json: response([call('call_a1')]) }), TURN()), broke], { value: 'unique', source: 'test' });
    expect([result.status, result.observed]).toEqual(['error', null]);
    expect(result.reason).toMatch(/HARNESS_TIMEOUT/);
  });

  it('a model that does not serve Responses is unsupported', () => {
    const result = judge([
      { kind: 'unsupported', caseId: 'tools.responses', api: 'responses', reason: 'not served' },
      { kind: 'unsupported', caseId: 'tools.responses-stream', api: 'responses', reason: 'not served' },
    ]);
    expect(result.status).toBe('unsupported');
  });
});
