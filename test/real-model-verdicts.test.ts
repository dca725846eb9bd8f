/**
 * Checks against what real models do (hostile review of 2026-12-05): a reply cut by its budget mid-thought, thinking
 * written into the answer (`<think>`), a reasoning item left alone by the budget and refused sent back, a tier the
 * endpoint grants only sometimes, and an effort the suite itself set.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../src/checks/judge.ts';
import { getCheck } from '../src/checks/registry.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const chatAnswer = (content: string, finish: string, completion: number) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'test.model',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
  usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion },
});

describe('images.seen: the model, not the endpoint', () => {
  it('a reply its budget cut mid-thought, naming another colour, is inconclusive, not not-seen', async () => {
    const at = await caseStep('images.chat');
    const limit = (JSON.parse(at.request.body!) as { max_tokens: number }).max_tokens;
    const cut = answeredWith(at, { json: chatAnswer('<think>The user sent a picture and asks for its colour. Let me check whether it is red', 'length', limit) });
    const result = await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [cut]);
    expect(result.status, result.reason).toBe('inconclusive');
    // Cut after another colour outside any thinking: still not a verdict.
    const named = answeredWith(at, { json: chatAnswer('It looks red, or maybe', 'length', limit) });
    expect((await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [named])).status).toBe('inconclusive');
  });

  it('thinking written into the answer is not the answer: <think>red? no</think>Green is seen; a whole "Red" still is not-seen', async () => {
    const at = await caseStep('images.chat');
    const thought = answeredWith(at, { json: chatAnswer('<think>red? no, it is not red</think>Green', 'stop', 12) });
    expect((await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [thought])).observed).toBe('seen');
    const wrong = answeredWith(at, { json: chatAnswer('Red', 'stop', 1) });
    expect((await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [wrong])).observed).toBe('not-seen');
  });
});

describe('the budget rule both ways, and thinking in the text', () => {
  it('a cut answer is seen only when it is the bare colour asked for; a cut sentence naming the right colour is inconclusive', async () => {
    const at = await caseStep('images.chat');
    const limit = (JSON.parse(at.request.body!) as { max_tokens: number }).max_tokens;
    const judged = async (content: string) => (await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [answeredWith(at, { json: chatAnswer(content, 'length', limit) })])).status;
    expect(await judged('Let me check whether it is green')).toBe('inconclusive');
    expect(await judged('The image is green, a calm shade that')).toBe('inconclusive');
    expect(await judged('Green')).toBe('pass');
    expect(await judged('Blue.')).toBe('pass');
    // Two words cut short are no bare colour: "green or" was on its way to "green or blue", "maybe red" to anything.
    expect(await judged('green or')).toBe('inconclusive');
    expect(await judged('maybe red')).toBe('inconclusive');
    expect((await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [answeredWith(at, { json: chatAnswer('Blue.', 'length', limit) })])).observed).toBe('not-seen');
  });

  it('thinking opened by the template (only </think> sent) and upper-case tags are left out too', async () => {
    const at = await caseStep('images.chat');
    for (const content of ['is it red or blue?</think>\n\nGreen', '<THINK>red?</THINK>Green']) {
      expect((await judgeOn('images.seen.chat', 'images.chat', 'chat-completions', [answeredWith(at, { json: chatAnswer(content, 'stop', 12) })])).observed, content).toBe('seen');
    }
  });

  it('a reasoning model that writes its thinking into the content is seen reasoning: reasoning.chat-field reads none there, not inconclusive', async () => {
    const at = await caseStep('probe.chat');
    const leaked = answeredWith(at, { json: chatAnswer('<think>The user wants OK.</think>OK', 'stop', 9) });
    expect((await judgeOn('reasoning.chat-field', 'probe.chat', 'chat-completions', [leaked])).observed).toBe('none');
    // An empty block (thinking off) or reasoning_tokens 0 says the model did not reason: nothing to blame the endpoint for.
    const empty = answeredWith(at, { json: chatAnswer('<think>\n\n</think>\n\nOK', 'stop', 3) });
    expect((await judgeOn('reasoning.chat-field', 'probe.chat', 'chat-completions', [empty])).status).toBe('inconclusive');
    const zero = { ...chatAnswer('<think>x</think>OK', 'stop', 3), usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4, completion_tokens_details: { reasoning_tokens: 0 } } };
    expect((await judgeOn('reasoning.chat-field', 'probe.chat', 'chat-completions', [answeredWith(at, { json: zero })])).status).toBe('inconclusive');
  });

  it('a cut run: a conformant reading that misses the expected deviation is skipped, not a fail; a deviation read stands', () => {
    const definition = { reference: { value: 'valid', source: 'openai-reference: x' }, api: 'chat-completions' as const };
    const input = (expected: string) => ({
      model: 'm',
      expectation: { value: expected, source: 'catalog: x' },
      outcomes: [
        { kind: 'completed' as const, caseId: 'probe.chat', api: 'chat-completions' as const, exchanges: [] },
        { kind: 'skipped' as const, caseId: 'params.n', api: 'chat-completions' as const, reason: 'not sent: the run reached --max-requests' },
      ],
    });
    expect(judge(definition, input('lenient-only'), 'valid', []).status).toBe('skipped');
    expect(judge(definition, input('valid'), 'invalid', []).status).toBe('fail');
    expect(judge(definition, input('valid'), 'valid', []).status).toBe('skipped');
  });
});

describe('reasoning.encrypted-content', () => {
  const reasoningItem = { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'gAAAA-opaque' };
  const response = (status: string, output: unknown[], outputTokens: number, reasoningTokens: number) => ({
    id: 'resp_1',
    object: 'response',
    created_at: 1,
    status,
    ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    model: 'test.model',
    output,
    usage: { input_tokens: 10, output_tokens: outputTokens, total_tokens: 10 + outputTokens, output_tokens_details: { reasoning_tokens: reasoningTokens } },
  });
  const refusal = { error: { message: "Item 'rs_1' of type 'reasoning' was provided without its required following item.", type: 'invalid_request_error', param: 'input', code: null } };

  it('refused sent back after the budget cut the first answer to a reasoning item alone: inconclusive', async () => {
    const first = await caseStep('reasoning.encrypted', { step: 'first' });
    const second = await caseStep('reasoning.encrypted', { step: 'second' });
    const limit = (JSON.parse(first.request.body!) as { max_output_tokens: number }).max_output_tokens;
    const exchanges = [answeredWith(first, { json: response('incomplete', [reasoningItem], limit, limit) }), answeredWith(second, { status: 400, json: refusal })];
    const result = await judgeOn('reasoning.encrypted-content', 'reasoning.encrypted', 'responses', exchanges);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it('refused sent back after a cut first answer whose reasoning had its message after it: rejected-on-return', async () => {
    const first = await caseStep('reasoning.encrypted', { step: 'first' });
    const second = await caseStep('reasoning.encrypted', { step: 'second' });
    const limit = (JSON.parse(first.request.body!) as { max_output_tokens: number }).max_output_tokens;
    const cut = response('incomplete', [reasoningItem, { id: 'msg_1', type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'O', annotations: [] }] }], limit, limit - 1);
    const result = await judgeOn('reasoning.encrypted-content', 'reasoning.encrypted', 'responses', [answeredWith(first, { json: cut }), answeredWith(second, { status: 400, json: { error: { ...refusal.error, message: 'The encrypted content for item rs could not be verified.' } } })]);
    expect(result.observed, result.reason).toBe('rejected-on-return');
  });

  it('refused sent back after a whole first answer: rejected-on-return (the check can still fail)', async () => {
    const first = await caseStep('reasoning.encrypted', { step: 'first' });
    const second = await caseStep('reasoning.encrypted', { step: 'second' });
    const whole = response('completed', [reasoningItem, { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'OK', annotations: [] }] }], 20, 12);
    const result = await judgeOn('reasoning.encrypted-content', 'reasoning.encrypted', 'responses', [answeredWith(first, { json: whole }), answeredWith(second, { status: 400, json: { error: { ...refusal.error, message: 'encrypted content could not be verified' } } })]);
    expect(result.observed).toBe('rejected-on-return');
  });
});

describe('reasoning.default-effort', () => {
  it('a probe that sets an effort itself reads no default: error naming the suite', async () => {
    const at = await caseStep('probe.responses');
    const body = { ...(JSON.parse(at.request.body!) as Record<string, unknown>), reasoning: { effort: 'high' } };
    const withEffort = { ...at, request: { ...at.request, body: JSON.stringify(body) } };
    const answer = answeredWith(withEffort, { json: { id: 'resp_1', object: 'response', status: 'completed', model: 'm', output: [], reasoning: { effort: 'high' } } });
    const result = await judgeOn('reasoning.default-effort', 'probe.responses', 'responses', [answer]);
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/sets reasoning\.effort "high".*fix the suite/);
  });
});

describe('service-tier under --repeat', () => {
  it('is judged on every trial, so a tier granted only sometimes reads flaky, not whichever answer came first', async () => {
    expect(getCheck('service-tier.chat.priority')!.variesPerRequest).toBe(true);
    // Priority granted on the 2nd and 3rd asking, not the 1st (capacity): the emulator's variants play it.
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { behaviors: { serviceTier: 'echo', variants: [{ serviceTier: 'ignore' }, { serviceTier: 'echo' }, { serviceTier: 'echo' }] } } });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'xai.grok-4.3', { checks: ['service-tier.chat.priority'], repeat: 3 });
      const cell = results.get('service-tier.chat.priority')!;
      expect(cell.status, cell.reason).toBe('flaky');
      expect(cell.trials?.map((t) => t.observed).sort()).toEqual(['accepted', 'accepted', 'ignored']);
    } finally {
      await emulator.close();
    }
  });
});

describe('the emulator', () => {
  it('an empty answer still carries the encrypted reasoning asked for (one quirk does not knock over a second check)', async () => {
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { behaviors: { emptyAnswer: true } } });
    try {
      const answer = await fetch(`${emulator.url}/openai/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'xai.grok-4.3', input: 'Reply with the word OK.', max_output_tokens: 64, store: false, include: ['reasoning.encrypted_content'] }),
      });
      const body = (await answer.json()) as { output: { type: string; encrypted_content?: string }[] };
      expect(body.output.find((item) => item.type === 'reasoning')?.encrypted_content).toEqual(expect.any(String));
    } finally {
      await emulator.close();
    }
  });
});
