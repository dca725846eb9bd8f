/**
 * A body nested some thousands of levels deep (an endpoint's error `detail`, an extra field of an answer) is valid
 * JSON that lossless-json reads: schema.* judge it as any other body. Their copies of the value (plain and strict
 * readings, schema-modes.ts) once recursed, and such a body made the check throw (`HARNESS_INTERNAL ... Maximum call
 * stack size exceeded`), an error cell for what the endpoint answered correctly. A record run stored such a body as
 * parsed JSON, which lossless-json could not write back: every cell of the model was an error and nothing was recorded;
 * it is stored as its text now.
 */
import { parse as parseLossless } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { plainValue, strictValue } from '../src/checks/schema-modes.ts';
import { schemaChecks } from '../src/checks/schema.ts';
import type { CaseOutcome } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { mapLeaves } from '../src/map-values.ts';
import { bodyText } from '../src/transport/body.ts';
import { FIXTURE_FORMAT, parseFixture, serializeFixture } from '../src/transport/fixture-file.ts';

const DEPTH = 3000;
const nested = (leaf: string) => `${'['.repeat(DEPTH)}${leaf}${']'.repeat(DEPTH)}`;

/** The innermost member of `value`, DEPTH arrays down. */
function innermost(value: unknown): unknown {
  let at = value;
  for (let level = 0; level < DEPTH; level++) at = (at as unknown[])[0];
  return at;
}

describe('the plain and strict readings of a deep value', () => {
  it('copy it whole, the numbers read as each reading reads them', () => {
    const value = parseLossless(`{"a":${nested('1.0')},"b":2}`) as { a: unknown };
    const plain = plainValue(value) as { a: unknown; b: unknown };
    expect(innermost(plain.a)).toBe(1);
    expect(plain.b).toBe(2);
    expect(innermost((strictValue(value) as { a: unknown }).a)).toBe(1 - 2 ** -20);
    expect(innermost((strictValue(value, true) as { a: unknown }).a)).toBe(1 + 2 ** -20);
  });

  it('keep keys in order, a __proto__ key as an own member, and leaves that are not numbers as they are', () => {
    const value = JSON.parse('{"z":1,"__proto__":{"x":[null,"s",true]},"a":[]}');
    const copy = mapLeaves(value, (leaf) => (typeof leaf === 'number' ? leaf + 1 : leaf), () => false) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['z', '__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"z":2,"__proto__":{"x":[null,"s",true]},"a":[]}');
  });
});

const exchange = (path: string, status: number, body: string): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request: { method: 'POST', path, headers: {} },
  response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

async function judge(check: string, caseId: string, ...exchanges: Exchange[]) {
  const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId, api: 'chat-completions', exchanges }];
  return schemaChecks.find((c) => c.id === check)!.run({ model: 'm', expectation: { value: 'valid', source: 'test' }, outcomes });
}

describe('schema.* on a body nested thousands deep', () => {
  it('schema.error: an envelope with a deep detail is judged valid; one without a message fails', async () => {
    const valid = await judge('schema.error', 'errors.bad-parameter', exchange('/v1/chat/completions', 400, `{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null,"detail":${nested('1.5')}}}`));
    expect(`${valid.status} ${valid.observed}`, valid.reason).toBe('pass valid');
    const invalid = await judge('schema.error', 'errors.bad-parameter', exchange('/v1/chat/completions', 400, `{"error":{"type":"invalid_request_error","detail":${nested('2.0')}}}`));
    expect(`${invalid.status} ${invalid.observed}`, invalid.reason).toBe('fail invalid');
  });

  it('schema.chat-completion: an answer with a deep extra field and an exponent `created` is lenient-only', async () => {
    const answer = `{"id":"c1","object":"chat.completion","created":1.7635E9,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"finish_reason":"stop","logprobs":null}],"deep":${nested('1.5')}}`;
    const result = await judge('schema.chat-completion', 'probe.chat', exchange('/v1/chat/completions', 200, answer));
    expect(result.status, result.reason).not.toBe('error');
    expect(result.observed, result.reason).toBe('lenient-only');
    expect(result.reason).toMatch(/created/);
  });
});

describe('a recording of a body nested thousands deep', () => {
  it('is written (as its text) and replays the same bytes; a shallow body is still stored as JSON', () => {
    const deep = `{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null,"detail":${nested('1.5')}}}`;
    const shallow = '{"error":{"message":"bad","type":"x","param":null,"code":null}}';
    const provenance = { source: 'live' as const, target: 't', endpointHost: 'h', region: null, recordedAt: '2026-01-01T00:00:00.000Z', harnessVersion: 'v' };
    const text = serializeFixture({ format: FIXTURE_FORMAT, model: 'm', case: 'c', provenance, exchanges: [exchange('/v1/chat/completions', 400, deep), exchange('/v1/chat/completions', 400, shallow)] });
    const stored = JSON.parse(text) as { exchanges: { response: { text?: string; json?: unknown } }[] };
    expect(stored.exchanges[0]!.response.text).toBe(deep);
    expect(stored.exchanges[1]!.response.json).toEqual(JSON.parse(shallow));
    const read = parseFixture(text, 'f.json');
    expect(read.exchanges.map((ex) => bodyText(ex.response!))).toEqual([deep, shallow]);
  });
});
