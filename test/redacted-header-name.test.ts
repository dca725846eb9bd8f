/**
 * A response header whose name holds the run's key is redacted to a name that is still a header name
 * (`x-redacted-api-key`): `[`, `:` and `]` are no token characters, and the SDK judges' fetch refused
 * `x-[REDACTED:api-key]`, which made sdk.* a gating HARNESS_INTERNAL error for what the endpoint did. Live, record,
 * replay, and the replay of a fixture recorded when names kept the placeholder, all give the same verdicts.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { redactExchange } from '../src/transport/redact-exchange.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { passAnswer, startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

const KEY = 'zq7Kp2Wm9Xr4Tb8Nc5Vd1Lf6Hg3Js0Ay';
const CHECKS = ['sdk.openai.chat', 'sdk.openai.chat-stream', 'sdk.strict.chat'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

describe('a header name that holds the key', () => {
  it('is redacted to a valid header name that still says what was there', () => {
    const exchange = { step: 'main', prefix: '/v1', request: { method: 'GET' as const, path: '/v1/models', headers: {} }, response: { status: 200, headers: { 'content-type': 'application/json', [`x-${KEY.toLowerCase()}`]: '1', [`x-echo-${KEY}-end`]: '2' }, chunks: [{ t: 0, data: '{}' }] }, error: null, durationMs: 1, attempts: 1 };
    const redacted = redactExchange(exchange, new Redactor(() => [{ kind: 'api-key', value: KEY }]));
    const names = Object.keys(redacted.response!.headers);
    expect(names).toEqual(['content-type', 'x-redacted-api-key', 'x-echo-redacted-api-key-end']);
    for (const name of names) expect(name).toMatch(TOKEN);
    expect(() => new Headers(redacted.response!.headers)).not.toThrow();
    expect(redacted.redactions).toBe(2);
  });
});

describe('an endpoint that puts the key into a response header\'s name', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let server: EmulatorProxy;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'header-name-'));
    emulator = await catalogEmulator();
    // In front of the emulator: every answer gets the header `x-<key>: 1`, as the review's hostile endpoint did.
    server = await startEmulatorProxy(emulator.url, {
      answer: (request, answer, res) => passAnswer(answer, res, { [`x-${(request.headers.authorization ?? '').replace(/^Bearer /, '')}`]: '1' }),
    });
    url = server.url;
  });
  afterAll(async () => {
    await server.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (mode: string, reports: string, fixtures: string) => {
    const result = await cli(['run', '--mode', mode, '--endpoint', url, '--target-name', 'echo', '--models', 'openai.gpt-oss-20b', '--checks', CHECKS.join(','), '--fixtures', fixtures, '--report-dir', join(dir, reports), '--plain'], { AWS_BEARER_TOKEN_BEDROCK: KEY });
    const matrix = JSON.parse(await readFile(join(dir, reports, 'matrix.json'), 'utf8')) as Matrix;
    return { result, cells: Object.fromEntries(matrix.results.map((r) => [r.check, `${r.status} ${r.reason ?? ''}`])) };
  };

  it('judges the answers, not the harness: live, record, replay and an older recording agree, and no key is kept', async () => {
    const fixtures = join(dir, 'fixtures');
    const live = await run('live', 'live', fixtures);
    const record = await run('record', 'record', fixtures);
    const replay = await run('replay', 'replay', fixtures);
    for (const check of CHECKS) expect(live.cells[check], check).toMatch(/^pass /);
    expect(live.result.code, live.result.stdout + live.result.stderr).toBe(0);
    expect(`${live.result.stdout}${live.result.stderr}`).not.toContain('HARNESS_INTERNAL');
    expect(record.cells).toEqual(live.cells);
    expect(replay.cells).toEqual(live.cells);
    const stored = await allText(fixtures);
    expect(stored).toContain('"x-redacted-api-key"');
    expect(stored).not.toContain('[REDACTED:api-key]"');
    expect(stored.toLowerCase()).not.toContain(KEY.toLowerCase());
    // A fixture recorded before: the name kept the placeholder. Replay reads it as the new name.
    for (const file of await readdir(fixtures, { recursive: true })) {
      if (!file.endsWith('.json')) continue;
      const path = join(fixtures, file);
      await writeFile(path, (await readFile(path, 'utf8')).replaceAll('"x-redacted-api-key"', '"x-[REDACTED:api-key]"'));
    }
    expect(await allText(fixtures)).toContain('"x-[REDACTED:api-key]"');
    const older = await run('replay', 'older', fixtures);
    expect(older.cells).toEqual(live.cells);
  }, 120_000);
});
