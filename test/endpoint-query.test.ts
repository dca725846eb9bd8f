/**
 * A query in --endpoint (Azure OpenAI's `?api-version=`) goes out on every request, merged with the request's own
 * query; a credential in it (`?api-key=`) is redacted like a header's wherever the endpoint echoes it, and the
 * fixtures' request keys stay the request's own path, so replay finds them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinUrl } from '../src/transport/http-exchange.ts';
import { secretsOfQuery } from '../src/transport/request-secrets.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';
import { startProxy } from './helpers/wire-proxy.ts';

describe('joinUrl', () => {
  it.each([
    { base: 'http://h:1', path: '/v1/models', url: 'http://h:1/v1/models' },
    { base: 'http://h:1/gateway/', path: '/v1/models?limit=2', url: 'http://h:1/gateway/v1/models?limit=2' },
    { base: 'http://h:1/?api-version=2024-10-21', path: '/v1/models', url: 'http://h:1/v1/models?api-version=2024-10-21' },
    { base: 'http://h:1/openai?api-version=2024-10-21&x=1', path: '/v1/responses/r1?include=a', url: 'http://h:1/openai/v1/responses/r1?api-version=2024-10-21&x=1&include=a' },
    // The request's own parameter is what a check asks for: it replaces the endpoint's of the same name.
    { base: 'http://h:1/?limit=9&api-version=1', path: '/v1/models?limit=2', url: 'http://h:1/v1/models?api-version=1&limit=2' },
    { base: 'http://h:1/?api-version=1#frag', path: '/v1/models', url: 'http://h:1/v1/models?api-version=1' },
  ])('$base + $path', ({ base, path, url }) => {
    expect(joinUrl(base, path).toString()).toBe(url);
  });

  it('takes the query parameters named like credentials for secrets, and only those', () => {
    const url = new URL('http://h/?api-version=2024-10-21&api-key=k-0123456789&code=c-0123456789&model=x&sessionid=s-0123456789&pw=p-0123456789');
    expect(secretsOfQuery(url).map((s) => s.value)).toEqual(['k-0123456789', 'c-0123456789', 's-0123456789', 'p-0123456789']);
  });
});

describe('an endpoint with a query', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'endpoint-query-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('sends it on every request, keeps its key out of everything written, and replays what it recorded', async () => {
    const KEY = 'azure-query-canary-5a6b7c8d9e';
    const emulator = await catalogEmulator();
    // The proxy echoes the URL it was asked for in a header, as some gateways do in their errors.
    const proxy = await startProxy(emulator.url, { headers: (request) => ({ 'x-requested-url': request.path }) });
    const endpoint = `${proxy.url}/?api-version=2024-10-21&api-key=${KEY}`;
    const fixtures = join(dir, 'fixtures');
    const common = ['--target-name', 'azure', '--models', 'xai.grok-4.3', '--checks', 'path-prefix,stream.chat-completions', '--fixtures', fixtures, '--quiet'];
    try {
      const record = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', endpoint, '--report-dir', join(dir, 'record'), ...common]);
      expect(record.code, record.stderr + record.stdout).toBe(0);
      expect(proxy.requests.length).toBeGreaterThan(1);
      for (const request of proxy.requests) expect(new URL(request.path, 'http://x').searchParams.get('api-version'), request.path).toBe('2024-10-21');
      const written = await allText(dir);
      expect(written).not.toContain(KEY);
      expect(written).toContain('[REDACTED:query-credential]');
      const replay = await cli(['run', '--report-dir', join(dir, 'replay'), ...common]);
      expect(replay.code, replay.stderr + replay.stdout).toBe(0);
      const statuses = async (name: string) => (JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as { results: { check: string; status: string }[] }).results.map((r) => `${r.check} ${r.status}`);
      expect(await statuses('replay')).toEqual(await statuses('record'));
    } finally {
      await proxy.close();
      await emulator.close();
    }
  }, 120_000);
});
