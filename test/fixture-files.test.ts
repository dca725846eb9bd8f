/**
 * Fixture files are parsed, not trusted: every one is validated against the published schema before use. A
 * corrupt file (merge-conflict markers, truncated, empty, `exchanges: null`, another format, one bad field) makes
 * the cells that read it `error` with HARNESS_RECORDING_INVALID naming the file and the first bad field, gating
 * like a missing recording, never `skipped`. Trials and latency survive a round trip, and replay answers each
 * trial from its own recording.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { schemaText } from '../src/suite/schema-files.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { FIXTURE_FORMAT, FIXTURE_FORMAT_1, fixturePath, parseFixture, serializeFixture, writeFixture, type FixtureFile } from '../src/transport/fixture-file.ts';
import { FIXTURE_SCHEMA_FILE } from '../src/transport/fixture-schema.ts';
import { ReplayTarget } from '../src/transport/replay-target.ts';
import { ROOT, checkModel, cli } from './helpers/harness.ts';

const BUNDLED = join(ROOT, 'fixtures', 'emulator');
const SAMPLE = join(BUNDLED, 'qwen.qwen3-32b', 'probe.chat.json');
/** The line the marker lands on: where the sample's exchanges begin (the fixture's header grows with provenance). */
const MARKER_LINE = readFileSync(SAMPLE, 'utf8').split('\n').indexOf('  "exchanges": [') + 1;

/** Each way a fixture arrives broken, and what the error must name. */
const FORMS: { name: string; model: string; corrupt(text: string): string; names: RegExp }[] = [
  {
    name: 'merge-conflict markers',
    model: 'qwen.qwen3-32b',
    corrupt: (text) => text.replace('  "exchanges": [', '<<<<<<< HEAD\n  "exchanges": [').replace(/\n}\n$/, '\n=======\n>>>>>>> theirs\n}\n'),
    names: new RegExp(`has merge-conflict markers \\(line ${MARKER_LINE}: <<<<<<<\\)`),
  },
  { name: 'truncated', model: 'qwen.qwen3-coder-next', corrupt: (text) => text.slice(0, Math.floor(text.length / 2)), names: /is not valid JSON at line \d+, column \d+ \(truncated or damaged\)/ },
  { name: 'empty', model: 'mistral.devstral-2-123b', corrupt: () => '', names: /is empty/ },
  { name: 'exchanges: null', model: 'deepseek.v3.1', corrupt: (text) => JSON.stringify({ ...JSON.parse(text), exchanges: null }), names: /is not a fixture: exchanges: must be array/ },
  { name: 'another format', model: 'deepseek.v3.2', corrupt: (text) => text.replace(FIXTURE_FORMAT_1, 'someone-else.recording/7'), names: /is not a fixture: format: must be one of "mantle-conformance\.fixture\/1", "mantle-conformance\.fixture\/2"/ },
  {
    name: 'one bad field deep inside',
    model: 'zai.glm-5',
    corrupt: (text) => {
      const value = JSON.parse(text);
      value.exchanges[0].response.status = String(value.exchanges[0].response.status);
      return JSON.stringify(value, null, 2);
    },
    names: /is not a fixture: exchanges\[0\]\.response\.status: must be integer/,
  },
  {
    // A key with a line break escapes a pattern of `.` (Type.Record's): its value must be checked all the same.
    name: 'a header that is not text, under a name with a line break',
    model: 'minimax.minimax-m2.5',
    corrupt: (text) => {
      const value = JSON.parse(text);
      value.exchanges[0].response.headers['x-a\nb'] = { not: 'text' };
      return JSON.stringify(value, null, 2);
    },
    // The name is data: quoted, its line break escaped, so the message stays one line.
    names: /is not a fixture: exchanges\[0\]\.response\.headers\["x-a\\nb"\]: must be string/,
  },
];

