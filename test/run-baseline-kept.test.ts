/**
 * `run --baseline F --report-dir D`, where F is one of the reports D holds (by any path: a link, `D/../D/...`), is
 * refused with exit 2 before anything is sent or removed, as `report` refuses it: a run that then stopped (a key
 * missing, an endpoint down) used to remove F with the earlier reports, the only copy of the last run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];

let dir: string;
let passing: string;
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-baseline-baseline-'));
  passing = join(dir, 'passing');
  const run = await cli(['run', MODEL, '--report-dir', passing, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the passing run's reports, and their matrix.json's text. */
async function reportsIn(name: string): Promise<{ folder: string; text: string }> {
  const folder = join(dir, name);
  await cp(passing, folder, { recursive: true });
  return { folder, text: await readFile(join(folder, 'matrix.json'), 'utf8') };
}

const live = (endpoint: string, baseline: string, reportDir: string) =>
  cli(['run', '--mode', 'live', '--endpoint', endpoint, '--models', MODEL, '--baseline', baseline, '--report-dir', reportDir, '--quiet'], { AWS_BEARER_TOKEN_BEDROCK: '' });

describe('run --baseline that is a report of its --report-dir', () => {
  it('is refused before the credentials check: nothing sent, the baseline and the other reports stay', async () => {
    const { folder, text } = await reportsIn('no-key');
    const run = await live(url, join(folder, 'matrix.json'), folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --report-dir .*no-key: it holds the --baseline file .*no-key\/matrix\.json \(as matrix\.json\)/);
    expect(run.stderr).toContain('--baseline last.json');
    expect(run.stderr).not.toContain('HARNESS_AUTH_MISSING');
    expect(requests).toBe(0);
    expect((await readdir(folder)).sort()).toEqual(REPORTS);
    expect(await readFile(join(folder, 'matrix.json'), 'utf8')).toBe(text);
  });

  it('is refused with an endpoint that cannot be reached, named by a link or a path through ..', async () => {
    const { folder, text } = await reportsIn('down');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const link = join(dir, 'link.json');
    await symlink(join(folder, 'matrix.json'), link);
    for (const baseline of [join(folder, 'matrix.json'), link, join(folder, '..', basename(folder), 'matrix.json')]) {
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', down, '--models', MODEL, '--baseline', baseline, '--report-dir', folder]);
      expect(run.code, baseline).toBe(2);
      expect(run.stderr).toMatch(/HARNESS_USAGE: --report-dir .*: it holds the --baseline file/);
      expect(run.stderr).not.toContain('HARNESS_CONNECTION');
      expect((await readdir(folder)).sort()).toEqual(REPORTS);
      expect(await readFile(join(folder, 'matrix.json'), 'utf8')).toBe(text);
    }
  });

  it('a baseline elsewhere is read as before: a run that then stops still removes the earlier renderings, not the baseline', async () => {
    const { folder } = await reportsIn('elsewhere');
    const last = join(dir, 'last.json');
    await cp(join(folder, 'matrix.json'), last);
    const run = await live(url, last, folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HARNESS_AUTH_MISSING');
    expect(await readdir(folder)).toEqual(['matrix.earlier.json']);
    expect(await readFile(last, 'utf8')).toContain('"format"');
  });
});
