/**
 * What carried the answer, read honestly (reviews of 2026-12-05): a Response may speak in a message marked
 * `phase: "commentary"` before its answer (Mantle's messages carry `phase`), so the checks that judge what the model
 * answered leave that message out, and read every other message as the SDKs' `output_text` joins them (a preamble
 * nobody marked is text a client reads as the answer). A content filter that ended the answer (chat
 * `finish_reason: "content_filter"`, Responses `incomplete_details.reason: "content_filter"`) is the endpoint's, not
 * the model's: the check still fails, and its reason names the filter.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

/** `check` on the JSON answer `body` to the first step of case `caseId`, as the suites send it. */
async function judged(caseId: string, check: string, body: unknown): Promise<CheckResult> {
  const at = await caseStep(caseId, { prefix: '/v1' });
  return judgeOn(check, caseId, at.spec.api, [answeredWith(at, { json: body })]);
}

const message = (text: string, phase?: string) => ({ type: 'message', id: `msg_${text.length}`, role: 'assistant', status: 'completed', ...(phase ? { phase } : {}), content: [{ type: 'output_text', text, annotations: [] }] });
const response = (output: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output, usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32 }, ...extra });
const chat = (message: Record<string, unknown>, finish: string) => ({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 } });
const PERSON = '{"name":"Ada","age":36}';
const PREAMBLE = 'Let me come up with someone.';

describe('structured-output.responses judges the final answer, not the first message', () => {
  it.each([
    { name: 'a commentary message, then the JSON as final_answer', output: [message(PREAMBLE, 'commentary'), message(PERSON, 'final_answer')] },
    { name: 'the JSON alone', output: [message(PERSON)] },
    { name: 'the JSON split over two final_answer messages (joined, as output_text joins them)', output: [message('{"name":"Ada",', 'final_answer'), message('"age":36}', 'final_answer')] },
  ])('$name: valid', async ({ output }) => {
    const result = await judged('structured.responses', 'structured-output.responses', response(output));
    expect(result.observed, result.reason).toBe('valid');
  });

  it.each([
    { name: 'a preamble nobody marked, then the JSON', output: [message('Sure, here you go:'), message(PERSON)] },
    { name: 'two final_answer messages, text then the JSON', output: [message('garbage', 'final_answer'), message(PERSON, 'final_answer')] },
  ])('$name: not-json, as a client reads the joined text', async ({ output }) => {
    const result = await judged('structured.responses', 'structured-output.responses', response(output));
    expect(result.observed, result.reason).toBe('not-json');
  });

  it('a final answer in prose is still not-json, whatever the commentary said before it', async () => {
    const result = await judged('structured.responses', 'structured-output.responses', response([message(PERSON, 'commentary'), message('Ada, 36', 'final_answer')]));
    expect(result.observed, result.reason).toBe('not-json');
    expect(result.reason).toContain('"Ada, 36"');
  });
});

describe('images.seen.responses reads the colour the final answer names', () => {
  it('commentary that weighs other colours does not make a green final answer inconclusive; a red final answer is not-seen', async () => {
    const mused = await judged('images.responses', 'images.seen.responses', response([message('It could be red or blue; let me look.', 'commentary'), message('Green.', 'final_answer')]));
    expect(mused.observed, mused.reason).toBe('seen');
    const red = await judged('images.responses', 'images.seen.responses', response([message('Looking at it.', 'commentary'), message('Red.', 'final_answer')]));
    expect(red.observed, red.reason).toBe('not-seen');
  });
});

const FILTERED = {
  chat: chat({ content: '' }, 'content_filter'),
  responses: response([], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }),
};

describe("a content filter that ended the answer is the endpoint's: the check fails, naming it", () => {
  it.each([
    { api: 'chat' as const, caseId: 'tools.chat', check: 'tools.chat.forced-call', says: 'finish_reason "content_filter"', other: chat({ content: 'It is sunny.' }, 'stop'), otherIs: 'no-call' },
    { api: 'responses' as const, caseId: 'tools.responses', check: 'tools.responses.forced-call', says: 'incomplete_details.reason "content_filter"', other: response([message('It is sunny.')]), otherIs: 'no-call' },
    { api: 'chat' as const, caseId: 'structured.chat', check: 'structured-output.chat', says: 'finish_reason "content_filter"', other: chat({ content: 'Ada, 36' }, 'stop'), otherIs: 'not-json' },
    { api: 'responses' as const, caseId: 'structured.responses', check: 'structured-output.responses', says: 'incomplete_details.reason "content_filter"', other: response([message('Ada, 36')]), otherIs: 'not-json' },
  ])('$check: $otherIs naming the filter; the same answer ended for no filter is $otherIs without it', async ({ api, caseId, check, says, other, otherIs }) => {
    const filtered = await judged(caseId, check, FILTERED[api]);
    expect(filtered).toMatchObject({ status: 'fail', observed: otherIs });
    expect(filtered.reason).toMatch(new RegExp(`; the endpoint's content filter ended the answer \\(.*${says.replace(/[()]/g, '\\$&')}\\)$`));
    const plain = await judged(caseId, check, other);
    expect(plain.observed, plain.reason).toBe(otherIs);
    expect(plain.reason).not.toContain('content filter');
  });

  it.each([
    { caseId: 'answer.chat', filtered: FILTERED.chat, empty: chat({ content: '' }, 'stop') },
    { caseId: 'answer.responses', filtered: FILTERED.responses, empty: response([]) },
  ])('answer.non-empty ($caseId): emptied by the filter is empty, naming it; empty for no reason is empty too', async ({ caseId, filtered, empty }) => {
    const cut = await judged(caseId, 'answer.non-empty', filtered);
    expect(cut).toMatchObject({ status: 'fail', observed: 'empty' });
    expect(cut.reason).toContain("no text and no tool call: the endpoint's content filter ended the answer (");
    const silent = await judged(caseId, 'answer.non-empty', empty);
    expect(silent.observed, silent.reason).toBe('empty');
  });
});
