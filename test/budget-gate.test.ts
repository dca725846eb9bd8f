/**
 * Review of the spent-budget errors: a spent gateway budget fails the gate on its own (it is no trouble of a moment,
 * which --max-errors allows for: three budget errors under the default of five passed the gate); older LiteLLM's
 * "Team=... over budget" 401 is a budget, not a refused key; the words in a status LiteLLM never answers a budget
 * with (a 404, a 422 quoting the request) are no budget; a gateway naming another id in each refusal is told once.
 */
import { describe, expect, it } from 'vitest';
import { gateOf } from '../src/report/gate.ts';
import { BudgetRefusalsTarget } from '../src/run/budget-refusals.ts';
import { classifyResponse } from '../src/transport/classify-response.ts';
import type { ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const litellm = (message: string, type = 'auth_error', code = '401') => JSON.stringify({ error: { message, type, param: null, code } });
const perModel = (model: string) => litellm(`LiteLLM Virtual Key: 9769f3f6, key_alias: ci, exceeded budget for model=${model}`, 'budget_exceeded', '429');

describe('a spent budget and the gate', () => {
  it('fails the gate on its own, under --max-errors too, saying what and the fix', () => {
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error', observed: null, reason: 'HARNESS_BUDGET_EXCEEDED: POST /v1/chat/completions answered 400: a spend budget is spent on the gateway' }]);
    matrix.targets[0]!.mode = 'live';
    const gate = gateOf(matrix);
    expect(gate.verdict).toBe('fail');
    expect(gate.problems.map((p) => p.kind)).toEqual(['budget-exceeded']);
    expect(gate.problems[0]!.message).toBe('1 cell(s) not observed because a spend budget on the gateway was spent (HARNESS_BUDGET_EXCEEDED): raise it or wait for its reset, or use another key, and run again');
    expect(gateOf(smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: no answer' }])).verdict).toBe('pass');
  });
});

describe('what a spent budget is, older and stricter', () => {
  it('older LiteLLM\'s "Team=... over budget" (and User=, End User=) 401 is a budget', () => {
    for (const who of ['Team=t1', 'User=u-1', 'End User=e-9']) expect(classifyResponse(401, litellm(`Authentication Error, ${who} over budget. Spend=51, Budget=50`)).kind, who).toBe('budget-exceeded');
  });

  it('the words in a 404 or a 422 (quoting the request) are no budget', () => {
    const words = 'Budget has been exceeded! Current cost: 0.51, Max budget: 0.5';
    expect(classifyResponse(422, litellm(`string too long. Got '${words}'`, 'invalid_request_error', '422')).kind).not.toBe('budget-exceeded');
    expect(classifyResponse(404, litellm(words, 'budget_exceeded', '404')).kind).not.toBe('budget-exceeded');
    expect(classifyResponse(400, litellm(words, 'budget_exceeded', '400')).kind).toBe('budget-exceeded');
  });
});

describe('the console line of a budget', () => {
  it('a model the run asks about gets its own line; ids the harness makes up are told once, as the target\'s', async () => {
    const told: string[] = [];
    const target: Target = {
      id: 'gw',
      mode: 'live',
      surface: 'custom',
      send: async (request, context) => ({ step: 'main', prefix: context.prefix, request, response: { status: 429, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: perModel(JSON.parse(request.body!).model) }] }, error: null, durationMs: 1, attempts: 1 }),
      caseFinished: async () => {},
      close: async () => {},
    };
    const budgets = new BudgetRefusalsTarget(target, { redact: (t) => t, onRefused: (m) => told.push(m) });
    const ask = (model: string): ExchangeRequest => ({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: JSON.stringify({ model, messages: [] }) });
    const context = (model: string): SendContext => ({ model, caseId: 'c', step: 'main', prefix: '/v1' });
    for (const id of ['us.m01', 'mantle-conformance.no-such-model', 'us.m02', 'm01', 'm01']) await budgets.send(ask(id), context(id.startsWith('us.') ? id.slice(3) : 'm01'));
    expect(told).toHaveLength(2);
    expect(told[1]).toMatch(/^the spend budget for model m01 is spent/);
  });
});
