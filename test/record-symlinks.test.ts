/**
 * A record run writes only inside the fixtures folder: a target or model folder in it that is a symbolic link stops
 * the run with exit 2 before anything is recorded, naming the link and the fix, and the files the link points to stay
 * as they were. The fixtures folder itself may be a link (the user named it): recording through it works.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, cli, type CliResult } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';
const PRECIOUS = 'PRECIOUS\n';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-links-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A folder outside the fixtures with a file a record run would write if it followed a link there. */
async function victim(name: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'probe.chat.json'), PRECIOUS);
  return folder;
}

const record = (fixtures: string, name: string): Promise<CliResult> =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 't', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', join(dir, `reports-${name}`), '--quiet']);

describe('a record run and symbolic links in the fixtures folder', () => {
  it('refuses a model folder that is a link, before recording, and leaves what it points to alone', async () => {
    const outside = await victim('victim-model');
    const fixtures = join(dir, 'fx-model');
    await mkdir(join(fixtures, 't'), { recursive: true });
    await symlink(outside, join(fixtures, 't', MODEL));
    const run = await record(fixtures, 'model');
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: ${join(fixtures, 't', MODEL)} is a symbolic link`);
    expect(run.stderr).toMatch(/Replace the link with a real folder/);
    expect(await readFile(join(outside, 'probe.chat.json'), 'utf8')).toBe(PRECIOUS);
    expect(await readdir(outside)).toEqual(['probe.chat.json']);
  }, 60_000);

  it('refuses a target folder that is a link', async () => {
    const outside = await victim('victim-target');
    await mkdir(join(outside, MODEL));
    await writeFile(join(outside, MODEL, 'probe.chat.json'), PRECIOUS);
    const fixtures = join(dir, 'fx-target');
    await mkdir(fixtures);
    await symlink(outside, join(fixtures, 't'));
    const run = await record(fixtures, 'target');
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`${join(fixtures, 't')} is a symbolic link`);
    expect(await readFile(join(outside, MODEL, 'probe.chat.json'), 'utf8')).toBe(PRECIOUS);
  }, 60_000);

  it('records through a fixtures folder that is itself a link: the user named it', async () => {
    const real = join(dir, 'fx-real');
    await mkdir(real);
    const fixtures = join(dir, 'fx-root-link');
    await symlink(real, fixtures);
    const run = await record(fixtures, 'root');
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(join(real, 't', MODEL))).toContain('probe.chat.json');
  }, 60_000);
});

describe('RecordTarget', () => {
  const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' };
  const ok: Exchange = { step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"ok":true}' }] }, error: null, durationMs: 5, attempts: 1 };
  const inner: Target = { id: 'unit', mode: 'live', send: async () => ok, caseFinished: async () => {}, close: async () => {} };
  const target = (fixturesDir: string) => new RecordTarget(inner, { fixturesDir, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);

  it('refuses to write through a model folder that became a link during the run', async () => {
    const outside = await victim('victim-unit');
    const fixtures = join(dir, 'fx-unit');
    await mkdir(join(fixtures, 'unit'), { recursive: true });
    await symlink(outside, join(fixtures, 'unit', 'm'));
    const error = await target(fixtures).caseFinished('m', 'probe.chat', [ok]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_WRITE_FAILED');
    expect((error as HarnessError).message).toMatch(/refusing to write .*: .*unit\/m is a symbolic link/);
    expect(await readFile(join(outside, 'probe.chat.json'), 'utf8')).toBe(PRECIOUS);
  });

  it('writes into real folders as always', async () => {
    const fixtures = join(dir, 'fx-unit-real');
    await target(fixtures).caseFinished('m', 'probe.chat', [ok]);
    expect(await readdir(join(fixtures, 'unit', 'm'))).toEqual(['probe.chat.json']);
  });
});
