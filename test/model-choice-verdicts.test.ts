/**
 * What the model chose, and an answer nothing can be read from, are not the endpoint's failures (review of
 * 2026-12-04): a 200 whose body was cut short on the way makes no call and no JSON observable (error, not
 * `no-call` or `not-json`); a refusal, the documented answer of a model that will not comply, is inconclusive where
 * a check looked for a call, JSON or text; a Message that ends its turn without text is the model's doing
 * (answer.non-empty judges empty answers per trial). Each check still judges the answer it is about: a good body
 * passes, a body with prose instead of the call still fails.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { schemaProblems } from '../src/checks/json-schema.ts';
import { integerLexemeNote } from '../src/checks/schema-modes.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

/** `check` on the answer `body` (text, or a value sent as JSON) to step `step` of case `caseId`, as the suites send it. */
async function judged(caseId: string, check: string, body: unknown, step?: string): Promise<CheckResult> {
  const at = await caseStep(caseId, step ? { step } : {});
  return judgeOn(check, caseId, at.spec.api, [answeredWith(at, typeof body === 'string' ? { text: body } : { json: body })]);
}

const usage = { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 };
const chat = (message: Record<string, unknown>, finish = 'stop') => ({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage });
const responses = (output: unknown[]) => ({ id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output, usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32 } });
const messages = (content: unknown[], stop = 'end_turn') => ({ id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 12 } });

