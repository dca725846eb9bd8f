/**
 * Shape fingerprints and drift: a fingerprint holds the structure of an answer (paths, types by lexeme, stream
 * event types, header names) and no value; a field the endpoint adds shows in `compare` as drift while every check
 * still passes, and a run that sent less shows no drift for what it did not send.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it as property } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeId, shapeOf, shapeTable, type ShapeSample } from '../src/checks/shape.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { shapeDrift } from '../src/report/shape-drift.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

function exchange(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, status = 200): Exchange {
  return { step: 'main', prefix: '/v1', request: { method: 'POST', path: '/v1/responses', headers: {} }, response: { status, headers, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 1, attempts: 1 };
}

/**
 * The fingerprint's paths as first written (a string per path per value, deduplicated by a Set): shape ids are
 * compared across runs and harness versions, so the path tree must give exactly these, bounds and all.
 */
function referencePaths(value: unknown): { paths: string[]; complete: boolean } {
  const into = new Set<string>();
  const part = (key: string, root: boolean) => {
    const cut = key.length > 64 ? `${key.slice(0, 64)}…` : key;
    return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(cut) ? `${root ? '' : '.'}${cut}` : `[${JSON.stringify(cut)}]`;
  };
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'float') : typeof v === 'object' ? 'object' : typeof v);
  const collect = (v: unknown, path: string, depth: number): boolean => {
    if (into.size >= 400) return false;
    into.add(`${path || '$'} ${typeOf(v)}`);
    const object = v !== null && typeof v === 'object' && !Array.isArray(v);
    if (depth >= 12 && (Array.isArray(v) || object)) return false;
    let complete = true;
    if (Array.isArray(v)) for (const item of v) complete = collect(item, `${path}[]`, depth + 1) && complete;
    else if (object) for (const [k, item] of Object.entries(v as Record<string, unknown>)) complete = collect(item, `${path}${part(k, path === '')}`, depth + 1) && complete;
    return complete;
  };
  const complete = collect(value, '', 0);
  return { paths: [...into].sort(), complete };
}

describe('shape paths', () => {
  // Keys that read alike: `$` (as the root reads), long keys equal for 64 characters, keys that need quoting.
  const key = fc.oneof(fc.constantFrom('$', 'a', 'b', 'x'.repeat(64) + 'y', 'x'.repeat(64) + 'z', 'a.b', '', '[]'), fc.string({ maxLength: 4 }));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 14 }, fc.constantFrom(null, true, 'text', 3, 0.5), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 6 })),
  }));
  property.prop([value], { numRuns: 400 })('are those of one string per path, the bounds cut where they cut', (v) => {
    const fp = shapeOf(exchange(JSON.stringify(v)))!;
    const expected = referencePaths(v);
    expect(fp.paths).toEqual(expected.paths);
    expect(fp.truncated === true).toBe(!expected.complete);
  });

  it('keeps at most 400 paths, and says it cut them', () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, { [`n${i}`]: i }]));
    const fp = shapeOf(exchange(JSON.stringify(wide)))!;
    expect(fp.paths).toEqual(referencePaths(wide).paths);
    expect(fp.paths).toHaveLength(400);
    expect(fp.truncated).toBe(true);
  });
});

describe('shapeOf', () => {
  it('keeps paths with their types (numbers by lexeme) and header names, never a value', () => {
    const fp = shapeOf(exchange('{"id":"resp_secret_value","created_at":1.772195752e+09,"output":[{"type":"message","content":[{"text":"hi"}]}],"usage":null,"n":3,"t":0.5,"ok":true}'))!;
    expect(fp.kind).toBe('json');
    expect(fp.paths).toEqual(['$ object', 'created_at exponent', 'id string', 'n integer', 'ok boolean', 'output array', 'output[] object', 'output[].content array', 'output[].content[] object', 'output[].content[].text string', 'output[].type string', 't float', 'usage null']);
    expect(fp.headers).toEqual(['content-type']);
    expect(JSON.stringify(fp)).not.toContain('resp_secret_value');
    // The same structure with other values is the same fingerprint; another lexeme is not.
    const same = shapeOf(exchange('{"id":"x","created_at":2.1e+09,"output":[{"type":"m","content":[{"text":"yo"}]}],"usage":null,"n":1,"t":1.5,"ok":false}'))!;
    expect(shapeId(same)).toBe(shapeId(fp));
    const integer = shapeOf(exchange('{"id":"x","created_at":1772195752,"output":[{"type":"m","content":[{"text":"yo"}]}],"usage":null,"n":1,"t":1.5,"ok":false}'))!;
    expect(shapeId(integer)).not.toBe(shapeId(fp));
  });

  it('types numbers by lexeme whether the body is read plain (written as JSON.stringify writes) or by lossless-json', () => {
    // Plain: every number here reads back as written, so the fingerprint is made from JSON.parse's value.
    expect(shapeOf(exchange('{"a":1e+21,"b":1.5e-7,"c":2,"d":0.5}'))!.paths).toEqual(['$ object', 'a exponent', 'b exponent', 'c integer', 'd float']);
    // Lexemes JSON.parse would rewrite keep their own type.
    expect(shapeOf(exchange('{"c":2.0,"x":1E3,"z":-0}'))!.paths).toEqual(['$ object', 'c float', 'x exponent', 'z integer']);
  });

  it('reads a stream as its event types in order (repeats in a row once) and each event type\'s paths', () => {
    const body = 'event: response.created\ndata: {"type":"response.created","response":{"id":"r"}}\n\nevent: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a"}\n\nevent: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"b"}\n\nevent: response.completed\ndata: {"type":"response.completed"}\n\n';
    const fp = shapeOf(exchange(body, { 'content-type': 'text/event-stream' }))!;
    expect(fp.kind).toBe('sse');
    expect(fp.events).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    expect(fp.paths).toContain('[response.created] response.id string');
    expect(fp.paths).toContain('[response.output_text.delta] delta string');
    const chat = shapeOf(exchange('data: {"object":"chat.completion.chunk","choices":[]}\n\ndata: [DONE]\n\n', { 'content-type': 'text/event-stream' }))!;
    expect(chat.events).toEqual(['chat.completion.chunk', '[DONE]']);
  });

  it('stays bounded on a pathological body (thousands of distinct keys) and says it was cut', () => {
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const fp = shapeOf(exchange(JSON.stringify(wide)))!;
    expect(fp.paths.length).toBeLessThanOrEqual(400);
    expect(fp.truncated).toBe(true);
    expect(shapeOf({ ...exchange('{}'), response: null })).toBeUndefined();
  });
});

