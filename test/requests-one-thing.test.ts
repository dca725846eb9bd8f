/**
 * Requests that test one thing, and answers read by their cause: a bound the model refuses (gemma-4's max_tokens)
 * is replaced and learned once instead of landing on every chat check; a rejection naming another field is
 * inconclusive; a model the endpoint does not know is a finding of its own, not "served nowhere".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesField } from '../src/checks/answer.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const GEMMA = 'google.gemma-4-31b';

describe('gemma-4 refusing max_tokens alone (litellm #36970)', () => {
  let emulator: RunningEmulator;
  let results: Map<string, CheckResult>;
  beforeAll(async () => {
    // Only max_tokens refused: what the harness does with one refused bound, apart from gemma's other refusals.
    const onlyMaxTokens: ProfileOverride = { behaviors: { apiParams: { 'chat-completions': { rejected: ['max_tokens'], defaultOnly: [] } }, chatTools: 'accept', rejectedParams: [] } as ProfileOverride['behaviors'] };
    emulator = await catalogEmulator({ [GEMMA]: onlyMaxTokens });
    results = await checkModel(liveTarget(emulator.url), GEMMA, {
      checks: ['created-at.chat', 'schema.chat-completion', 'params.stop', 'params.max-tokens', 'params.max-completion-tokens', 'tools.chat.forced-call', 'structured-output.chat', 'content.array.chat', 'sdk.openai.chat'],
    });
  });
  afterAll(() => emulator.close());

  it('observes the chat behaviour instead of a wall of rejections', () => {
    expect(results.get('created-at.chat')).toMatchObject({ status: 'pass', observed: 'integer' });
    expect(results.get('params.stop')?.observed).toBe('honored');
    expect(results.get('tools.chat.forced-call')?.observed).toBe('conformant');
    expect(results.get('structured-output.chat')?.observed).toBe('valid');
    expect(results.get('content.array.chat')?.observed).toBe('accepted');
    expect(results.get('sdk.openai.chat')?.observed).toBe('ok');
    expect(results.get('params.max-completion-tokens')?.observed).toBe('honored');
  });

  it('says rejected only where max_tokens is what the check tests', () => {
    const r = results.get('params.max-tokens')!;
    expect(r.observed).toBe('rejected');
    expect(r.reason).not.toContain('does not name');
  });

  it('learns the refusal once, from the probe, and shows the replacement in the evidence', () => {
    const chat = emulator.stats.log.filter((l) => l.model === GEMMA && l.path === '/openai/v1/chat/completions');
    const refused = chat.filter((l) => l.maxTokens !== undefined && JSON.stringify(l).includes('max_tokens'));
    expect(chat.length).toBeGreaterThan(5);
    expect(refused.length).toBeLessThanOrEqual(3); // the probe's own, and the two of params.max-tokens (under test)
    const evidence = results.get('params.stop')!.evidence.map((e) => e.note ?? '');
    // 1024, not 64: gemma reasons, so params.stop gets room to think as well.
    expect(evidence.join(' ')).toMatch(/max_tokens refused by the model: sent max_completion_tokens: 1024 instead/);
  });
});

describe('gemma-4 as the catalog documents it: every refusal of litellm #36970 played, nothing gates', () => {
  let emulator: RunningEmulator;
  let results: Map<string, CheckResult>;
  beforeAll(async () => {
    emulator = await catalogEmulator();
    results = await checkModel(liveTarget(emulator.url), GEMMA);
  });
  afterAll(() => emulator.close());

  it('the documented refusals are observed as rejected, and pass against the catalog', () => {
    for (const check of ['params.max-tokens', 'params.max-completion-tokens', 'params.stop', 'params.logprobs', 'tools.chat.forced-call']) {
      expect(results.get(check), check).toMatchObject({ observed: 'rejected', status: 'pass' });
      expect(results.get(check)?.expected, check).toBe('rejected');
    }
  });

  it('the rest of the chat behaviour is still observed, with no output limit where both bounds are refused', () => {
    expect(results.get('created-at.chat')).toMatchObject({ status: 'pass', observed: 'integer' });
    expect(results.get('structured-output.chat')?.observed).toBe('valid');
    expect(results.get('content.array.chat')?.observed).toBe('accepted');
    expect(results.get('schema.chat-completion')).toMatchObject({ status: 'pass', observed: 'lenient-only' });
    const notes = results.get('structured-output.chat')!.evidence.map((e) => e.note ?? '').join(' ');
    expect(notes).toContain('sent no output limit instead');
  });

  it('no cell fails or errors', () => {
    const bad = [...results].filter(([, r]) => r.status === 'fail' || r.status === 'error').map(([id, r]) => `${id}: ${r.status} ${r.reason}`);
    expect(bad).toEqual([]);
  });

  it('a refused parameter is named in the answer, and a tool call goes through with reasoning_effort none', async () => {
    const url = `${emulator.url}/openai/v1/chat/completions`;
    const post = (body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: GEMMA, messages: [{ role: 'user', content: 'hi' }], ...body }) });
    for (const [field, value, code] of [['top_p', 0.5, 'unsupported_parameter'], ['presence_penalty', 0.1, 'unsupported_parameter'], ['temperature', 0.2, 'unsupported_value']] as const) {
      const answer = await post({ [field]: value });
      expect(answer.status, field).toBe(400);
      expect(((await answer.json()) as { error: { param: string; code: string } }).error).toMatchObject({ param: field, code });
    }
    expect((await post({ temperature: 1, seed: 7, n: 1 })).status).toBe(200);
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }];
    expect((await post({ tools })).status).toBe(400);
    expect((await post({ tools, reasoning_effort: 'none' })).status).toBe(200);
  });
});

describe('answers read by their cause', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await catalogEmulator({
      'qwen.qwen3-32b': { streamRejected: true },
      'zai.glm-5': { behaviors: { rejectedParams: ['stop'] } },
    });
  });
  afterAll(() => emulator.close());

  it('a model the endpoint does not know is an error naming it on every cell, never "served nowhere"', async () => {
    const results = await checkModel(liveTarget(emulator.url), 'some.new-modle', { checks: ['path-prefix', 'api.chat-completions', 'created-at.chat', 'params.stop'] });
    for (const [check, r] of results) {
      expect(r.status, check).toBe('error');
      expect(r.reason, check).toContain('HARNESS_MODEL_NOT_FOUND');
      expect(r.reason, check).toContain('some.new-modle does not exist');
    }
    // Nothing past the probes was sent to a model that does not exist.
    expect(emulator.stats.log.filter((l) => l.model === 'some.new-modle').length).toBe(4);
  });

  it('a stream request answered with a JSON 400 is rejected, not a malformed stream', async () => {
    const r = (await checkModel(liveTarget(emulator.url), 'qwen.qwen3-32b', { checks: ['stream.chat-completions'] })).get('stream.chat-completions')!;
    expect(r.observed).toBe('rejected');
  });

  it('names a parameter by its param field or as a whole word, not as a letter inside another word', () => {
    expect(namesField(undefined, "Unsupported parameter: 'n' is not supported", 'n')).toBe(true);
    expect(namesField(undefined, 'Invalid content in messages', 'n')).toBe(false);
    expect(namesField('stop', 'anything', 'stop')).toBe(true);
    expect(namesField('reasoning.effort', 'x', 'reasoning')).toBe(true);
    expect(namesField('stop_sequences', 'x', 'stop')).toBe(false);
  });

  it('a model that refuses stop says rejected for params.stop, naming it', async () => {
    const r = (await checkModel(liveTarget(emulator.url), 'zai.glm-5', { checks: ['params.stop'] })).get('params.stop')!;
    expect(r.observed).toBe('rejected');
    expect(r.reason).not.toContain('does not name');
  });
});

describe('API wording with a route cause (GPT-5.6 on /v1, August 2026)', () => {
  it('is a route answer when the other prefix serves the API: path-prefix /openai/v1, api.responses supported', async () => {
    const emulator = await catalogEmulator({ 'test.gpt-like': { prefixes: ['/openai/v1'], wrongRoute: 'api-400' } }, { unknownModels: 'generic' });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'test.gpt-like', { checks: ['path-prefix', 'api.responses', 'api.chat-completions', 'created-at.responses'] });
      expect(results.get('path-prefix')).toMatchObject({ observed: '/openai/v1' });
      expect(results.get('api.responses')).toMatchObject({ observed: 'supported' });
      expect(results.get('api.chat-completions')).toMatchObject({ observed: 'supported' });
      expect(results.get('created-at.responses')?.evidence[0]?.request).toBe('POST /openai/v1/responses');
      const wording = emulator.stats.log.find((l) => l.path === '/v1/responses');
      expect(wording).toBeDefined();
    } finally {
      await emulator.close();
    }
  });
});

describe('a rejection about another field', () => {
  it('is inconclusive for a forced call and structured output, naming the field', async () => {
    // A model that refuses top_p: the cases do not send it, so add it through a suite-less path: the effort the
    // harness adds for a reasoning model is the realistic case; here the emulator refuses reasoning_effort values.
    const emulator = await catalogEmulator({ 'test.refuses-effort': { behaviors: { thinkingTokens: 4, efforts: ['low'] } } }, { unknownModels: 'generic' });
    try {
      const { ALL_CHECKS } = await import('../src/checks/registry.ts');
      const { buildPlan } = await import('../src/plan/plan.ts');
      const { projectSuites } = await import('./helpers/harness.ts');
      const { suites, catalog } = await projectSuites();
      const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: ['test.refuses-effort'], checks: ['tools.chat.forced-call', 'structured-output.chat'] });
      // The catalog does not know the model; say it reasons with an effort the model refuses.
      plan.models[0]!.reasoning = { reasons: true, lowestEffort: 'none', source: 'test' };
      const results = await checkModel(liveTarget(emulator.url), 'test.refuses-effort', { plan });
      for (const check of ['tools.chat.forced-call', 'structured-output.chat']) {
        const r = results.get(check)!;
        expect(r.status, r.reason).toBe('inconclusive');
        expect(r.reason).toContain('refused for reasoning');
      }
    } finally {
      await emulator.close();
    }
  });
});