describe('the fixture schema', () => {
  it('ships in suites/schema/ as the loader uses it (regenerate with `mantle-conformance schema`)', async () => {
    expect(await readFile(join(ROOT, FIXTURE_SCHEMA_FILE.path), 'utf8')).toBe(schemaText(FIXTURE_SCHEMA_FILE.schema));
  });

  it('accepts every bundled fixture', async () => {
    let count = 0;
    for (const model of await readdir(BUNDLED)) {
      for (const name of await readdir(join(BUNDLED, model))) {
        const file = join(BUNDLED, model, name);
        parseFixture(await readFile(file, 'utf8'), file);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(500);
  });

  it.each(FORMS)('refuses $name, naming the file and what is wrong', async ({ corrupt, names }) => {
    const text = corrupt(await readFile(SAMPLE, 'utf8'));
    let error: unknown;
    try {
      parseFixture(text, '/somewhere/probe.chat.json');
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).toBe('HARNESS_RECORDING_INVALID');
    expect((error as Error).message).toMatch(/^\/somewhere\/probe\.chat\.json /);
    expect((error as Error).message).toMatch(names);
    expect((error as Error).message).toContain('record it again with --mode record');
  });
});

describe('replay of corrupt fixtures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corrupt-'));
    for (const form of FORMS) {
      await cp(join(BUNDLED, form.model), join(dir, 'emulator', form.model), { recursive: true });
      const file = join(dir, 'emulator', form.model, 'probe.chat.json');
      await writeFile(file, form.corrupt(await readFile(file, 'utf8')));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(FORMS)('$name: the cells that read it are error, naming the file; the others are judged', async ({ model, names }) => {
    const results = await checkModel(new ReplayTarget('emulator', dir), model);
    const chat = results.get('created-at.chat')!;
    expect(chat.status).toBe('error');
    expect(chat.reason).toMatch(/^HARNESS_RECORDING_INVALID: .*probe\.chat\.json /);
    expect(chat.reason).toMatch(names);
    expect([...results.values()].filter((r) => r.status === 'skipped')).toEqual([]);
    // A case with an intact file is still judged (the Responses probe: these models do not serve it).
    expect(results.get('api.responses')!.status).toBe('pass');
    expect(results.get('api.responses')!.observed).toBe('unsupported');
  });

  it('a replay run with every form exits non-zero, each of those models gating, none skipped', async () => {
    const run = await cli(['run', '--fixtures', dir, '--models', FORMS.map((f) => f.model).join(','), '--checks', 'created-at.chat,api.chat-completions', '--report-dir', join(dir, 'reports'), '--plain']);
    expect(run.code, run.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'reports', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.results.filter((r) => r.status === 'skipped')).toEqual([]);
    for (const form of FORMS) {
      const cell = matrix.results.find((r) => r.model === form.model && r.check === 'created-at.chat')!;
      expect(cell.status, form.name).toBe('error');
      expect(cell.reason).toMatch(form.names);
      expect(matrix.gate.gating.some((g) => g.model === form.model)).toBe(true);
    }
  }, 120_000);
});

function exchange(step: string, body: string, extra: Partial<Exchange> = {}): Exchange {
  return {
    step,
    prefix: '/v1',
    request: { method: 'GET', path: '/v1/responses/resp_1', headers: {} },
    response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] },
    error: null,
    durationMs: 30,
    attempts: 1,
    ...extra,
  };
}

