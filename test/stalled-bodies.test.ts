/**
 * A non-stream body that stalled (`response.stalledAfterMs`: headers and part of a body, then silence past
 * --idle-timeout) was read whole by no client: every check that reads it says `error`, naming the stall, never a
 * fail on the part that arrived (models.listed `no-list`, schema.error `invalid`) and never a pass on a whole JSON
 * whose response never ended (errors.wrong-route `conformant`, schema.error `valid`, created-at.*, sdk.*).
 */
import { stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { ApiId } from '../src/suite/suite-schema.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { vector } from './helpers/vectors.ts';

const MODEL = 'openai.gpt-oss-20b';

/** An answer of `status` with `text`, cut to `arrived` characters and stalled when `stalled` (noend: all of it arrived). */
function exchange(path: string, status: number, text: string, options: { stalled?: boolean; arrived?: number; method?: 'GET' | 'POST'; step?: string; body?: string } = {}): Exchange {
  const data = options.arrived === undefined ? text : text.slice(0, options.arrived);
  return {
    step: options.step ?? 'main',
    prefix: path.startsWith('/openai') ? '/openai/v1' : '/v1',
    request: { method: options.method ?? 'POST', path, headers: {}, ...(options.body ? { body: options.body } : {}) },
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data }], ...(options.stalled ? { stalledAfterMs: 800 } : {}) },
    error: null,
    durationMs: 1,
    attempts: 1,
  };
}

async function run(id: string, outcomes: CaseOutcome[], expected?: string): Promise<CheckResult> {
  const check = getCheck(id)!;
  return check.run({ model: MODEL, expectation: expected ? { value: expected, source: 'test' } : null, outcomes });
}

const completed = (caseId: string, api: ApiId, exchanges: Exchange[]): CaseOutcome => ({ kind: 'completed', caseId, api, exchanges });

const LIST = JSON.stringify({ object: 'list', data: [{ id: 'deepseek.v3.1', object: 'model' }, { id: MODEL, object: 'model' }] });
const OTHERS = JSON.stringify({ object: 'list', data: [{ id: 'deepseek.v3.1', object: 'model' }] });
const ROUTE_REFUSAL = JSON.stringify({ error: { code: 'validation_error', message: `model \`${MODEL}\` isn't supported on this route`, param: null, type: 'invalid_request_error' } });
const BAD_TEMPERATURE = JSON.stringify({ error: { code: 'invalid_type', message: 'temperature: expected a number, got a string', param: 'temperature', type: 'invalid_request_error' } });

describe('models.listed on a list whose body stalled', () => {
  const lists = (...exchanges: Exchange[]) => [completed('models.list', 'models', exchanges)];

  it('is an error naming the stall, never no-list, when the list stalled halfway on every prefix', async () => {
    const result = await run('models.listed', lists(exchange('/v1/models', 200, LIST, { method: 'GET', stalled: true, arrived: 40 }), exchange('/openai/v1/models', 200, LIST, { method: 'GET', stalled: true, arrived: 40 })), 'listed');
    expect(result.status, result.reason).toBe('error');
    expect(result.observed).toBeNull();
    expect(result.reason).toBe('could not read a model list: /v1/models HTTP 200, whose body stalled: no data for 800 ms after 40 character(s)');
  });

  it('is an error, never listed, when the whole list arrived but its response never ended', async () => {
    const result = await run('models.listed', lists(exchange('/v1/models', 200, LIST, { method: 'GET', stalled: true }), exchange('/openai/v1/models', 404, '{"error":{"message":"not found"}}', { method: 'GET' })), 'listed');
    expect(result.status, result.reason).toBe('error');
  });

  it('reads the list that arrived whole: listed there is listed; not-listed there is an error while another prefix stalled', async () => {
    const listed = await run('models.listed', lists(exchange('/v1/models', 200, LIST, { method: 'GET' }), exchange('/openai/v1/models', 200, LIST, { method: 'GET', stalled: true, arrived: 30 })), 'listed');
    expect(listed.status, listed.reason).toBe('pass');
    const unseen = await run('models.listed', lists(exchange('/v1/models', 200, OTHERS, { method: 'GET' }), exchange('/openai/v1/models', 200, LIST, { method: 'GET', stalled: true, arrived: 30 })), 'listed');
    expect(unseen.status, unseen.reason).toBe('error');
    expect(unseen.reason).toContain('/openai/v1/models HTTP 200, whose body stalled: no data for 800 ms after 30 character(s); the model is not on the list(s) read: /v1/models: 1 models');
  });
});