describe('shapeDrift', () => {
  const table = (cells: Record<string, [string, Exchange][]>) =>
    shapeTable(new Map(Object.entries(cells).map(([cell, list]) => [cell, list.map(([key, ex]): ShapeSample => ({ api: 'responses', key, fingerprint: shapeOf(ex)! }))])));

  it('names what was added, what vanished and what changed type, for the exchanges both runs made', () => {
    const before = table({ 'us-west-2/xai.grok-4.3': [['a/main /v1', exchange('{"created_at":1,"old":"x"}')], ['b/main /v1', exchange('{"z":1}')]] });
    const after = table({ 'us-west-2/xai.grok-4.3': [['a/main /v1', exchange('{"created_at":1e9,"service_tier":"default"}', { 'content-type': 'application/json', 'x-new': '1' })]] });
    const [drift, ...rest] = shapeDrift(before, after);
    expect(rest).toEqual([]);
    expect(drift).toMatchObject({ target: 'us-west-2', model: 'xai.grok-4.3', api: 'responses', added: ['service_tier string'], vanished: ['old string'], changedType: [{ path: 'created_at', before: ['integer'], after: ['exponent'] }] });
    expect(drift!.headers.added).toEqual(['x-new']);
    // "b" was not sent the second time: nothing is said about it.
    expect(JSON.stringify(drift)).not.toContain('"z');
    expect(shapeDrift(before, before)).toEqual([]);
  });

  it('tells a different kind of answer to the same request apart from field changes', () => {
    const before = table({ 't/m': [['a/main /v1', exchange('{"id":"x"}')]] });
    const after = table({ 't/m': [['a/main /v1', exchange('{"error":{"message":"no"}}', { 'content-type': 'application/json' }, 400)]] });
    const [drift] = shapeDrift(before, after);
    expect(drift!.answers).toEqual({ added: ['400 json'], vanished: ['200 json'] });
    expect(drift!.added).toEqual([]);
  });
});

describe('compare reports shape drift', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drift-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a field added to an emulator response is drift while every check still passes (exit 0)', async () => {
    const env = { AWS_BEARER_TOKEN_BEDROCK: 'drift-key-0123456789' };
    const run = async (name: string, overrides: Parameters<typeof catalogEmulator>[0]) => {
      const emulator = await catalogEmulator(overrides, { apiKey: env.AWS_BEARER_TOKEN_BEDROCK });
      try {
        const result = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'qwen.qwen3-32b', '--report-dir', join(dir, name), '--quiet'], env);
        expect(result.code, result.stderr).toBe(0);
        return JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix;
      } finally {
        await emulator.close();
      }
    };
    // Mantle's chat stream chunks carry `obfuscation` (legal; the emulator sends it as real captures have it): a
    // run without it, then one with it.
    const before = await run('before', { 'qwen.qwen3-32b': { stream: { obfuscation: false } } });
    const after = await run('after', {});
    expect(after.results.map((r) => [r.check, r.status])).toEqual(before.results.map((r) => [r.check, r.status]));
    expect(after.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);

    const result = await cli(['compare', join(dir, 'before', 'matrix.json'), join(dir, 'after', 'matrix.json'), '--json']);
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout) as NonNullable<Matrix['comparison']>;
    expect(comparison.newFailures).toEqual([]);
    expect(comparison.shapeDrift).toEqual([
      expect.objectContaining({ target: 'emulator', model: 'qwen.qwen3-32b', api: 'chat-completions', added: ['[chat.completion.chunk] choices[].obfuscation string'], vanished: [], changedType: [] }),
    ]);
    const text = await cli(['compare', join(dir, 'before', 'matrix.json'), join(dir, 'after', 'matrix.json')]);
    expect(text.stdout).toContain('shape drift (never gates): 1 (target, model, API)\n  qwen.qwen3-32b chat-completions (emulator): added [chat.completion.chunk] choices[].obfuscation string');
    expect(text.stdout).toContain('regressed: no');
  });
});
