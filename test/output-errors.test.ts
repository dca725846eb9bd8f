/**
 * A command whose output cannot be written (`checks --format json > file` on a full disk, a descriptor not open for
 * writing) ended 0 with nothing on stderr: the 'error' listener of bin.ts ended the process on EPIPE only and
 * swallowed every other code. Now one line names the failure and the fix, and the command ends 2; a reader that
 * closes the pipe early is still no error.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFailureLine, watchOutput } from '../src/cli/output-errors.ts';
import { packageBin, ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the built CLI with `stdout` as its standard output; its exit code and stderr. */
function run(args: string[], stdout: number | 'pipe'): Promise<{ code: number | null; stderr: string; child: ReturnType<typeof spawn> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [packageBin(), ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    child.on('close', (code) => resolve({ code, stderr, child }));
  });
}

describe('standard output that cannot be written', () => {
  it.each([[['checks', '--format', 'json']], [['validate']], [['checks']]])('%j: exit 2, one line naming the cause and the fix', async (args) => {
    const path = join(dir, `out-${args.join('-')}.txt`);
    await writeFile(path, '');
    // Open for reading only: every write to it fails (EBADF), as a full disk's (ENOSPC) does.
    const fd = openSync(path, 'r');
    try {
      const { code, stderr } = await run(args, fd);
      expect(code).toBe(2);
      const lines = stderr.split('\n').filter((line) => line.includes('standard output'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^HARNESS_WRITE_FAILED: cannot write the command's output to standard output \(EBADF: [^)]*\); check where standard output goes/);
    } finally {
      closeSync(fd);
    }
  });

  it('a reader that closes the pipe early is no error: exit 0, nothing said', async () => {
    const child = spawn(process.execPath, [packageBin(), 'checks'], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    child.stdout!.once('data', () => child.stdout!.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('a full disk is HARNESS_DISK_FULL, said once, and turns 0 and 1 into 2 (a bug stays 3)', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let said = '';
    err.on('data', (chunk) => (said += String(chunk)));
    const output = watchOutput(out, err);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    out.emit('error', full);
    out.emit('error', full);
    await new Promise((resolve) => setImmediate(resolve));
    expect(said.trim().split('\n')).toEqual([outputFailureLine(full)]);
    expect(said).toMatch(/^HARNESS_DISK_FULL: cannot write the command's output to standard output: no space left on the device \(ENOSPC\); free some space/);
    expect([0, 1, 2, 3].map((code) => output.exitCode(code))).toEqual([2, 2, 2, 3]);
  });

  it('without a failure the exit code is the command\'s', () => {
    const output = watchOutput(new PassThrough(), new PassThrough());
    expect([0, 1, 2, 3].map((code) => output.exitCode(code))).toEqual([0, 1, 2, 3]);
  });
});