describe('trials and latency in fixtures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trials-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const provenance = { source: 'live' as const, target: 't', endpointHost: 'h', region: null, recordedAt: '2026-01-01T00:00:00.000Z', harnessVersion: 'v' };

  it('keeps trial, headersMs and the content encoding through a write and a read', () => {
    const fixture: FixtureFile = {
      format: FIXTURE_FORMAT,
      model: 'm',
      case: 'c',
      provenance,
      exchanges: [exchange('get', '{"n":1}', { headersMs: 12 }), exchange('get', '{"n":2}', { trial: 2, headersMs: 15, response: { status: 200, headers: {}, chunks: [{ t: 0, data: '{"n":2}' }], contentEncoding: 'gzip' } })],
    };
    const read = parseFixture(serializeFixture(fixture), 'f.json');
    expect(read.exchanges.map((ex) => [ex.trial, ex.headersMs, ex.response?.contentEncoding])).toEqual([
      [undefined, 12, undefined],
      [2, 15, 'gzip'],
    ]);
  });

  it('replay answers each trial from its own exchanges, polls in order within a trial, and never from another trial', async () => {
    const fixture: FixtureFile = {
      format: FIXTURE_FORMAT,
      model: 'm',
      case: 'c',
      provenance,
      exchanges: [
        exchange('get', '{"status":"queued","trial":1}'),
        exchange('get', '{"status":"completed","trial":1}'),
        exchange('get', '{"status":"in_progress","trial":2}', { trial: 2 }),
        exchange('get', '{"status":"failed","trial":2}', { trial: 2 }),
      ],
    };
    await writeFixture(fixturePath(dir, 't', 'm', 'c'), fixture, []);
    const replay = new ReplayTarget('t', dir);
    const request = { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };
    const ask = async (trial?: number) => {
      const answer = await replay.send(request, { model: 'm', caseId: 'c', step: 'get', prefix: '/v1', ...(trial ? { trial } : {}) });
      return `${answer.trial ?? 1}:${answer.response!.chunks[0]!.data}`;
    };
    expect(await ask(2)).toBe('2:{"status":"in_progress","trial":2}');
    expect(await ask()).toBe('1:{"status":"queued","trial":1}');
    expect(await ask(2)).toBe('2:{"status":"failed","trial":2}');
    // Asked again after its last recorded answer: no answer, not the last one again (attempts never made).
    await expect(ask(2)).rejects.toThrow();
    expect(await ask(1)).toBe('1:{"status":"completed","trial":1}');
    // No trial 3 was recorded in a fixture recorded with trials: no answer (trial 1's again would be an observation
    // nobody made; only a fixture recorded without trials answers every trial from its one recording).
    await expect(ask(3)).rejects.toThrow();
  });

  it('replay tells a case never recorded from a model folder it cannot read', async () => {
    const request = { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };
    await writeFixture(fixturePath(dir, 'folders', 'm', 'c'), { format: FIXTURE_FORMAT, model: 'm', case: 'c', provenance, exchanges: [exchange('get', '{"v":1}')] }, []);
    // A file where the model's folder should be: the read says why, not "record it".
    await writeFile(join(dir, 'folders', 'file-model'), 'not a folder');
    const replay = new ReplayTarget('folders', dir);
    const ask = async (model: string, caseId: string) => replay.send(request, { model, caseId, step: 'get', prefix: '/v1' });
    expect((await ask('m', 'c')).response!.chunks[0]!.data).toBe('{"v":1}');
    expect((await ask('m', 'never-recorded')).error).toMatchObject({ code: 'HARNESS_RECORDING_MISSING' });
    expect((await ask('no-folder', 'c')).error).toMatchObject({ code: 'HARNESS_RECORDING_MISSING' });
    expect((await ask('file-model', 'c')).error).toMatchObject({ code: 'HARNESS_RECORDING_INVALID', message: expect.stringContaining('ENOTDIR') });
  });

  it('replay holds a model\'s fixtures until the model is finished, then forgets them', async () => {
    const file = fixturePath(dir, 'forget', 'm', 'c');
    // Two recorded answers: each ask below takes one (a third would find none).
    const write = (answer: string) => writeFixture(file, { format: FIXTURE_FORMAT, model: 'm', case: 'c', provenance, exchanges: [exchange('get', answer), exchange('get', answer)] }, []);
    await write('{"v":1}');
    const replay = new ReplayTarget('forget', dir);
    const request = { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };
    const ask = async () => (await replay.send(request, { model: 'm', caseId: 'c', step: 'get', prefix: '/v1' })).response!.chunks[0]!.data;
    expect(await ask()).toBe('{"v":1}');
    await write('{"v":2}');
    // Read once per model: the file is not read again while the model runs.
    expect(await ask()).toBe('{"v":1}');
    replay.modelFinished('m');
    expect(await ask()).toBe('{"v":2}');
  });
});
