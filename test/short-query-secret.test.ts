/**
 * A credential-named --endpoint query value (`?api-key=`) is redacted as a header's value is, so it is held to the
 * same length: one shorter than the redactor can match is warned of, and refused by a record run (fixtures are
 * shared), naming the parameter, never the value. A review (r7, finding 2) recorded `?api-key=Zq8T3xW` into every
 * fixture of an endpoint that echoed it, with no word said.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessError } from '../src/errors.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { tooShortToRedact } from '../src/transport/auth/short-secrets.ts';
import { echoGateway, type EchoGateway } from './helpers/echo-gateway.ts';
import { allText, cli } from './helpers/harness.ts';

const SHORT = 'Zq8T3xW';

describe('a short credential in the --endpoint query', () => {
  it('is named by its parameter, once, and only when named like a credential and shorter than 8 characters', () => {
    const none = { kind: 'none', apiKeyEnv: 'UNUSED' };
    expect(tooShortToRedact({ ...none, endpoints: [`http://127.0.0.1/?api-key=${SHORT}`, `http://127.0.0.1:1/?api-key=${SHORT}`] }, {})).toEqual([{ flag: '--endpoint', name: 'the query parameter "api-key"' }]);
    expect(tooShortToRedact({ ...none, endpoints: ['http://127.0.0.1/?api-key=Zq8T3xW1', 'http://127.0.0.1/?api-version=2024', 'http://127.0.0.1/?sig=', null, undefined] }, {})).toEqual([]);
  });

  it('is refused when recording, naming the parameter and never the value', () => {
    let refused: HarnessError | undefined;
    try {
      createAuth({ kind: 'none', apiKeyEnv: 'UNUSED', recording: true, endpoints: [`http://127.0.0.1/?api-version=2024-10-21&api-key=${SHORT}`] }, {});
    } catch (error) {
      refused = error as HarnessError;
    }
    expect(refused?.code).toBe('HARNESS_USAGE');
    expect(refused?.message).toMatch(/^--endpoint: the value of the query parameter "api-key" is shorter than 8 characters.*fixtures are shared/);
    expect(refused?.message).not.toContain(SHORT);
    expect(createAuth({ kind: 'none', apiKeyEnv: 'UNUSED', endpoints: [`http://127.0.0.1/?api-key=${SHORT}`] }, {}).kind).toBe('none');
  });
});

describe('a run against an endpoint that echoes its query', () => {
  let dir: string;
  let gateway: EchoGateway;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'short-query-'));
    gateway = await echoGateway((req) => ({ headers: { 'x-echo-url': req.url ?? '' }, content: `OK ${req.url}` }));
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });
  const common = () => ['--auth', 'none', '--endpoint', `${url}?api-key=${SHORT}`, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty', '--quiet'];

  it('record: refused with exit 2 before anything is sent, the parameter named, the value not shown', async () => {
    const before = gateway.requests();
    const run = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'fx'), '--report-dir', join(dir, 'rep'), ...common()]);
    expect(run.code, run.stderr + run.stdout).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --endpoint: the value of the query parameter "api-key" is shorter than 8 characters/);
    expect(gateway.requests()).toBe(before);
    expect(run.stdout + run.stderr).not.toContain(SHORT);
    expect(await allText(join(dir, 'fx')).catch(() => '')).not.toContain(SHORT);
  }, 60_000);

  it('live: warned of, and run', async () => {
    const run = await cli(['run', '--mode', 'live', '--report-dir', join(dir, 'rep-live'), ...common()]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stderr).toMatch(/warning: --endpoint: the value of the query parameter "api-key" is shorter than 8 characters.*kept as sent/);
    expect(run.stderr).not.toContain(SHORT);
  }, 60_000);
});
