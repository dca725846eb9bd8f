/**
 * A FIFO (or a socket, a device) at a recording's path is no recording: replay refuses it as HARNESS_RECORDING_INVALID
 * (as a link), and a record run keeps it and names it, recording nothing for that case. Neither ever opens it in a
 * way that waits for a writer: a run that did hung, deaf to SIGTERM. Run as a child with a short deadline, so that
 * a hang fails the test instead of holding it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEmulator, cliEnv, packageBin } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxf-fifo-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as a child, killed after 20 s (code null then). */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [packageBin(), ...args], { cwd: dir, env: cliEnv({}), timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const record = (fixtures: string, reports: string) => run(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 't', '--models', MODEL, '--checks', 'path-prefix', '--fixtures', fixtures, '--report-dir', reports, '--plain']);

describe('a FIFO at a recording path', () => {
  it('replay refuses it as HARNESS_RECORDING_INVALID without waiting; a record run keeps it, named', async () => {
    const fixtures = join(dir, 'fx');
    expect((await record(fixtures, join(dir, 'r0'))).code).toBe(0);
    const fifo = join(fixtures, 't', MODEL, 'probe.chat.json');
    await unlink(fifo);
    execFileSync('mkfifo', [fifo]);

    const replay = await run(['run', '--fixtures', fixtures, '--target-name', 't', MODEL, '--checks', 'path-prefix', '--report-dir', join(dir, 'r1'), '--plain']);
    expect(replay.code, replay.stderr).toBe(1);
    expect(replay.stdout).toContain('HARNESS_RECORDING_INVALID');
    expect(await readFile(join(dir, 'r1', 'matrix.json'), 'utf8')).toContain('probe.chat.json is not a regular file (a FIFO)');

    const again = await record(fixtures, join(dir, 'r2'));
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/HARNESS_RECORDING_KEPT.*probe\.chat\.json is not a regular file \(a FIFO\)/s);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  }, 60_000);
});
