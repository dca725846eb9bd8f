/**
 * Tool-use verdicts that named the wrong party (review of a hostile model server): under a forced tool_choice a call
 * of another tool is no call of the forced one (`no-call`, `not-json` for JSON through a forced tool), never
 * "valid" nor `bad-arguments`; a tool-result turn rejected for the model's own broken call sent back, or never sent
 * because the model made no call (a refusal, a spent budget, prose), is `inconclusive`, saying which. The
 * conforming answers still pass, a plain rejection is still `rejected`, and a call step the endpoint refused (4xx)
 * still leaves the result turn `skipped`.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { projectSuites } from './helpers/harness.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';

type Api = 'chat' | 'responses' | 'messages';

/** The exchange of step `step` of case `caseId`, its request as the suites send it, answered `status` with `body`. */
async function exchange(caseId: string, step: string, body: unknown, status = 200): Promise<{ exchange: Exchange; api: CaseOutcome['api'] }> {
  const { suites } = await projectSuites();
  const spec = suites.cases.find((c) => c.id === caseId)!;
  const stepSpec = spec.steps.find((s) => s.id === step) ?? spec.steps[0]!;
  // The result step's templates read the call's answer: a stub request stands in, the checks read only its answer.
  const at = step === 'call' || spec.steps.length === 1 ? await caseStep(caseId, { step: stepSpec.id }) : { step: stepSpec, prefix: spec.api === 'messages' ? '/anthropic/v1' : '/v1', request: { method: 'POST' as const, path: '/x', headers: {}, body: '{}' } };
  return { exchange: answeredWith(at, { status, json: body }), api: spec.api };
}

async function run(check: string, outcome: CaseOutcome): Promise<CheckResult> {
  return ALL_CHECKS.find((c) => c.id === check)!.run({ model: 'test.model', expectation: null, outcomes: [outcome] });
}

async function judged(caseId: string, check: string, body: unknown, step = 'call'): Promise<CheckResult> {
  const { exchange: ex, api } = await exchange(caseId, step, body);
  return run(check, { kind: 'completed', caseId, api, exchanges: [ex] });
}

const chat = (calls: { name: string; args: string }[], extra: Record<string, unknown> = {}, finish = 'tool_calls') => ({
  id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: null, ...(calls.length ? { tool_calls: calls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: c.args } })) } : {}), ...extra }, finish_reason: finish }],
  usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
});
const responses = (calls: { name: string; args: string }[], extra: unknown[] = []) => ({
  id: 'r', object: 'response', created_at: 1, status: 'completed', model: 'm',
  output: [...extra, ...calls.map((c, i) => ({ type: 'function_call', id: `fc_${i}`, call_id: `call_${i}`, name: c.name, arguments: c.args, status: 'completed' }))],
  usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32 },
});
const messages = (calls: { name: string; input: unknown }[], stop = 'tool_use', extra: unknown[] = []) => ({
  id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [...extra, ...calls.map((c, i) => ({ type: 'tool_use', id: `toolu_${i}`, name: c.name, input: c.input }))],
  stop_reason: stop, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 12 },
});

const OTHER = { chat: chat([{ name: 'lookup_city', args: '{"query":"Paris"}' }]), responses: responses([{ name: 'lookup_city', args: '{"query":"Paris"}' }]), messages: messages([{ name: 'lookup_city', input: { query: 'Paris' } }]) };
const GOOD = { chat: chat([{ name: 'get_weather', args: '{"city":"Paris"}' }]), responses: responses([{ name: 'get_weather', args: '{"city":"Paris"}' }]), messages: messages([{ name: 'get_weather', input: { city: 'Paris' } }]) };
const FORCED: { api: Api; caseId: string; check: string }[] = [
  { api: 'chat', caseId: 'tools.chat', check: 'tools.chat.forced-call' },
  { api: 'responses', caseId: 'tools.responses', check: 'tools.responses.forced-call' },
  { api: 'messages', caseId: 'tools.messages', check: 'tools.messages.forced-call' },
];

describe('a call of another tool than the forced one', () => {
  it.each(FORCED)('$check: no-call naming both tools, not bad-arguments; the forced call is conformant', async ({ api, caseId, check }) => {
    const other = await judged(caseId, check, OTHER[api]);
    expect(other).toMatchObject({ status: 'fail', observed: 'no-call' });
    expect(other.reason).toContain('the answer calls "lookup_city", not the forced "get_weather"');
    expect((await judged(caseId, check, GOOD[api])).observed).toBe('conformant');
  });

  it('tools.chat.forced-call judges the call of the forced tool when another comes first', async () => {
    const both = await judged('tools.chat', 'tools.chat.forced-call', chat([{ name: 'lookup_city', args: '{}' }, { name: 'get_weather', args: '{"city":"Paris"}' }]));
    expect(both.observed, both.reason).toBe('conformant');
  });

  it('structured-output.messages: not-json naming the call, never "valid"; the forced record_person passes', async () => {
    const other = await judged('structured.messages', 'structured-output.messages', OTHER.messages);
    expect(other).toMatchObject({ status: 'fail', observed: 'not-json' });
    expect(other.reason).toContain('the answer calls "lookup_city", not the forced "record_person", so no JSON of it');
    const good = await judged('structured.messages', 'structured-output.messages', messages([{ name: 'record_person', input: { name: 'Ada', age: 36 } }]));
    expect(good).toMatchObject({ status: 'pass', observed: 'valid' });
  });
});

