/**
 * Two recordings that both name a host are one target's only when the hosts agree (loopback names as one, ports
 * ignored): a region string a gateway's recordings carry (`--region` beside `--endpoint`, a region-shaped
 * `--target-name`) never makes them a Bedrock region's. A record run into a folder recorded at another host is
 * refused before any case is sent, by the rule replay uses, naming both hosts and the fix.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherSurfaceIn, recordedIdentity } from '../src/transport/recorded-surface.ts';
import { cli, ROOT } from './helpers/harness.ts';

const BUNDLED = join(ROOT, 'fixtures');
const FABLE = 'anthropic.claude-fable-5';
const HAIKU = 'anthropic.claude-haiku-4-5';

type Provenance = Record<string, unknown>;

/** Bedrock us-west-2, as a live record run with `--region us-west-2` writes it. */
const BEDROCK: Provenance = { target: 'us-west-2', site: 'us-west-2', endpointHost: 'bedrock-mantle.us-west-2.api.aws', region: 'us-west-2', surface: 'mantle', source: 'live' };
/** A gateway on loopback recorded with `--region us-west-2 --target-name gwx` (the region signs, it names no site). */
const GATEWAY_SIGNING: Provenance = { target: 'gwx', site: 'gwx', endpointHost: '127.0.0.1:44201', region: 'us-west-2', surface: 'mantle', source: 'live' };
/** A gateway on loopback recorded with `--target-name us-west-2` and no `--region`. */
const GATEWAY_NAMED: Provenance = { target: 'us-west-2', site: 'us-west-2', endpointHost: '127.0.0.1:44201', region: null, surface: 'mantle', source: 'live' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-host-identity-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A bundled Mantle model folder copied to `root/target/model`, every fixture's provenance replaced by `provenance`. */
async function modelFolder(root: string, target: string, model: string, provenance: Provenance): Promise<void> {
  const folder = join(root, target, model);
  await cp(join(BUNDLED, 'emulator', model), folder, { recursive: true });
  for (const name of await readdir(folder)) {
    if (!name.endsWith('.json')) continue;
    const fixture = JSON.parse(await readFile(join(folder, name), 'utf8')) as { provenance: Provenance };
    fixture.provenance = { ...fixture.provenance, ...provenance };
    await writeFile(join(folder, name), `${JSON.stringify(fixture, undefined, 2)}\n`);
  }
}

const refusal = (promise: Promise<unknown>) => promise.then(() => '', (e: Error & { code?: string }) => `${e.code}: ${e.message}`);

describe('a region name shared by a gateway and Bedrock', () => {
  it('a gateway signing for us-west-2, copied into a Bedrock us-west-2 folder, is another target: refused', async () => {
    const root = join(dir, 'signing');
    await modelFolder(root, 'us-west-2', HAIKU, BEDROCK);
    await modelFolder(root, 'us-west-2', FABLE, GATEWAY_SIGNING);
    const refused = await refusal(recordedIdentity(root, 'us-west-2'));
    expect(refused).toMatch(/^HARNESS_USAGE: /);
    expect(refused).toContain('host loopback');
    expect(refused).toContain('host bedrock-mantle.us-west-2.api.aws');
  });

  it('a gateway recorded as --target-name us-west-2 beside a Bedrock us-west-2 folder is another target: refused', async () => {
    const root = join(dir, 'named');
    await modelFolder(root, 'us-west-2', HAIKU, BEDROCK);
    await modelFolder(root, 'us-west-2', FABLE, GATEWAY_NAMED);
    const refused = await refusal(recordedIdentity(root, 'us-west-2'));
    expect(refused).toMatch(/^HARNESS_USAGE: /);
    // Both were recorded under the folder's own name: the fix is a folder per host, not "the folder it was recorded for".
    expect(refused).toContain('one folder per host');
    expect(refused).toContain('--target-name');
  });

  it('a gateway\'s recordings alone name no region, whatever region or name they carry', async () => {
    for (const [name, provenance] of [['alone-signing', GATEWAY_SIGNING], ['alone-named', GATEWAY_NAMED]] as const) {
      const root = join(dir, name);
      await modelFolder(root, 't', HAIKU, provenance);
      const identity = await recordedIdentity(root, 't');
      expect(identity.host).toBe('loopback');
      expect(identity.region).toBeUndefined();
    }
  });

  it('still one target: two loopback ports and the emulator; Bedrock beside a recording that names only the region', async () => {
    const loopback = join(dir, 'ports');
    await modelFolder(loopback, 'gw', HAIKU, { ...GATEWAY_NAMED, target: 'gw', site: 'gw', endpointHost: 'localhost:44202' });
    await modelFolder(loopback, 'gw', FABLE, { ...GATEWAY_NAMED, target: 'gw', site: 'gw', endpointHost: 'emulator (loopback)' });
    await expect(recordedIdentity(loopback, 'gw')).resolves.toMatchObject({ host: 'loopback', surface: 'mantle' });
    const region = join(dir, 'region-only');
    await modelFolder(region, 'us-west-2', HAIKU, BEDROCK);
    await modelFolder(region, 'us-west-2', FABLE, { ...BEDROCK, endpointHost: null });
    await expect(recordedIdentity(region, 'us-west-2')).resolves.toMatchObject({ region: 'us-west-2', host: 'bedrock-mantle.us-west-2.api.aws' });
  });
});

describe('a record run into a folder recorded at another host', () => {
  let server: Server;
  const sent: string[] = [];
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      sent.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is found by the rule replay uses: another host is, another loopback port is not', async () => {
    const root = join(dir, 'check');
    await modelFolder(root, 'gw', HAIKU, { ...GATEWAY_NAMED, target: 'gw', site: 'gw', endpointHost: 'gw.corp.example:8443' });
    const found = await otherSurfaceIn(root, 'gw', { target: 'gw', site: 'gw', endpointHost: 'localhost:44201', region: null, surface: 'mantle' });
    expect(found?.said.host).toBe('gw.corp.example');
    expect(found?.mine.host).toBe('loopback');
    const loopback = join(dir, 'check-loopback');
    await modelFolder(loopback, 'gw', HAIKU, { ...GATEWAY_NAMED, target: 'gw', site: 'gw', endpointHost: '127.0.0.1:44202' });
    await expect(otherSurfaceIn(loopback, 'gw', { target: 'gw', site: 'gw', endpointHost: 'localhost:44201', region: null, surface: 'mantle' })).resolves.toBeUndefined();
  });

  it('is exit 2 before any case is sent, naming both hosts and a --target-name folder per host', async () => {
    const root = join(dir, 'cli');
    await modelFolder(root, 'gw', HAIKU, { ...GATEWAY_NAMED, target: 'gw', site: 'gw', endpointHost: 'gw.corp.example:8443' });
    const run = await cli([
      'run', '--mode', 'record', '--endpoint', `http://127.0.0.1:${port}`, '--surface', 'mantle', '--auth', 'none', '--target-name', 'gw',
      '--models', FABLE, '--checks', 'messages.thinking-disabled', '--fixtures', root, '--report-dir', join(dir, 'cli-reports'), '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--fixtures: the fixtures of target gw were recorded at host gw\.corp\.example .*this run records at host loopback.*--target-name NAME.*Nothing was recorded\./s);
    // Nothing of the cases went out (the credentials check may have asked for the model list), and nothing was written.
    expect(sent.filter((line) => !line.startsWith('GET '))).toEqual([]);
    expect(await readdir(join(root, 'gw'))).toEqual([HAIKU]);
  });
});
