/**
 * messages.beta judges the endpoint's answer to an unknown anthropic-beta value. A 400 about another field the request
 * carried (a max_tokens below the model's minimum) says nothing of the beta: inconclusive, as the other checks say for
 * the same refusal, never a `rejected` that reads as the allowlist at work.
 */
import { describe, expect, it } from 'vitest';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const CASE = 'messages.unknown-beta';
const anthropicError = (message: string) => ({ type: 'error', error: { type: 'invalid_request_error', message } });

async function betaVerdict(status: number, json: unknown) {
  const at = await caseStep(CASE, { model: 'anthropic.claude-opus-4-7' });
  return judgeOn('messages.beta', CASE, 'messages', [answeredWith(at, { status, json })], { expectation: { value: 'rejected', source: 'test' } });
}

describe('messages.beta: a refusal counts only when it is about the beta', () => {
  it('"invalid beta flag" is rejected', async () => {
    expect(await betaVerdict(400, anthropicError('invalid beta flag'))).toMatchObject({ status: 'pass', observed: 'rejected', reason: expect.stringContaining('invalid beta flag') });
  });

  it('a 400 about max_tokens is inconclusive, naming the field', async () => {
    const result = await betaVerdict(400, anthropicError('max_tokens: 8 is below the minimum of 16 for this model'));
    expect(result).toMatchObject({ status: 'inconclusive', observed: null, reason: expect.stringContaining('refused for max_tokens, not for the anthropic-beta value') });
  });

  it('a 200 is still ignored', async () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-4-7', content: [{ type: 'text', text: 'OK' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } };
    expect(await betaVerdict(200, message)).toMatchObject({ status: 'fail', observed: 'ignored' });
  });
});
