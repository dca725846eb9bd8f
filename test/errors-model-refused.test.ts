/**
 * errors.bad-parameter asks whether a request with a mistyped parameter gets a 4xx in the OpenAI error envelope. An
 * answer that refuses the model itself (a model the endpoint listed, then answered "does not exist" mid-run) says
 * nothing of the parameter: the cell is not observed, as every other cell of that model reads, never a pass on the
 * 404's envelope. errors.unknown-model sends an id that does not exist: there the refusal is the answer under test.
 */
import { describe, expect, it } from 'vitest';
import { errorChecks } from '../src/checks/errors-discovery.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';

const exchange = (status: number, body: unknown): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request: { method: 'POST', path: '/v1/chat/completions', headers: {} },
  response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

const GONE = { error: { message: 'The model `b` does not exist.', type: 'NotFoundError', param: null, code: 404 } };
const BAD = { error: { message: "[{'type': 'float_parsing', 'loc': ('body', 'temperature')}]", type: 'BadRequestError', param: null, code: 400 } };

async function run(check: string, caseId: string, answer: Exchange): Promise<CheckResult> {
  const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId, api: 'chat-completions', exchanges: [answer], routed: true }];
  return errorChecks.find((c) => c.id === check)!.run({ model: 'b', expectation: { value: 'conformant', source: 'test' }, outcomes });
}

describe('errors.* and a refusal of the model', () => {
  it('errors.bad-parameter: a 400 in the envelope passes; a 404 "model does not exist" is not observed', async () => {
    const bad = await run('errors.bad-parameter', 'errors.bad-parameter', exchange(400, BAD));
    expect(`${bad.status} ${bad.observed}`, bad.reason).toBe('pass conformant');
    const gone = await run('errors.bad-parameter', 'errors.bad-parameter', exchange(404, GONE));
    expect(`${gone.status} ${gone.observed}`, gone.reason).toBe('error null');
    expect(gone.reason).toMatch(/could not observe: the endpoint refused the model \(404: The model `b` does not exist\.\) on the route its probe found serving it/);
  });

  it('errors.unknown-model: the 404 for the made-up id is the answer, and judged', async () => {
    const result = await run('errors.unknown-model', 'errors.unknown-model', exchange(404, GONE));
    expect(`${result.status} ${result.observed}`, result.reason).toBe('pass conformant');
  });
});