describe('errors.wrong-route on a wrong route whose body never ended', () => {
  const chat = (refusal: Exchange) => [completed('probe.chat', 'chat-completions', [exchange('/v1/chat/completions', 200, JSON.stringify({ id: 'c', object: 'chat.completion', choices: [] })), refusal])];

  it('is an error, never conformant, on a whole envelope whose response stalled', async () => {
    const result = await run('errors.wrong-route', chat(exchange('/openai/v1/chat/completions', 400, ROUTE_REFUSAL, { stalled: true })), 'conformant');
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toBe('no wrong-route answer to read: /openai/v1/chat/completions: HTTP 400, whose body stalled: no data for 800 ms after 150 character(s)');
  });

  it('is an error, never nonconformant, on half an envelope', async () => {
    const result = await run('errors.wrong-route', chat(exchange('/openai/v1/chat/completions', 400, ROUTE_REFUSAL, { stalled: true, arrived: 90 })), 'conformant');
    expect(result.status, result.reason).toBe('error');
  });

  it('still reads the envelope of a wrong route that ended', async () => {
    const result = await run('errors.wrong-route', chat(exchange('/openai/v1/chat/completions', 400, ROUTE_REFUSAL)), 'conformant');
    expect(result.status, result.reason).toBe('pass');
  });
});

describe('schema.error and errors.bad-parameter on the same stalled 400', () => {
  const bad = (options: { stalled?: boolean; arrived?: number }) => [completed('errors.bad-parameter', 'chat-completions', [exchange('/v1/chat/completions', 400, BAD_TEMPERATURE, { ...options, body: '{"model":"m","temperature":"hot"}' })])];

  it('both say error when the 400 stalled halfway (schema.error said invalid: "the 400 body is not JSON")', async () => {
    const schema = await run('schema.error', bad({ stalled: true, arrived: 88 }), 'valid');
    const envelope = await run('errors.bad-parameter', bad({ stalled: true, arrived: 88 }), 'conformant');
    expect(schema.status, schema.reason).toBe('error');
    expect(schema.reason).toBe('could not observe every error object: POST /v1/chat/completions in errors.bad-parameter answered 400 and its body stalled: no data for 800 ms after 88 character(s)');
    expect(envelope.status, envelope.reason).toBe('error');
  });

  it('says error, never valid, when the whole envelope arrived but the response never ended', async () => {
    const schema = await run('schema.error', bad({ stalled: true }), 'valid');
    expect(schema.status, schema.reason).toBe('error');
  });

  it('beside a whole envelope: error, never valid; a whole body that breaks the schema is still invalid', async () => {
    const stalled = bad({ stalled: true })[0]!;
    const whole = completed('errors.unknown-model', 'chat-completions', [exchange('/v1/chat/completions', 404, BAD_TEMPERATURE)]);
    expect((await run('schema.error', [whole])).observed).toBe('valid');
    const beside = await run('schema.error', [stalled, whole], 'valid');
    expect(beside.status, beside.reason).toBe('error');
    const broken = completed('errors.unknown-model', 'chat-completions', [exchange('/v1/chat/completions', 404, '{"error":"no"}')]);
    expect((await run('schema.error', [stalled, broken], 'valid')).observed).toBe('invalid');
  });
});

describe('checks that read every prefix\'s 2xx, when one prefix\'s body never ended', () => {
  /** A recorded chat completion with what the strict schema also asks for: `valid` when read whole. */
  const chatBody = async () => {
    const body = JSON.parse(stringify((await vector('chat-gpt-oss-20b')).response!.json) ?? '{}') as { choices: { logprobs?: null; message: { refusal?: null } }[]; system_fingerprint?: string };
    body.choices[0]!.logprobs = null;
    body.choices[0]!.message.refusal = null;
    body.system_fingerprint = 'fp';
    return JSON.stringify(body);
  };
  // The stalled prefix first: the step's last 2xx, the one sdk.* feed first, ended (a stalled last one is answerOf's).
  const probe = async (stalledFirst: boolean) => [
    completed('probe.chat', 'chat-completions', [exchange('/v1/chat/completions', 200, await chatBody(), { stalled: stalledFirst }), exchange('/openai/v1/chat/completions', 200, await chatBody())]),
  ];

  for (const id of ['created-at.chat', 'sdk.strict.chat', 'sdk.openai.chat']) {
    it(`${id}: error naming the stalled prefix, never a pass on the other alone`, async () => {
      const whole = await run(id, await probe(false));
      expect(whole.status, whole.reason).not.toBe('error');
      const result = await run(id, await probe(true));
      expect(result.status, result.reason).toBe('error');
      expect(result.reason).toMatch(/^could not observe: \/v1\/chat\/completions answered 200 and its body stalled: no data for 800 ms after \d+ character\(s\)$/);
    });
  }

  it('schema.chat-completion: error, never skipped ("no object observed") nor valid, when a 2xx body stalled', async () => {
    const only = await run('schema.chat-completion', [completed('basic.chat', 'chat-completions', [exchange('/v1/chat/completions', 200, await chatBody(), { stalled: true })])], 'valid');
    expect(only.status, only.reason).toBe('error');
    const beside = await run('schema.chat-completion', await probe(true), 'valid');
    expect(beside.status, beside.reason).toBe('error');
    expect((await run('schema.chat-completion', await probe(false), 'valid')).status).toBe('pass');
  });
});