const CALLS = {
  chat: chat({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'tool_calls'),
  responses: responses([{ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }]),
  messages: messages([{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], 'tool_use'),
};
const PERSON = '{"name":"Ada","age":36}';
const JSON_ANSWERS = {
  chat: chat({ content: PERSON }),
  responses: responses([{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: PERSON, annotations: [] }] }]),
};
const REFUSAL = "I'm sorry, but I can't help with that.";
const REFUSED = {
  chat: chat({ refusal: REFUSAL }),
  responses: responses([{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: REFUSAL }] }]),
  messages: messages([], 'refusal'),
};
const PROSE = {
  chat: chat({ content: 'It is sunny in Paris.' }),
  responses: responses([{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is sunny in Paris.', annotations: [] }] }]),
  messages: messages([{ type: 'text', text: 'It is sunny in Paris.' }]),
};
/** The first 60% of an answer's text: a proxy's buffer limit, the connection closed cleanly. */
const cut = (body: unknown) => {
  const text = JSON.stringify(body);
  return text.slice(0, Math.floor(text.length * 0.6));
};

const FORCED = [
  { api: 'chat' as const, caseId: 'tools.chat', check: 'tools.chat.forced-call' },
  { api: 'responses' as const, caseId: 'tools.responses', check: 'tools.responses.forced-call' },
  { api: 'messages' as const, caseId: 'tools.messages', check: 'tools.messages.forced-call' },
];
const STRUCTURED = [
  { api: 'chat' as const, caseId: 'structured.chat', check: 'structured-output.chat' },
  { api: 'responses' as const, caseId: 'structured.responses', check: 'structured-output.responses' },
];

describe('a 200 whose body was cut short: nothing the model did can be read', () => {
  it.each(FORCED)('$check: error, not no-call; the whole answer is conformant', async ({ api, caseId, check }) => {
    const broken = await judged(caseId, check, cut(CALLS[api]), 'call');
    expect(broken.status, broken.reason).toBe('error');
    expect(broken.reason).toMatch(/^could not observe: HTTP 200 with a body that is not a JSON object/);
    const whole = await judged(caseId, check, CALLS[api], 'call');
    expect(whole.observed, whole.reason).toBe('conformant');
  });

  it.each(STRUCTURED)('$check: error, not not-json; the whole answer is valid', async ({ api, caseId, check }) => {
    const broken = await judged(caseId, check, cut(JSON_ANSWERS[api]));
    expect(broken.status, broken.reason).toBe('error');
    const whole = await judged(caseId, check, JSON_ANSWERS[api]);
    expect(whole.observed, whole.reason).toBe('valid');
  });
});

describe('a refusal is the model\'s answer, not the endpoint\'s failure', () => {
  it.each(FORCED)('$check: a refusal is inconclusive and quotes it; prose instead of the call is still no-call', async ({ api, caseId, check }) => {
    const refused = await judged(caseId, check, REFUSED[api], 'call');
    expect(refused.status, refused.reason).toBe('inconclusive');
    expect(refused.reason).toMatch(/the model refused \((".*can't help|stop_reason "refusal")/);
    const prose = await judged(caseId, check, PROSE[api], 'call');
    expect(prose.observed, prose.reason).toBe('no-call');
    expect(prose.status).toBe('fail');
  });

  it.each(STRUCTURED)('$check: a refusal in place of the JSON is inconclusive; prose is still not-json', async ({ api, caseId, check }) => {
    const refused = await judged(caseId, check, REFUSED[api]);
    expect(refused.status, refused.reason).toBe('inconclusive');
    expect(refused.reason).toContain("the model refused (\"I'm sorry, but I can't help with that.\") in place of the JSON");
    const prose = await judged(caseId, check, api === 'chat' ? chat({ content: 'Ada, 36' }) : PROSE.responses);
    expect(prose.observed, prose.reason).toBe('not-json');
  });

  it('structured-output.messages: a refusal instead of the forced tool is inconclusive; prose is still not-json', async () => {
    const refused = await judged('structured.messages', 'structured-output.messages', REFUSED.messages);
    expect(refused.status, refused.reason).toBe('inconclusive');
    expect((await judged('structured.messages', 'structured-output.messages', PROSE.messages)).observed).toBe('not-json');
  });

  it('answer.non-empty: a refusal in words is an answer the app shows; a bare stop_reason "refusal" is inconclusive; nothing at all is still empty', async () => {
    const worded = await judged('probe.chat', 'answer.non-empty', REFUSED.chat);
    expect(worded.observed, worded.reason).toBe('non-empty');
    expect(worded.reason).toContain('a refusal of 38 character(s)');
    const bare = await judged('probe.messages', 'answer.non-empty', REFUSED.messages);
    expect(bare.status, bare.reason).toBe('inconclusive');
    expect(bare.reason).toContain('the model refused (stop_reason "refusal") without a word');
    const empty = await judged('probe.chat', 'answer.non-empty', chat({ content: '' }));
    expect(empty.observed, empty.reason).toBe('empty');
  });
});

describe('messages.basic: a Message without text that ended for the model\'s reason', () => {
  it.each([
    { name: 'content [] at end_turn', body: messages([]), says: 'content is an empty array, stop_reason "end_turn"' },
    { name: 'a bare refusal', body: REFUSED.messages, says: 'content is an empty array, stop_reason "refusal"' },
  ])('$name is inconclusive, and says the content array is empty', async ({ body, says }) => {
    const result = await judged('probe.messages', 'messages.basic', body);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`the model ended its turn without text (${says})`);
  });

  it.each([
    { name: 'an unknown stop_reason', body: messages([], 'bogus'), says: 'content is an empty array' },
    { name: 'an empty stop_reason', body: messages([], ''), says: 'content is an empty array' },
    { name: 'stop_sequence to a request that set none', body: messages([], 'stop_sequence'), says: 'content is an empty array' },
    { name: 'a block of a type Messages do not have', body: messages([{ type: 'output_text', text: 'OK' }]), says: 'no text block (blocks: "output_text")' },
    { name: 'a text block whose text is null', body: messages([{ type: 'text', text: null }]), says: 'no text block (blocks: "text")' },
  ])('$name is the endpoint\'s Message: nonconformant', async ({ body, says }) => {
    const result = await judged('probe.messages', 'messages.basic', body);
    expect(result.observed, result.reason).toBe('nonconformant');
    expect(result.reason).toContain(says);
  });

  it('without a stop_reason, or with a content that is no array, it still fails', async () => {
    const { stop_reason: _dropped, ...noStop } = messages([]);
    expect((await judged('probe.messages', 'messages.basic', noStop)).observed).toBe('nonconformant');
    expect((await judged('probe.messages', 'messages.basic', { ...messages([]), content: 'OK' })).reason).toContain('no content blocks');
    expect((await judged('probe.messages', 'messages.basic', PROSE.messages)).observed).toBe('conformant');
  });
});

describe('structured output: an integer written 36.0 fits JSON Schema but not a strict decoder', () => {
  const answer = (api: 'chat' | 'responses', text: string) =>
    api === 'chat' ? chat({ content: text }) : responses([{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }]);
  it.each(STRUCTURED)('$check: valid, and the reason says so; written 36 it says nothing of it', async ({ api, caseId, check }) => {
    for (const text of ['{"name":"Ada","age":36.0}', '{"name":"Ada","age":3.6e1}']) {
      const float = await judged(caseId, check, answer(api, text));
      expect(float.observed, float.reason).toBe('valid');
      expect(float.reason).toMatch(/but an integer the schema asks for is written with a fraction or an exponent \(.*\/age.*\): JSON Schema counts it an integer, strict decoders into an int do not/);
    }
    const plain = await judged(caseId, check, answer(api, PERSON));
    expect(plain.observed).toBe('valid');
    expect(plain.reason).not.toContain('fraction');
    // A number the schema does not type integer is no concern of it.
    const named = await judged(caseId, check, answer(api, '{"name":"Ada 2.0","age":36}'));
    expect(named.reason).not.toContain('fraction');
  });
});

describe('integerLexemeNote', () => {
  it('speaks only of what the schema types integer: a bound a 1.0 meets is no integer asked for', () => {
    const schema = { type: 'object', properties: { score: { type: 'number', minimum: 1 }, ratio: { type: 'number', maximum: 1 }, count: { type: 'integer' } } };
    expect(integerLexemeNote(schema, '{"score":1.0,"ratio":1.0}', schemaProblems)).toBeUndefined();
    expect(integerLexemeNote(schema, '{"score":1.0,"count":2.0}', schemaProblems)).toMatch(/\/count: must be integer/);
  });
});
