/**
 * schema.* on in-memory answers: a case of its API that a record run left unrecorded (HARNESS_RECORDING_KEPT) is
 * never passed over silently (a `valid` becomes an error naming the case; another verdict names it), and a cell the
 * suite gave nothing to read (no streaming request, so no chunk) is the suite's skip, not the endpoint's
 * (skippedByAnswer unset: a stated value does not gate on it).
 */
import { describe, expect, it } from 'vitest';
import { schemaChecks } from '../src/checks/schema.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import { isGating } from '../src/report/build-matrix.ts';
import type { Exchange } from '../src/transport/exchange.ts';

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'm',
  system_fingerprint: 'fp',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi', refusal: null }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

const exchange = (body: string, contentType = 'application/json', requestBody = '{"model":"m"}'): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: requestBody },
  response: { status: 200, headers: { 'content-type': contentType }, chunks: [{ t: 0, data: body }] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

function run(id: string, outcomes: CaseOutcome[]): CheckResult {
  // schema.* judge synchronously.
  return schemaChecks.find((c) => c.id === id)!.run({ model: 'm', expectation: { value: 'valid', source: 'expectations: ours' }, outcomes }) as CheckResult;
}

const completed = (caseId: string, ex: Exchange): CaseOutcome => ({ kind: 'completed', caseId, api: 'chat-completions', exchanges: [ex] });
const kept: CaseOutcome = {
  kind: 'error',
  caseId: 'params.logprobs',
  api: 'chat-completions',
  exchanges: [],
  error: { code: 'HARNESS_RECORDING_KEPT', message: 'not a fixture this version can read: f/params.logprobs.json is no fixture of this model and case' },
};

describe('schema.* beside a case a record run kept unrecorded', () => {
  it('a valid read of the other cases is not a pass: an error naming the kept case', () => {
    const ok = run('schema.chat-completion', [completed('basic.chat', exchange(JSON.stringify(COMPLETION)))]);
    expect(`${ok.status} ${ok.observed}`, ok.reason).toBe('pass valid');
    const result = run('schema.chat-completion', [completed('basic.chat', exchange(JSON.stringify(COMPLETION))), kept]);
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/^could not observe every chat-completion object: case params\.logprobs was not recorded \(HARNESS_RECORDING_KEPT: not a fixture this version can read/);
  });

  it('another verdict stands, and names the case it could not read', () => {
    const broken = { ...COMPLETION, choices: 'none' };
    const result = run('schema.chat-completion', [completed('basic.chat', exchange(JSON.stringify(broken))), kept]);
    expect(result.observed).toBe('invalid');
    expect(result.reason).toContain('not read: params.logprobs (HARNESS_RECORDING_KEPT) ended in an error');
  });
});

describe('schema.* with nothing of its kind to read', () => {
  it('no streaming request in the suites: skipped by the suite, not by the answers (a stated value does not gate)', () => {
    const result = run('schema.chat-completion-chunk', [completed('basic.chat', exchange(JSON.stringify(COMPLETION)))]);
    expect(result.status).toBe('skipped');
    expect(result.skippedByAnswer).toBeUndefined();
    expect(result.reason).toBe('no chat-completion-chunk object was observed in this run: no case in the suites asks for one (a streaming chat-completions request)');
    expect(isGating({ ...result, expectedSource: 'expectations: ours' })).toBe(false);
  });

  it('a streaming request answered with no chunk: the endpoint left nothing to read (skippedByAnswer, gates when stated)', () => {
    const streamed = exchange(JSON.stringify(COMPLETION), 'application/json', '{"model":"m","stream":true}');
    const result = run('schema.chat-completion-chunk', [completed('stream.chat', streamed)]);
    expect(result.status).toBe('skipped');
    expect(result.skippedByAnswer).toBe(true);
    expect(isGating({ ...result, expectedSource: 'expectations: ours' })).toBe(true);
  });

  it('only streaming requests: no chat.completion body was asked for', () => {
    const streamed = exchange('data: [DONE]\n\n', 'text/event-stream', '{"model":"m","stream":true}');
    const result = run('schema.chat-completion', [completed('stream.chat', streamed)]);
    expect(result.status).toBe('skipped');
    expect(result.skippedByAnswer).toBeUndefined();
    expect(result.reason).toContain('no case in the suites asks for one (a non-streaming chat-completions request)');
  });
});
