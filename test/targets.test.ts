/**
 * Live, record and replay through the same parsing: timeouts and cut streams are `error` (never `fail`), a
 * recording never holds the key, and replay without a recording names the model, case, request and the fix.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { bearer } from '../src/transport/auth/bearer.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { ReplayTarget } from '../src/transport/replay-target.ts';
import { requestKey } from '../src/transport/request-key.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

describe('infrastructure failures are errors, not verdicts', () => {
  it('a response slower than --timeout is an error for every check that needed it', async () => {
    const emulator = await catalogEmulator({}, { faults: { 'qwen.qwen3-32b': { kind: 'slow', delayMs: 1_500 } } });
    try {
      const results = await checkModel(liveTarget(emulator.url, undefined, 300), 'qwen.qwen3-32b', { checks: ['created-at.chat', 'stream.chat-completions'] });
      for (const result of results.values()) {
        expect(result.status).toBe('error');
        expect(result.reason).toMatch(/HARNESS_TIMEOUT|could not tell|HARNESS_ROUTE_UNKNOWN/);
      }
    } finally {
      await emulator.close();
    }
  });

  it('a stream cut mid-way is an error, not nonconformant', async () => {
    const emulator = await catalogEmulator({}, { faults: { 'qwen.qwen3-32b': { kind: 'reset-mid-stream', stream: true } } });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'qwen.qwen3-32b', { checks: ['api.chat-completions', 'stream.chat-completions'] });
      expect(results.get('api.chat-completions')?.status).toBe('pass');
      const stream = results.get('stream.chat-completions')!;
      expect(stream.status).toBe('error');
      expect(stream.reason).toMatch(/^HARNESS_STREAM_CUT: the response from .* stopped before it ended/);
    } finally {
      await emulator.close();
    }
  });

  it('a refused connection is an error', async () => {
    const results = await checkModel(liveTarget('http://127.0.0.1:9'), 'qwen.qwen3-32b', { checks: ['api.chat-completions', 'created-at.chat'] });
    for (const result of results.values()) {
      expect(result.status).toBe('error');
      expect(result.reason).toMatch(/HARNESS_CONNECTION|could not tell|cannot choose/);
    }
  });
});

describe('record and replay', () => {
  let emulator: RunningEmulator;
  let dir: string;
  const KEY = 'canary-bearer-0123456789abcdef';
  beforeAll(async () => {
    // Grok answering created_at in exponent form (a quirk: the catalog states it for gpt-oss-120b only).
    emulator = await catalogEmulator({ 'xai.grok-4.3': { createdAt: { responses: 'exponent' } } }, { apiKey: KEY });
    dir = await mkdtemp(join(tmpdir(), 'fixtures-'));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records one file per case with provenance, without the key, and replays the same verdicts', async () => {
    const live = liveTarget(emulator.url, bearer(KEY));
    const record = new RecordTarget(live, { fixturesDir: dir, provenance: { source: 'emulator', target: 'test', endpointHost: '127.0.0.1', region: null, harnessVersion: 'test' } }, () => [{ kind: 'api-key', value: KEY }]);
    const recorded = await checkModel(record, 'xai.grok-4.3');
    const files = await readdir(join(dir, 'test', 'xai.grok-4.3'));
    expect(files.sort()).toEqual(expect.arrayContaining(['probe.chat.json', 'probe.responses.json', 'stream.chat.json', 'stream.responses.json']));
    for (const file of files) {
      const text = await readFile(join(dir, 'test', 'xai.grok-4.3', file), 'utf8');
      expect(text).not.toContain(KEY);
      expect(text.toLowerCase()).not.toContain('authorization');
      const fixture = JSON.parse(text);
      expect(fixture.provenance).toMatchObject({ source: 'emulator', target: 'test', harnessVersion: 'test' });
      expect(fixture.provenance.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // The lexeme survives the round trip: created_at stays in exponent form.
    expect(await readFile(join(dir, 'test', 'xai.grok-4.3', 'probe.responses.json'), 'utf8')).toMatch(/"created_at": 1\.790166400e\+09/);
    const replayed = await checkModel(new ReplayTarget('test', dir), 'xai.grok-4.3');
    for (const [id, result] of recorded) {
      expect({ id, status: replayed.get(id)?.status, observed: replayed.get(id)?.observed }).toEqual({ id, status: result.status, observed: result.observed });
    }
  });

  it('keeps stream reads and their timing', async () => {
    const fixture = JSON.parse(await readFile(join(dir, 'test', 'xai.grok-4.3', 'stream.chat.json'), 'utf8'));
    const response = fixture.exchanges[0].response;
    expect(response.chunks.length).toBeGreaterThan(0);
    expect(response.chunks[0]).toEqual({ t: expect.any(Number), data: expect.stringContaining('data: ') });
  });

  it('matches a request on its method, path and body whatever the order of its keys, and on nothing less', () => {
    const key = (body: string | undefined, path = '/v1/chat/completions', method: 'POST' | 'GET' = 'POST') => requestKey({ method, path, body });
    const same = key('{"model":"m","messages":[{"role":"user","content":"hi"}],"10":1,"9":2,"n":{"b":1,"a":[2,{"d":0,"c":"x"}]}}');
    expect(key('{"n":{"a":[2,{"c":"x","d":0}],"b":1},"9":2,"messages":[{"content":"hi","role":"user"}],"10":1,"model":"m"}')).toBe(same);
    expect(key(' {"a": 1}\n')).toBe(key('{"a":1}'));
    for (const other of ['{"a":2}', '{"a":"1"}', '{"a":[1]}', '{"a":1,"b":null}', '{"b":1}', '{"a":{}}']) expect(key(other), other).not.toBe(key('{"a":1}'));
    expect(key('[1,2]')).not.toBe(key('[2,1]'));
    expect(key('{"a":1}', '/v1/responses')).not.toBe(key('{"a":1}'));
    expect(key('{"a":1}', '/v1/chat/completions', 'GET')).not.toBe(key('{"a":1}'));
    // A body that is not JSON is matched as it is.
    expect(key('not json')).toBe(key('not json'));
    expect(key('not json')).not.toBe(key('not  json'));
    expect(key(undefined)).not.toBe(key('""'));
  });

  it('replay without a recording is an error naming the model, case, request and the fix', async () => {
    const results = await checkModel(new ReplayTarget('nowhere', dir), 'qwen.qwen3-32b', { checks: ['created-at.chat'] });
    const result = results.get('created-at.chat')!;
    expect(result.status).toBe('error');
    expect(result.reason).toContain('HARNESS_RECORDING_MISSING');
    expect(result.reason).toContain('model qwen.qwen3-32b, case probe.chat, request POST /v1/chat/completions');
    expect(result.reason).toContain('--mode record');
  });
});