const RESULT_TURNS: { api: Api; caseId: string; check: string; broken: unknown }[] = [
  { api: 'chat', caseId: 'tools.chat', check: 'tools.chat.result-turn', broken: chat([{ name: 'get_weather', args: '{"city": "Paris", ' }]) },
  { api: 'responses', caseId: 'tools.responses', check: 'tools.responses.result-turn', broken: responses([{ name: 'get_weather', args: '{"city": "Paris", ' }]) },
  { api: 'messages', caseId: 'tools.messages', check: 'tools.messages.result-turn', broken: messages([{ name: 'get_weather', input: '{"city": "Paris", ' }]) },
];
const REJECTION = { error: { message: 'tool call arguments are not valid JSON', type: 'invalid_request_error', code: 'invalid_value', param: 'messages' } };

/** The result turn after the call step answered `call`: sent and answered `status`, or not sent (`incomplete`). */
async function resultTurn(caseId: string, check: string, call: unknown, result: { status: number; body?: unknown } | 'not sent', callStatus = 200): Promise<CheckResult> {
  const first = await exchange(caseId, 'call', call, callStatus);
  const exchanges = [first.exchange];
  if (result !== 'not sent') exchanges.push((await exchange(caseId, 'result', result.body ?? (result.status < 300 ? GOOD.chat : REJECTION), result.status)).exchange);
  const incomplete = result === 'not sent' ? { incomplete: { step: 'result', reason: `case ${caseId}, step result: {{steps.call...}} has no value: step call answered HTTP ${callStatus} without it` } } : {};
  return run(check, { kind: 'completed', caseId, api: first.api, exchanges, ...incomplete });
}

/** The forced-call check of a result-turn check's API (tools.chat.result-turn: tools.chat.forced-call). */
const forcedCall = (check: string) => check.replace(/result-turn$/, 'forced-call');

