/**
 * A live run waiting for --tpm's token window keeps the process alive: the timer that wakes the waiting requests
 * was unref'd, so a run whose only pending work was that wait emptied the event loop and exited 13, silently, with
 * no reports. Run as a user runs it (the built CLI in a child process): in a test worker the loop never empties.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, cliEnv, packageBin, ROOT } from './helpers/harness.ts';

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'scheduler-tpm-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

it('a run waiting for the token window is still running, not exited with nothing written', async () => {
  // --tpm 1: the first request goes through alone (nothing in the window), every next one waits a minute for it.
  const args = ['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--models', 'qwen.qwen3-32b', '--checks', 'api.*', '--tpm', '1', '--concurrency', '1', '--report-dir', join(dir, 'reports'), '--quiet'];
  const child = spawn(process.execPath, [packageBin(), ...args], { cwd: ROOT, env: cliEnv({}), stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await sleep(3_000);
    expect(child.exitCode, 'the run exited while requests waited for the token window').toBeNull();
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}, 30_000);
