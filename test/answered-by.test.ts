/**
 * Which answers name another model than the one asked for (evidence `answeredBy`), and when the gate reads them as a
 * model with nothing observed: a near miss of a catalog id that nothing vouches for, answered mostly in another
 * model's name (a gateway routing an unknown id to its default). None of the forms in which Mantle and other endpoints
 * echo the id asked for is taken for another model (the bundled recordings' 4731 answers naming a model have none);
 * an alias, a fallback now and then and a catalog model are not called unobserved.
 */
import { describe, expect, it } from 'vitest';
import { answeredBy, namesAnotherModel, withAnsweredBy } from '../src/checks/answered-by.ts';
import { evidenceOf } from '../src/checks/judge.ts';
import { boundResult } from '../src/report/bound-result.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { answeredAsAnother, answeredAsAnotherLine, unobservedModels } from '../src/report/observed-models.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** The id asked for, and how an answer named it: the same model. */
const SAME: [string, string][] = [
  ['anthropic.claude-opus-4-7', 'claude-opus-4-7'],
  ['anthropic.claude-mythos-preview', 'claude-mythos-preview'],
  ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
  ['us.openai.gpt-6-sol', 'openai.gpt-6-sol'],
  ['openai.gpt-6-sol', 'gpt-6-sol-2026-09-01'],
  ['openai.gpt-oss-120b', 'openai/gpt-oss-120b'],
  ['qwen.qwen3-32b', 'Qwen/Qwen3-32B'],
  ['us.deepseek.v3.1', 'deepseek.v3.1'],
  ['deepseek.v3.1', 'deepseek-v3.1'],
  ['moonshotai.kimi-k2.5', 'kimi-k2.5'],
  ['global.xai.grok-4.3', 'grok-4.3'],
  ['amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
  ['meta.llama3-3-70b-instruct-v1:0', 'llama3-3-70b-instruct'],
  ['gpt-4o', 'gpt-4o-2024-08-06'],
  ['o1', 'o1-2024-12-17'],
  ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022'],
  ['claude-3-5-sonnet@20240620', 'claude-3-5-sonnet-20240620'],
  // Bedrock's version without a v, and a snapshot's month and day (review 50).
  ['openai.gpt-oss-120b-1:0', 'gpt-oss-120b'],
  ['openai.gpt-oss-120b-1:0', 'openai.gpt-oss-120b'],
  ['xai.grok-4', 'grok-4-0709'],
  ['gpt-4', 'gpt-4-0613'],
  // An empty name says nothing (Azure's first stream chunk).
  ['xai.grok-4.3', ''],
];

/** The id asked for, and the model an answer named instead. */
const OTHER: [string, string][] = [
  ['xai.grok-4-3', 'meta.llama-default'],
  // The same family is not the same model: a typo routed to the family's default.
  ['xai.grok-4-3', 'xai.grok-4'],
  ['anthropic.claude-opus-4-9', 'claude-3-haiku-20240307'],
  ['openai.gpt-6-sool', 'gpt-4o-mini'],
  ['deepseek-v3', 'deepseek-v2'],
  ['qwen.qwen3-32b', 'qwen3-8b'],
  ['xai.grok-4-3', 'grok-4-0709'],
  // A deployment name answered in the name of the model behind it: true, and the gate does not call it a typo.
  ['prod-chat', 'gpt-4o-2024-08-06'],
];

describe('namesAnotherModel', () => {
  it.each(SAME)('%s answered as %s: the same model', (sent, echoed) => {
    expect(namesAnotherModel(sent, echoed)).toBe(false);
  });
  it.each(OTHER)('%s answered as %s: another model', (sent, echoed) => {
    expect(namesAnotherModel(sent, echoed)).toBe(true);
  });
});

function exchange(model: string | undefined, status: number, body: string, stream = false): Exchange {
  return {
    step: 'main',
    prefix: '/v1',
    request: { method: 'POST', path: '/v1/chat/completions', headers: {}, ...(model !== undefined ? { body: JSON.stringify({ model, messages: [] }) } : {}) },
    response: { status, headers: { 'content-type': stream ? 'text/event-stream' : 'application/json' }, chunks: [{ t: 0, data: body }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  };
}

const sse = (...events: object[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');

describe('answeredBy', () => {
  it('reads the model a JSON answer or a stream names, and the evidence carries it', () => {
    expect(answeredBy(exchange('xai.grok-4-3', 200, '{"object":"chat.completion","model":"meta.llama-default","choices":[]}'))).toBe('meta.llama-default');
    const chat = exchange('xai.grok-4-3', 200, sse({ object: 'chat.completion.chunk', model: 'meta.llama-default', choices: [] }), true);
    expect(answeredBy(chat)).toBe('meta.llama-default');
    expect(evidenceOf('probe.chat', chat).answeredBy).toBe('meta.llama-default');
    const responses = exchange('xai.grok-4-3', 200, `event: response.created\n${sse({ type: 'response.created', response: { model: 'meta.llama-default' } })}`, true);
    expect(answeredBy(responses)).toBe('meta.llama-default');
    const messages = exchange('anthropic.claude-opus-4-7', 200, sse({ type: 'message_start', message: { model: 'gpt-4o-mini' } }), true);
    expect(answeredBy(messages)).toBe('gpt-4o-mini');
  });

  it('says nothing of the same model, an error answer, a request that names no model, or an answer that names none', () => {
    const same = exchange('anthropic.claude-opus-4-7', 200, '{"type":"message","model":"claude-opus-4-7"}');
    const azureFirst = exchange('xai.grok-4-3', 200, sse({ object: '', model: '', choices: [], prompt_filter_results: [] }, { object: 'chat.completion.chunk', model: 'meta.llama-default', choices: [] }), true);
    expect(answeredBy(azureFirst)).toBe('meta.llama-default');
    expect(answeredBy(same)).toBeUndefined();
    expect(evidenceOf('probe.messages', same)).not.toHaveProperty('answeredBy');
    expect(answeredBy(exchange('xai.grok-4-3', 400, '{"model":"meta.llama-default","error":{}}'))).toBeUndefined();
    expect(answeredBy(exchange(undefined, 200, '{"model":"meta.llama-default"}'))).toBeUndefined();
    expect(answeredBy(exchange('xai.grok-4-3', 200, '{"choices":[]}'))).toBeUndefined();
    expect(answeredBy(exchange('xai.grok-4-3', 200, 'not json'))).toBeUndefined();
  });

  it('keeps at most 128 characters of the name: it is endpoint text', () => {
    const long = `meta.llama-${'x'.repeat(500)}`;
    expect(answeredBy(exchange('xai.grok-4-3', 200, JSON.stringify({ model: long })))).toBe(long.slice(0, 128));
  });
});

describe('the gate on answers in another model\'s name', () => {
  const CHECKS = ['created-at.chat', 'defaults.temperature', 'defaults.top-p', 'path-prefix'];
  /** A model's cells, one 2xx answer each, named by `answeredBy` where given; `suggestion` is the catalog's "did you mean". */
  function run(model: string, answeredBy: (string | undefined)[], suggestion?: string) {
    const cells = CHECKS.map((check, i) => ({
      model,
      check,
      evidence: [{ case: `case-${i}`, step: 'main', request: 'POST /v1/chat/completions', status: 200, ...(answeredBy[i] ? { answeredBy: answeredBy[i] } : {}) }],
    }));
    const matrix = smallMatrix(cells, [model], CHECKS);
    matrix.models = matrix.models.map((m) => (suggestion ? { ...m, suggestion } : m));
    return unobservedModels(matrix).problems.map((p) => p.message);
  }
  const llama = 'meta.llama-default';

  it('a near miss of a catalog id answered mostly by another model observed nothing', () => {
    expect(run('xai.grok-4.33', [llama, llama, llama, undefined], 'xai.grok-4.3')).toEqual([
      'xai.grok-4.33 (emulator): nothing of it observed, 3 of 4 answers came from another model ("meta.llama-default"): is the id right?; "xai.grok-4.33" is not in the catalog: did you mean "xai.grok-4.3"? (an endpoint may answer an id it does not know with its default model)',
    ]);
  });

  it('a fallback now and then, an alias answered in its model\'s name, and a catalog model are not called unobserved for it', () => {
    expect(run('xai.grok-4.33', [llama, undefined, undefined, undefined], 'xai.grok-4.3')).toEqual([]);
    expect(run('prod-chat', [llama, llama, llama, llama])).toEqual([]);
    expect(run('xai.grok-4.3', [llama, llama, llama, llama])).toEqual([]);
  });

  it('notes, apart from the gate, each other model (per target) with cells that read answers in another model\'s name: not the ones the gate names, not checks that need no model, not cells another run judged', () => {
    const at = (model: string, check: string, answered: string | undefined, extra: object = {}) => ({
      model,
      check,
      evidence: [{ case: check, step: 'main', request: 'POST /v1/chat/completions', status: 200, ...(answered ? { answeredBy: answered } : {}) }],
      ...extra,
    });
    // A run's cell counts its answers before the reports cut its evidence (8 a cell): here the one answer in another
    // model's name is the 15th of 20, and no evidence the matrix keeps shows it.
    const many = Array.from({ length: 20 }, (_, i) => ({ case: `c${i}`, step: 'main', request: 'POST /v1/chat/completions', status: 200, ...(i === 14 ? { answeredBy: 'gpt-4o' } : {}) }));
    const cut = boundResult(withAnsweredBy<Pick<MatrixResult, 'reason' | 'observed' | 'evidence' | 'otherModel'>>({ reason: 'ok', observed: 'integer', evidence: many }));
    expect(cut.evidence.some((e) => e.answeredBy)).toBe(false);
    expect(cut.otherModel).toEqual({ answers: 20, others: 1, names: ['gpt-4o'] });
    const matrix = smallMatrix(
      [
        at('prod-chat', 'created-at.chat', llama),
        at('prod-chat', 'path-prefix', llama),
        at('xai.grok-4.3', 'created-at.chat', undefined),
        // errors.unknown-model asks for a made-up id; a cell not run here is another shard's.
        at('xai.grok-4.3', 'errors.unknown-model', llama),
        at('xai.grok-4.3', 'path-prefix', llama, { notRun: true }),
        at('xai.grok-4.33', 'created-at.chat', llama),
        // Only a trial's answer (--repeat) came in another model's name (a matrix.json without otherModel: its evidence).
        at('qwen.qwen3-32b', 'created-at.chat', undefined, { trials: [{ status: 'pass', observed: 'integer', reason: '', evidence: [{ case: 'c', step: 'main', request: 'POST /v1/chat/completions', status: 200, trial: 2, answeredBy: llama }] }] }),
        { model: 'deepseek.v3.1', check: 'created-at.chat', ...cut },
      ],
      ['prod-chat', 'xai.grok-4.3', 'xai.grok-4.33', 'qwen.qwen3-32b', 'deepseek.v3.1'],
      ['created-at.chat', 'path-prefix', 'errors.unknown-model'],
    );
    // The gate names xai.grok-4.33 (a near miss answered by another model) or it does not.
    const gated = (problems: Matrix['gate']['problems']) => ({ ...matrix, gate: { ...matrix.gate, problems } });
    const notes = answeredAsAnother(gated([{ kind: 'unobserved-model', target: 'emulator', model: 'xai.grok-4.33', message: '' }]));
    expect(notes.map(answeredAsAnotherLine)).toEqual([
      `prod-chat (emulator): 2 of 2 cell(s) that read an answer read one in another model's name ("${llama}"): an alias or a deployment name of that model reads so in every cell that names one, a fallback in some; for a model id, those cells judged another model`,
      `qwen.qwen3-32b (emulator): 1 of 2 cell(s) that read an answer read one in another model's name ("${llama}"): an alias or a deployment name of that model reads so in every cell that names one, a fallback in some; for a model id, those cells judged another model`,
      `deepseek.v3.1 (emulator): 1 of 2 cell(s) that read an answer read one in another model's name ("gpt-4o"): an alias or a deployment name of that model reads so in every cell that names one, a fallback in some; for a model id, those cells judged another model`,
    ]);
    expect(answeredAsAnother(gated([])).map((n) => n.model)).toEqual(['prod-chat', 'xai.grok-4.33', 'qwen.qwen3-32b', 'deepseek.v3.1']);
  });

  it('quotes two names at most, each cut short: they are endpoint text', () => {
    const [message] = run('xai.grok-4.33', ['a'.repeat(100), 'b-model', 'c-model', 'd-model'], 'xai.grok-4.3');
    expect(message).toContain(`came from another model ("${'a'.repeat(40)}...", "b-model" and 2 more)`);
  });
});

describe('a reason', () => {
  it('says first how many of its answers came in another model\'s name, and which; after a leading error code; and stays as it was otherwise', () => {
    const evidence = (answeredBy?: string, step = 'main') => [{ case: 'c', step, request: 'POST /v1/chat/completions', status: 200, ...(answeredBy ? { answeredBy } : {}) }];
    expect(withAnsweredBy({ reason: 'observed "integer"', evidence: evidence() })).toEqual({ reason: 'observed "integer"', evidence: evidence() });
    expect(withAnsweredBy({ reason: 'observed "integer"', evidence: evidence('meta.llama-default') })).toEqual({
      reason: '1 of 1 answer(s) named another model than their request asked for ("meta.llama-default"); observed "integer"',
      evidence: evidence('meta.llama-default'),
      otherModel: { answers: 1, others: 1, names: ['meta.llama-default'] },
    });
    // A fallback now and then is counted as such, trials included.
    const trials = [{ status: 'pass' as const, observed: 'integer', reason: 'ok', evidence: evidence('gpt-4o-mini', 'second') }];
    expect(withAnsweredBy({ reason: 'trials agree', evidence: evidence(), trials }).reason).toBe('1 of 2 answer(s) named another model than their request asked for ("gpt-4o-mini"); trials agree');
    expect(withAnsweredBy({ reason: 'HARNESS_TIMEOUT: no answer', evidence: evidence('gpt-4o-mini') }).reason).toBe(
      'HARNESS_TIMEOUT: 1 of 1 answer(s) named another model than their request asked for ("gpt-4o-mini"); no answer',
    );
  });
});
