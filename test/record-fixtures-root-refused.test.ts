/**
 * A record run whose fixtures root is no folder (hostile review rvE, finding 6): ./fixtures (the record default) or
 * the --fixtures path a file, a link to nothing or a path through a file. The run printed where it would record,
 * sent its requests (tokens spent), then made every cell HARNESS_WRITE_FAILED ENOTDIR. Refused now, exit 2, naming
 * the path and the fix, before a request is sent, by the check `fixtures` and `fixtures prune` make of their root.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { ROOT, cli } from './helpers/harness.ts';

const PRECIOUS = 'precious\n';
let dir: string;
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'record-root-refused-')));
  // Any request at all is the failure: the refusal must come before the first one (the preflight GET included).
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

const record = (cwd: string, extra: string[] = []) =>
  cli(['run', '--mode', 'record', '--endpoint', url, '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--report-dir', join(cwd, 'rep'), '--plain', ...extra], {}, cwd);

async function project(name: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  return folder;
}

function expectRefused(run: { code: number; stdout: string; stderr: string }, line: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trim().split('\n'), run.stderr).toEqual([line]);
  expect(run.stderr).not.toContain('recordings: ');
  expect(requests).toBe(0);
}

describe('a record run whose fixtures root is no folder is refused before anything is sent', () => {
  it('./fixtures, the default, a file: named with the fix, and kept', async () => {
    const cwd = await project('default-file');
    await writeFile(join(cwd, 'fixtures'), PRECIOUS);
    const run = await record(cwd);
    expectRefused(run, `HARNESS_USAGE: --fixtures: ${join(cwd, 'fixtures')} is not a folder; move it, or record into another folder with --fixtures DIR`);
    expect(await readFile(join(cwd, 'fixtures'), 'utf8')).toBe(PRECIOUS);
    expect(await readdir(cwd)).toEqual(['fixtures']);
  });

  it('--fixtures naming a file', async () => {
    const cwd = await project('flag-file');
    await writeFile(join(cwd, 'mine.txt'), PRECIOUS);
    const run = await record(cwd, ['--fixtures', 'mine.txt']);
    expectRefused(run, `HARNESS_USAGE: --fixtures: ${join(cwd, 'mine.txt')} is not a folder; give --fixtures a folder to record into (made when missing)`);
    expect(await readFile(join(cwd, 'mine.txt'), 'utf8')).toBe(PRECIOUS);
  });

  it('./fixtures a link to nothing, and --fixtures a path through a file', async () => {
    const cwd = await project('link-and-through');
    await symlink(join(cwd, 'gone'), join(cwd, 'fixtures'));
    expectRefused(await record(cwd), `HARNESS_USAGE: --fixtures: ${join(cwd, 'fixtures')} is a link to nothing (its target does not exist); move it, or record into another folder with --fixtures DIR`);
    await writeFile(join(cwd, 'afile'), PRECIOUS);
    const through = await record(cwd, ['--fixtures', join(cwd, 'afile', 'sub')]);
    expectRefused(through, `HARNESS_USAGE: --fixtures: ${join(cwd, 'afile', 'sub')} cannot be read (ENOTDIR); give --fixtures a folder to record into (made when missing)`);
  });

  it('a root that is not there yet is still taken: the record run makes it', async () => {
    const missing = join(dir, 'not-yet', 'deeper');
    const config = await resolveRunConfig({ mode: 'record', endpoint: url, auth: 'none', fixtures: missing }, ROOT, '0.0.0');
    expect(config.fixturesDir).toBe(missing);
  });
});
