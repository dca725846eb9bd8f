/**
 * Thinking a model writes into its text (`<think>...</think>`, served without a reasoning parser), on the suites' own
 * requests answered by a local server on port 0 (a hostile review, 2026-12): it is no answer for answer.non-empty
 * (empty, as a Message of only a thinking block; inconclusive when the budget cut it), and structured-output.* still
 * parse the text as a client does, naming the JSON after the thinking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseJudge, type CaseJudge, type ScriptedAnswer } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const chat = (content: string, finish = 'stop', completion = 12): ScriptedAnswer => ({
  json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }], usage: { prompt_tokens: 20, completion_tokens: completion, total_tokens: 20 + completion } },
});
const response = (text: string, status = 'completed', output = 12): ScriptedAnswer => ({
  json: {
    id: 'resp_1', object: 'response', created_at: 1, model: 'm', status,
    ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    output: [{ type: 'message', id: 'msg_1', role: 'assistant', status, content: [{ type: 'output_text', text, annotations: [] }] }],
    usage: { input_tokens: 9, output_tokens: output, total_tokens: 9 + output },
  },
});
const THOUGHT = '<think>\nThe user wants a reply. Done.\n</think>';

describe('answer.non-empty: thinking written into the text is no answer', () => {
  it('a chat answer of only thinking that ended its turn is empty, its reason naming the thinking', async () => {
    const result = await judge.judge('answer.chat', 'answer.non-empty', chat(THOUGHT), { expected: 'non-empty' });
    expect(result).toMatchObject({ status: 'fail', observed: 'empty' });
    expect(result.reason).toMatch(/only thinking written into its text/);
  });

  it('a Response of only thinking that completed is empty', async () => {
    const result = await judge.judge('answer.responses', 'answer.non-empty', response(THOUGHT), { expected: 'non-empty' });
    expect(result).toMatchObject({ status: 'fail', observed: 'empty' });
  });

  it('thinking the budget cut before it closed is inconclusive, on chat and Responses, its reason saying thinking', async () => {
    const cut = '<think>\nThe user wants a reply. Let me consider what';
    const onChat = await judge.judge('answer.chat', 'answer.non-empty', chat(cut, 'length', 1024), { expected: 'non-empty' });
    expect(onChat).toMatchObject({ status: 'inconclusive' });
    expect(onChat.reason).toMatch(/thinking written into it/);
    const onResponses = await judge.judge('answer.responses', 'answer.non-empty', response(cut, 'incomplete', 1024), { expected: 'non-empty' });
    expect(onResponses).toMatchObject({ status: 'inconclusive' });
  });

  it('a budget cut in thinking with reasoning tokens 0 says the 0 is a count not kept, not that the endpoint lost the answer', async () => {
    const cut = chat('<think>\nThe user wants a reply. Let me consider what', 'length', 1024);
    (cut as { json: { usage: Record<string, unknown> } }).json.usage.completion_tokens_details = { reasoning_tokens: 0 };
    const result = await judge.judge('answer.chat', 'answer.non-empty', cut, { expected: 'non-empty' });
    expect(result).toMatchObject({ status: 'inconclusive' });
    expect(result.reason).toMatch(/reasoning tokens 0 \(a count the endpoint does not keep: the text shows thinking\)/);
    expect(result.reason).not.toMatch(/lost its answer/);
  });

  it('thinking, then an answer, is non-empty, counting the answer only', async () => {
    const result = await judge.judge('answer.chat', 'answer.non-empty', chat(`${THOUGHT}\n\nOK`), { expected: 'non-empty' });
    expect(result).toMatchObject({ status: 'pass', observed: 'non-empty' });
    expect(result.reason).toMatch(/2 character\(s\) of text/);
  });
});

describe('structured-output.*: JSON after thinking is still not JSON to a client, and the reason says so', () => {
  const person = '{"name":"Ada","age":42}';
  it('chat: not-json, naming the thinking before JSON that parses', async () => {
    const result = await judge.judge('structured.chat', 'structured-output.chat', chat(`${THOUGHT}\n\n${person}`), { expected: 'valid' });
    expect(result).toMatchObject({ status: 'fail', observed: 'not-json' });
    expect(result.reason).toMatch(/comes before JSON that parses/);
  });

  it('chat: the JSON alone is valid; text that is not JSON after the thinking is not-json without the note', async () => {
    expect(await judge.judge('structured.chat', 'structured-output.chat', chat(person), { expected: 'valid' })).toMatchObject({ status: 'pass', observed: 'valid' });
    const prose = await judge.judge('structured.chat', 'structured-output.chat', chat(`${THOUGHT}\n\nAda, 42`), { expected: 'valid' });
    expect(prose).toMatchObject({ status: 'fail', observed: 'not-json' });
    expect(prose.reason).not.toMatch(/comes before JSON/);
  });

  it('responses: not-json, naming the thinking before JSON that parses', async () => {
    const result = await judge.judge('structured.responses', 'structured-output.responses', response(`${THOUGHT}${person}`), { expected: 'valid' });
    expect(result).toMatchObject({ status: 'fail', observed: 'not-json' });
    expect(result.reason).toMatch(/comes before JSON that parses/);
  });
});
