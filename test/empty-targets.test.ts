/**
 * An empty item in `--targets` is refused as `listFlag` refuses one in `--models`, `--checks` and `--region` (second
 * review of the CI path: `--targets "mantle:emu=http://127.0.0.1:4700,$UNSET"` ran the one target with exit 0, in
 * `run` and in `catalog diff`: the target the variable stood for was never observed, and nothing said so). Exit 2
 * naming --targets before anything is sent; a URL's query (where a credential may sit) is not quoted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-targets-'));
  // An endpoint that counts what reaches it: a refused flag sends nothing.
  server = createServer((req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('run --targets with an empty item', () => {
  it.each([',', ',,', ', '])('live, a URL target then %j: exit 2 naming --targets, nothing sent, its query not quoted', async (tail) => {
    const run = await cli(['run', '--mode', 'live', '--targets', `mantle:emu=${url}/?api-key=s3cret${tail}`, '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--quiet', '--report-dir', join(dir, 'live')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --targets: an empty item among "mantle:emu=${url}/" (its query left out), ""`);
    expect(run.stderr).not.toContain('s3cret');
    expect(requests).toBe(0);
  });

  it('replay, an empty item first: exit 2', async () => {
    const run = await cli(['run', '--targets', ',mantle:emulator', '--models', 'openai.gpt-oss-20b', '--quiet', '--report-dir', join(dir, 'replay')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --targets: an empty item among "", "mantle:emulator"');
  });
});

describe('catalog diff', () => {
  it('--targets with an empty item: exit 2 naming --targets', async () => {
    const run = await cli(['catalog', 'diff', '--mode', 'replay', '--targets', 'mantle:emulator,']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --targets: an empty item among "mantle:emulator", ""');
  });

  it('--target "" (a variable that expanded to nothing): exit 2 naming --target, not every recorded target', async () => {
    const run = await cli(['catalog', 'diff', '--mode', 'replay', '--target', '']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --target: give at least one surface:region');
    expect(run.stdout).toBe('');
  });

  it('the targets without an empty item still diff', async () => {
    const run = await cli(['catalog', 'diff', '--mode', 'replay', '--targets', 'mantle:emulator']);
    expect(run.stderr).not.toContain('HARNESS_USAGE');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('emulator (mantle');
  });
});
