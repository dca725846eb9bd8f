/**
 * A `--target-name` that is a region names the region a replay labels the target with: it must be the region the run
 * reaches (the Bedrock host's, or --region's), else us-east-1's answers would be recorded, replayed and compared as
 * us-west-2's. Refused before anything is sent. The Bedrock host name is "reached" through an HTTP proxy on
 * 127.0.0.1 that counts what it is asked and answers nothing: nothing leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTargets } from '../src/cli/target-options.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
let proxy: Server;
let proxyUrl: string;
let asked = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-target-name-'));
  proxy = createServer((_req, res) => {
    asked++;
    res.writeHead(502).end();
  });
  proxy.on('connect', (_req, socket) => {
    asked++;
    socket.destroy();
  });
  proxyUrl = await new Promise<string>((ready) => proxy.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)));
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((done) => proxy.close(done));
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKfakefakefakefakefakefakefakefake0000', HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' });

/** The usage error resolveTargets throws for these flags, or 'accepted' with the target's id and region. */
async function targetsOf(mode: 'live' | 'record', regions: string[], flags: Parameters<typeof resolveTargets>[2]): Promise<string> {
  try {
    const targets = await resolveTargets(mode, regions, flags, join(dir, 'none'));
    return `accepted ${targets.map((t) => `${t.id}@${t.region ?? '-'}`).join(',')}`;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('--target-name that names another region than the run reaches', () => {
  it('the reviewer\'s record run (a us-east-1 host named us-west-2) is exit 2, naming --target-name and the fix; nothing sent or written', async () => {
    const fixtures = join(dir, 'fx');
    const result = await cli(
      ['run', '--mode', 'record', '--endpoint', 'http://bedrock-mantle.us-east-1.api.aws', '--target-name', 'us-west-2', '--api-key-env', 'AWS_BEARER_TOKEN_BEDROCK',
        '--models', 'openai.gpt-oss-20b', '--checks', 'models.listed,answer.non-empty', '--fixtures', fixtures, '--report-dir', join(dir, 'rep'), '--plain'],
      env(),
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --target-name: us-west-2 names region us-west-2, but the URL "http://bedrock-mantle.us-east-1.api.aws/" is in us-east-1 (its host says so)');
    expect(result.stderr).toContain('Nothing was sent. Give --target-name us-east-1, or leave --target-name out');
    expect(asked).toBe(0);
    expect(await readdir(fixtures).catch(() => [])).toEqual([]);
  });

  it('is refused against the host, against --region, on either branch and for a surface-prefixed name', async () => {
    expect(await targetsOf('record', [], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws', targetName: 'us-west-2' })).toMatch(/^--target-name: us-west-2 names region us-west-2, but the URL .* is in us-east-1/);
    expect(await targetsOf('live', [], { endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com', targetName: 'runtime.us-west-2' })).toContain('Give --target-name runtime.us-east-1');
    // --region names the region: the regions branch (the URL built from it) and a local endpoint signing for it.
    expect(await targetsOf('live', ['us-west-2'], { targetName: 'us-east-1' })).toMatch(/^--target-name: us-east-1 names region us-east-1, but --region says us-west-2/);
    expect(await targetsOf('live', ['us-east-1'], { endpoint: 'http://127.0.0.1:4010', targetName: 'us-west-2' })).toMatch(/^--target-name: us-west-2 names region us-west-2, but --region says us-east-1/);
  });

  it('a name of the region reached, or of no region, is accepted as before', async () => {
    expect(await targetsOf('record', [], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws', targetName: 'us-east-1' })).toBe('accepted us-east-1@-');
    expect(await targetsOf('record', [], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws', targetName: 'prod-gateway' })).toBe('accepted prod-gateway@-');
    expect(await targetsOf('live', ['us-west-2'], { targetName: 'us-west-2' })).toBe('accepted us-west-2@us-west-2');
    expect(await targetsOf('live', ['us-west-2'], { targetName: 'canary' })).toBe('accepted canary@us-west-2');
    // A local endpoint named for a region with no --region says nothing the name contradicts.
    expect(await targetsOf('live', [], { endpoint: 'http://127.0.0.1:4010', targetName: 'us-west-2' })).toBe('accepted us-west-2@-');
  });
});
