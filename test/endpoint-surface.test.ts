/**
 * An `--endpoint` target is what its host and flags say: a bedrock-runtime PrivateLink, dual-stack, FIPS or fully
 * qualified name is runtime (judged by runtime's documented lacks, not failed on them as Mantle), a name with no
 * real region (`bedrock-runtime.s3.amazonaws.com`) is custom; an `--endpoint` given `--region` keeps the region as
 * its id on every surface (`us-east-1`, as runs before surfaces named it: baselines and recordings still match), and
 * `compare --by surface` of such a Mantle run and runtime run says so with the fix; a Bedrock host's site is the region
 * it names, so two hosts of one region pair without `--region`; a `--target-name` (or a `--targets mantle:` name)
 * that names another surface is refused before anything is sent. The AWS names are reached through a CONNECT proxy
 * on 127.0.0.1 that tunnels to two emulators there (Mantle and runtime): nothing leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTargets } from '../src/cli/target-options.ts';
import { FLAVOURS } from '../src/emulator/surface.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { surfaceOfHost } from '../src/surfaces.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
let mantle: RunningEmulator;
let runtime: RunningEmulator;
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-endpoint-surface-'));
  mantle = await catalogEmulator();
  runtime = await catalogEmulator({}, { surface: FLAVOURS.runtime });
  proxy = createServer((_req, res) => res.writeHead(502).end());
  proxy.on('connect', (req, socket, head) => {
    const port = String(req.url).includes('mantle') ? mantle.port : runtime.port;
    const tunnel = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await Promise.all([mantle.close(), runtime.close()]);
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' });
const target = async (regions: string[], flags: Parameters<typeof resolveTargets>[2]) => {
  const [t] = await resolveTargets('live', regions, flags, join(dir, 'fixtures'));
  return [t!.id, t!.surface, t!.site];
};
const refusal = (regions: string[], flags: Parameters<typeof resolveTargets>[2]) => resolveTargets('live', regions, flags, join(dir, 'fixtures')).then(() => 'accepted', (e: Error) => e.message);

describe('the surface of a Bedrock host', () => {
  it('runtime\'s PrivateLink, dual-stack, FIPS and fully qualified names are runtime', () => {
    for (const host of ['vpce-0abc1234-5678.bedrock-runtime.us-east-1.vpce.amazonaws.com', 'bedrock-runtime.us-east-1.api.aws', 'bedrock-runtime-fips.us-east-1.amazonaws.com', 'bedrock-runtime.us-east-1.amazonaws.com.', 'BEDROCK-RUNTIME.us-east-1.amazonaws.com:443', 'bedrock-runtime.cn-north-1.amazonaws.com.cn']) {
      expect(surfaceOfHost(host), host).toBe('runtime');
    }
    expect(surfaceOfHost('vpce-0abc1234-5678.bedrock-mantle.us-east-1.vpce.amazonaws.com')).toBe('mantle');
    expect(surfaceOfHost('bedrock-mantle.us-east-1.api.aws.')).toBe('mantle');
  });

  it('a name with no real region, or under another partition\'s suffix, is custom', () => {
    for (const host of ['bedrock-runtime.s3.amazonaws.com', 'bedrock-runtime.example.amazonaws.com', 'bedrock-runtime.cn-north-1.amazonaws.com', 'bedrock-mantle.execute-api.api.aws', 'bedrock-runtime.us-east-1.example.com']) {
      expect(surfaceOfHost(host), host).toBe('custom');
    }
  });
});

describe('the id and site of an --endpoint target', () => {
  it('an --endpoint with --region is the region on every surface, as before surfaces; all of site <region>', async () => {
    expect(await target(['us-east-1'], { endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com' })).toEqual(['us-east-1', 'runtime', 'us-east-1']);
    expect(await target(['us-east-1'], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws' })).toEqual(['us-east-1', 'mantle', 'us-east-1']);
    expect(await target(['us-east-1'], { endpoint: 'http://127.0.0.1:45190', surface: 'runtime' })).toEqual(['us-east-1', 'runtime', 'us-east-1']);
    // --target-name keeps a runtime endpoint apart from Mantle's, as --region --surface runtime is.
    expect(await target(['us-east-1'], { endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com', targetName: 'runtime.us-east-1' })).toEqual(['runtime.us-east-1', 'runtime', 'us-east-1']);
    expect(await target(['us-east-1'], { surface: 'runtime' })).toEqual(['runtime.us-east-1', 'runtime', 'us-east-1']);
    // A custom endpoint keeps the region as its id, its fixtures' folder as before.
    expect(await target(['us-east-1'], { endpoint: 'http://127.0.0.1:45190' })).toEqual(['us-east-1', 'custom', 'us-east-1']);
  });

  it('without --region a Bedrock host keeps its host as the id, and its site is the region it names', async () => {
    const vpce = 'vpce-0abc1234-5678.bedrock-runtime.us-east-1.vpce.amazonaws.com';
    expect(await target([], { endpoint: `https://${vpce}` })).toEqual([vpce, 'runtime', 'us-east-1']);
    expect(await target([], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws' })).toEqual(['bedrock-mantle.us-east-1.api.aws', 'mantle', 'us-east-1']);
    expect(await target([], { endpoint: 'http://127.0.0.1:45190' })).toEqual(['127.0.0.1_45190', 'custom', '127.0.0.1_45190']);
    expect(await target([], { endpoint: 'https://bedrock-runtime.s3.amazonaws.com' })).toEqual(['bedrock-runtime.s3.amazonaws.com', 'custom', 'bedrock-runtime.s3.amazonaws.com']);
  });

  it('a name whose surface prefix is another surface than the target\'s is refused, naming both and the fix', async () => {
    expect(await refusal([], { endpoint: 'http://127.0.0.1:45190', surface: 'mantle', targetName: 'runtime.local' })).toMatch(/^--target-name: runtime\.local names the runtime surface, but --surface says mantle: .*Nothing was sent\. Give --target-name local .*or --surface runtime/);
    expect(await refusal([], { endpoint: 'https://bedrock-mantle.us-east-1.api.aws', targetName: 'runtime.x' })).toMatch(/^--target-name: runtime\.x names the runtime surface, but the host bedrock-mantle\.us-east-1\.api\.aws is mantle/);
    expect(await refusal(['us-east-1'], { targetName: 'runtime.us-east-1' })).toMatch(/^--target-name: runtime\.us-east-1 names the runtime surface, but without --surface, a --region target is mantle/);
    expect(await refusal([], { targets: 'mantle:runtime.local=http://127.0.0.1:45190' })).toMatch(/^--targets: runtime\.local names the runtime surface, but the entry "mantle:runtime\.local=http:\/\/127\.0\.0\.1:45190" says mantle: .*Name it mantle:local=URL .*or runtime:local=URL/);
    // The prefix that agrees, and a local endpoint's name choosing its surface, are accepted as before.
    expect(await target([], { endpoint: 'http://127.0.0.1:45190', targetName: 'runtime.local' })).toEqual(['runtime.local', 'runtime', 'local']);
    expect(await target([], { endpoint: 'http://127.0.0.1:45190', surface: 'runtime', targetName: 'runtime.local' })).toEqual(['runtime.local', 'runtime', 'local']);
  });
});

describe('live runs of Bedrock host names (through the loopback proxy)', () => {
  const run = (name: string, args: string[]) => cli(['run', '--mode', 'live', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'path-prefix,responses.background,responses.web-search,headers.openai-project', '--report-dir', join(dir, name), '--quiet', ...args], env());
  const matrix = async (name: string) => JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix;

  it('a runtime PrivateLink endpoint is judged as runtime: its documented lacks pass', async () => {
    const result = await run('vpce', ['--endpoint', 'http://vpce-0abc1234-5678.bedrock-runtime.us-east-1.vpce.amazonaws.com']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const m = await matrix('vpce');
    expect(m.targets[0]).toMatchObject({ surface: 'runtime', site: 'us-east-1' });
    expect(m.results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  it('two Bedrock hosts of one region pair in compare --by surface, without --region and with --region and a runtime --target-name', async () => {
    for (const [suffix, mantleExtra, runtimeExtra] of [['', [], []], ['-named', ['--region', 'us-east-1'], ['--region', 'us-east-1', '--target-name', 'runtime.us-east-1']]] as const) {
      expect((await run(`runtime${suffix}`, ['--endpoint', 'http://bedrock-runtime.us-east-1.amazonaws.com', ...runtimeExtra])).code).toBe(0);
      expect((await run(`mantle${suffix}`, ['--endpoint', 'http://bedrock-mantle.us-east-1.api.aws', ...mantleExtra])).code).toBe(0);
      const compare = await cli(['compare', '--by', 'surface', join(dir, `mantle${suffix}`, 'matrix.json'), join(dir, `runtime${suffix}`, 'matrix.json')]);
      expect(compare.code, compare.stdout + compare.stderr).toBe(0);
      expect(compare.stdout).toMatch(/Moving from Mantle .* to bedrock-runtime .*, us-east-1/);
    }
    expect((await matrix('runtime-named')).targets[0]).toMatchObject({ id: 'runtime.us-east-1', surface: 'runtime', site: 'us-east-1', region: 'us-east-1' });
  });

  it('a runtime host with --region keeps the region as its id, so a baseline of before surfaces matches; compare --by surface of it and Mantle\'s says why and the fix', async () => {
    expect((await run('runtime-region', ['--endpoint', 'http://bedrock-runtime.us-east-1.amazonaws.com', '--region', 'us-east-1'])).code).toBe(0);
    expect((await matrix('runtime-region')).targets[0]).toMatchObject({ id: 'us-east-1', surface: 'runtime', site: 'us-east-1', region: 'us-east-1' });
    const again = await run('runtime-region-2', ['--endpoint', 'http://bedrock-runtime.us-east-1.amazonaws.com', '--region', 'us-east-1', '--baseline', join(dir, 'runtime-region', 'matrix.json')]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await run('mantle-region', ['--endpoint', 'http://bedrock-mantle.us-east-1.api.aws', '--region', 'us-east-1'])).code).toBe(0);
    const compare = await cli(['compare', '--by', 'surface', join(dir, 'mantle-region', 'matrix.json'), join(dir, 'runtime-region', 'matrix.json')]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(/target us-east-1 is mantle in .* and runtime in .*: an --endpoint run with --region takes the region as its target id on every surface.*Run the runtime one again with --target-name runtime\.us-east-1 \(or as --region us-east-1 --surface runtime/);
  });

  it('when nothing pairs, the hint names the way for two endpoints of one region', async () => {
    const compare = await cli(['compare', '--by', 'surface', join(dir, 'runtime', 'matrix.json')]);
    expect(compare.code).toBe(1);
    expect(compare.stdout).toContain('two endpoints of one region (Bedrock hosts, a PrivateLink name, a gateway) pair when each run names it: --targets mantle:REGION=URL,runtime:REGION=URL');
  });
});
