/**
 * A case a stopped run never reached (Ctrl-C, a spend cap) is `skipped`, not "not served" (review of 2026-12-05): a
 * model whose Messages route refused it, with its chat and Responses cases cut off by `--max-requests`, read as
 * `unsupported` ("the model does not serve messages") and counted as observed; a cell read on one API while another
 * API's case was not reached claimed the model's answer on every API. Every API asked still decides as before.
 */
import { describe, expect, it } from 'vitest';
import { settleWithout } from '../src/checks/judge.ts';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';

const NOT_REACHED = 'HARNESS_BUDGET: the spend cap (--max-requests 10) was reached before this case';
const skipped = (caseId: string, api: CaseOutcome['api']): CaseOutcome => ({ kind: 'skipped', caseId, api, reason: NOT_REACHED });
const unsupported = (caseId: string, api: CaseOutcome['api']): CaseOutcome => ({ kind: 'unsupported', caseId, api, reason: `the model does not serve ${api} (404)` });

async function answered(caseId: string, body: unknown): Promise<CaseOutcome> {
  const at = await caseStep(caseId, { prefix: '/v1' });
  return { kind: 'completed', caseId, api: at.spec.api, exchanges: [answeredWith(at, { json: body })] };
}

const run = (check: string, outcomes: CaseOutcome[]): CheckResult => getCheck(check)!.run({ model: 'test.model', expectation: null, outcomes }) as CheckResult;
const chatOk = () => answered('answer.chat', { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }] });
const responsesOk = () =>
  answered('answer.responses', { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'OK', annotations: [] }] }] });

describe('answer.non-empty across the APIs', () => {
  it('Messages refused, chat and Responses not reached: skipped, not unsupported', async () => {
    const result = await run('answer.non-empty', [skipped('answer.chat', 'chat-completions'), skipped('answer.responses', 'responses'), unsupported('answer.messages', 'messages')]);
    expect(result.status, result.reason).toBe('skipped');
    expect(result.reason).toContain('not asked');
  });

  it('chat answered, Responses not reached: skipped, saying what chat showed', async () => {
    const result = await run('answer.non-empty', [await chatOk(), skipped('answer.responses', 'responses'), unsupported('answer.messages', 'messages')]);
    expect(result.status, result.reason).toBe('skipped');
    expect(result.reason).toMatch(/chat-completions: non-empty .*responses: not asked/);
  });

  it('every API asked: judged as before (Messages not served is left out)', async () => {
    const result = await run('answer.non-empty', [await chatOk(), await responsesOk(), unsupported('answer.messages', 'messages')]);
    expect(result.observed, result.reason).toBe('non-empty');
    expect((await run('answer.non-empty', [unsupported('answer.chat', 'chat-completions'), unsupported('answer.messages', 'messages')])).status).toBe('unsupported');
  });
});

describe('settleWithout: no case could be read', () => {
  it('one case not served, another not reached: skipped (the one not reached may be served)', () => {
    const input = { model: 'test.model', expectation: null, outcomes: [unsupported('x.messages', 'messages'), skipped('x.chat', 'chat-completions')] };
    expect(settleWithout(input)).toMatchObject({ status: 'skipped', reason: NOT_REACHED });
    expect(settleWithout({ ...input, outcomes: [unsupported('x.messages', 'messages')] }).status).toBe('unsupported');
  });
});