describe('the tool-result turn', () => {
  it.each(RESULT_TURNS)('$check: a 400 for the model\'s own broken call sent back is inconclusive; for a good call it is rejected', async ({ api, caseId, check, broken }) => {
    const mistaken = await resultTurn(caseId, check, broken, { status: 400 });
    expect(mistaken.status, mistaken.reason).toBe('inconclusive');
    expect(mistaken.reason).toMatch(/^HTTP 400: tool call arguments are not valid JSON; the request sent back what the model answered in step call, where the model's call of "get_weather" is not one it could send back: (arguments|input) /);
    expect(mistaken.evidence.map((e) => e.step)).toEqual(['call', 'result']);
    expect(await resultTurn(caseId, check, GOOD[api], { status: 400 })).toMatchObject({ status: 'fail', observed: 'rejected' });
    expect(await resultTurn(caseId, check, broken, { status: 200 })).toMatchObject({ status: 'pass', observed: 'accepted' });
  });

  it('tools.responses.result-turn: a refusal inside a 200 (status "failed") is weighed as a 400 is: rejected after a good call, inconclusive after the model\'s broken one', async () => {
    const failed = { ...(GOOD.responses as Record<string, unknown>), status: 'failed', output: [], error: { code: 'invalid_prompt', message: 'No tool output found for function call call_0.' } };
    const good = await resultTurn('tools.responses', 'tools.responses.result-turn', GOOD.responses, { status: 200, body: failed });
    expect(good).toMatchObject({ status: 'fail', observed: 'rejected' });
    expect(good.reason).toContain('the response has status "failed" (invalid_prompt No tool output found');
    const mistaken = await resultTurn('tools.responses', 'tools.responses.result-turn', RESULT_TURNS[1]!.broken, { status: 200, body: failed });
    expect(mistaken.status, mistaken.reason).toBe('inconclusive');
    expect(await resultTurn('tools.responses', 'tools.responses.result-turn', GOOD.responses, { status: 200, body: GOOD.responses })).toMatchObject({ status: 'pass', observed: 'accepted' });
  });

  it('a 400 after a call the endpoint wrote wrong (chat arguments as an object, not a JSON string) is rejected: that is no mistake of the model', async () => {
    const encoded = chat([{ name: 'get_weather', args: { city: 'Paris' } as unknown as string }]);
    expect(await resultTurn('tools.chat', 'tools.chat.result-turn', encoded, { status: 400 })).toMatchObject({ status: 'fail', observed: 'rejected' });
  });

  const refused = { chat: chat([], { refusal: "I'm sorry, but I can't help." }, 'stop'), responses: responses([], [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: "I'm sorry, but I can't help." }] }]), messages: messages([], 'refusal') };
  const spent = { chat: { ...chat([], { content: '' }, 'length'), usage: { prompt_tokens: 20, completion_tokens: 128, total_tokens: 148, completion_tokens_details: { reasoning_tokens: 128 } } }, responses: { ...responses([]), status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 20, output_tokens: 128, total_tokens: 148 } }, messages: { ...messages([], 'max_tokens'), usage: { input_tokens: 20, output_tokens: 128 } } };
  const prose = { chat: chat([], { content: 'It is sunny.' }, 'stop'), responses: responses([], [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is sunny.', annotations: [] }] }]), messages: messages([], 'end_turn', [{ type: 'text', text: 'It is sunny.' }]) };

  // An answer that says its budget ran out with 9 of 128 tokens spent was not cut by that budget (review of a model
  // server that ended one trial early): its missing call is observed, not excused as the budget's doing.
  it.each(FORCED)('$check: a "budget" stop with little of the budget spent is judged (no-call), not inconclusive', async ({ api, caseId, check }) => {
    const early = {
      chat: { ...chat([], { content: '' }, 'length'), usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } },
      responses: { ...responses([]), status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 20, output_tokens: 2, total_tokens: 22 } },
      messages: { ...messages([], 'max_tokens'), usage: { input_tokens: 20, output_tokens: 9 } },
    };
    const judgedEarly = await judged(caseId, check, early[api]);
    expect(judgedEarly.observed, judgedEarly.reason).toBe('no-call');
    const judgedSpent = await judged(caseId, check, spent[api]);
    expect(judgedSpent.status, judgedSpent.reason).toBe('inconclusive');
  });

  it.each(RESULT_TURNS)('$check: not sent because the model made no call is inconclusive, saying why', async ({ api, caseId, check }) => {
    const cases = [
      { answer: refused[api], says: /but the model refused \(.*\) instead of calling the tool, so there was nothing to send back$/ },
      { answer: spent[api], says: /but the output budget was spent .*; no call was made before the budget ran out, so there was nothing to send back$/ },
      { answer: prose[api], says: new RegExp(`but the answer holds no tool call \\(${forcedCall(check).replaceAll('.', '\\.')} judges that\\), so there was nothing to send back$`) },
    ];
    for (const { answer, says } of cases) {
      const result = await resultTurn(caseId, check, answer, 'not sent');
      expect(result.status, result.reason).toBe('inconclusive');
      expect(result.reason).toMatch(/^step result not sent: step call answered HTTP 200, but /);
      expect(result.reason).toMatch(says);
    }
  });

  it('a call step answered 2xx without what the next turn needs (no call id) stays skipped, naming no check that would judge it', async () => {
    const noId = chat([{ name: 'get_weather', args: '{"city":"Paris"}' }]) as { choices: { message: { tool_calls: Record<string, unknown>[] } }[] };
    delete noId.choices[0]!.message.tool_calls[0]!.id;
    const result = await resultTurn('tools.chat', 'tools.chat.result-turn', noId, 'not sent');
    expect(result.status, result.reason).toBe('skipped');
    expect(result.reason).not.toContain('judges');
  });

  it.each(RESULT_TURNS)('$check: not sent because the endpoint refused the call step (4xx) stays skipped', async ({ caseId, check }) => {
    const result = await resultTurn(caseId, check, REJECTION, 'not sent', 400);
    expect(result.status, result.reason).toBe('skipped');
    expect(result.reason).toContain('step call answered HTTP 400 without it');
    // The reason names the check that judges that 400, and that check exists.
    expect(result.reason).toMatch(new RegExp(`\\(${forcedCall(check).replaceAll('.', '\\.')} judges step call's answer\\)$`));
    expect(ALL_CHECKS.map((c) => c.id)).toContain(forcedCall(check));
  });
});

describe('a 400 saying something other than the model does not exist', () => {
  // "does not exist" of a tool is the endpoint's answer about the request: the model that gave it is served.
  it('tools.chat.forced-call: "Tool ... does not exist" is a rejection, not "the model is not served"; an unknown model still is', async () => {
    const { exchange: tool, api } = await exchange('tools.chat', 'call', { error: { message: "Tool 'get_weather' does not exist in this request's tool list", type: 'invalid_request_error' } }, 400);
    const rejected = await run('tools.chat.forced-call', { kind: 'completed', caseId: 'tools.chat', api, exchanges: [tool] });
    expect(rejected.status).not.toBe('unsupported');
    expect(rejected.reason).toContain("Tool 'get_weather' does not exist");
    const { exchange: model } = await exchange('tools.chat', 'call', { error: { message: "The model 'us.test.model' does not exist", type: 'invalid_request_error' } }, 400);
    expect((await run('tools.chat.forced-call', { kind: 'completed', caseId: 'tools.chat', api, exchanges: [model] })).status).toBe('unsupported');
  });
});
