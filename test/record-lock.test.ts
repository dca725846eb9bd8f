/**
 * One record run per target folder: a run takes `<fixtures>/<target>/.record-lock` before anything is sent and
 * removes it when it ends. A second run while one holds it refuses (exit 2), naming the lock and the pid, and writes
 * nothing; a lock left by a run that is gone is taken over with a warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thisPidSpace } from '../src/pid-mark.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxf-lock-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const record = (fixtures: string) =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 't', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', join(fixtures, '..', 'reports'), '--quiet']);

// Of this pid namespace and boot (pid-mark.ts): a mark that does not say them is never taken as gone.
const lockText = (pid: number) => `${JSON.stringify({ pid, host: hostname(), startedAt: '2026-12-06T10:00:00.000Z', ...thisPidSpace() })}\n`;

describe('record runs into one target folder', () => {
  it('a run while another holds the lock refuses, naming the lock and its pid, and records nothing', async () => {
    const fixtures = join(dir, 'held', 'fx');
    await mkdir(join(fixtures, 't'), { recursive: true });
    const lock = join(fixtures, 't', '.record-lock');
    // The test runner's parent: a process that is running.
    await writeFile(lock, lockText(process.ppid));
    const run = await record(fixtures);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: another record run (pid ${process.ppid} on host`);
    expect(run.stderr).toContain(`(its lock: ${lock})`);
    expect(run.stderr).toContain('Wait for it to end, or record under another --target-name');
    expect(await readdir(join(fixtures, 't'))).toEqual(['.record-lock']);
    expect(await readFile(lock, 'utf8')).toBe(lockText(process.ppid));
  }, 60_000);

  it('a lock left by a run that is gone is taken over with a warning; the run records and removes it at the end', async () => {
    const fixtures = join(dir, 'stale', 'fx');
    await mkdir(join(fixtures, 't'), { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(fixtures, 't', '.record-lock'), lockText(gone));
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: --fixtures: took over ${join(fixtures, 't', '.record-lock')}, left by a record run that is gone (pid ${gone} on host`);
    expect(await readdir(join(fixtures, 't'))).toEqual([MODEL]);
  }, 60_000);

  it('a run leaves no lock, and no folder it made for one when it recorded nothing', async () => {
    const fixtures = join(dir, 'clean', 'fx');
    const run = await record(fixtures);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(fixtures, 't', '.record-lock'))).toBe(false);
    // A filter that selects nothing of this model: nothing is sent or written, and the folder the lock made goes.
    const none = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 'u', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', join(dir, 'clean', 'reports2'), '--quiet', 'no-such-model']);
    expect(existsSync(join(fixtures, 'u')), none.stderr).toBe(false);
  }, 60_000);
});
