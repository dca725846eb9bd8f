/**
 * A record run never replaces a fixture file that is a symbolic link with a regular file of its own: a link among a
 * recorded model's fixtures stops the run with exit 2 before anything is recorded (as a linked target or model folder
 * does), naming the link and the fix, and a link that appears while the run goes is refused at the write
 * (HARNESS_WRITE_FAILED). The link and what it points to stay as they were.
 */
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';
const PRECIOUS = '{"precious":true}\n';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linked-file-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function linkedFixture(name: string, target: string, model: string, file: string): Promise<{ link: string; outside: string }> {
  const outside = join(dir, `${name}-outside.json`);
  await writeFile(outside, PRECIOUS);
  await mkdir(join(dir, name, target, model), { recursive: true });
  const link = join(dir, name, target, model, file);
  await symlink(outside, link);
  return { link, outside };
}

async function unchanged({ link, outside }: { link: string; outside: string }): Promise<void> {
  expect((await lstat(link)).isSymbolicLink()).toBe(true);
  expect(await readlink(link)).toBe(outside);
  expect(await readFile(outside, 'utf8')).toBe(PRECIOUS);
}

describe('a record run and a fixture file that is a symbolic link', () => {
  it('stops before anything is recorded (exit 2), naming the link and the fix', async () => {
    const found = await linkedFixture('fx', 't', MODEL, 'probe.chat.json');
    const run = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 't', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', join(dir, 'fx'), '--report-dir', join(dir, 'reports'), '--quiet']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: ${found.link} is a symbolic link; a record run never writes over a link`);
    expect(run.stderr).toContain('Replace the link with a copy of the file it points to (or remove it), then record again. Nothing was recorded.');
    await unchanged(found);
  }, 60_000);

  it('is refused at the write when it appears while the run goes (HARNESS_WRITE_FAILED)', async () => {
    const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' };
    const ok: Exchange = { step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"ok":true}' }] }, error: null, durationMs: 5, attempts: 1 };
    const inner: Target = { id: 'unit', mode: 'live', send: async () => ok, caseFinished: async () => {}, close: async () => {} };
    const found = await linkedFixture('fx-unit', 'unit', 'm', 'probe.chat.json');
    const target = new RecordTarget(inner, { fixturesDir: join(dir, 'fx-unit'), provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
    const error = await target.caseFinished('m', 'probe.chat', [ok]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_WRITE_FAILED');
    expect((error as HarnessError).message).toContain(`refusing to write ${found.link}: ${found.link} is a symbolic link`);
    await unchanged(found);
    // Another case of the model, no link: written as always.
    await target.caseFinished('m', 'answer.chat', [ok]);
    expect(await readFile(join(dir, 'fx-unit', 'unit', 'm', 'answer.chat.json'), 'utf8')).toContain('"case": "answer.chat"');
  });
});
