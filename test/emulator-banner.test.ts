/**
 * The emulator's start-up banner gives a run command that, followed as printed, tests the emulator as what it plays:
 * live, on its surface (without --surface a local endpoint is `custom`, and bedrock-runtime's documented differences
 * gate as the endpoint's failures), with no key unless the emulator requires one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emulatorBanner } from '../src/cli/emulator-command.ts';
import { cli, packageBin, ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banner-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `emulator <args>` (the built CLI) and resolves with its banner and a stop function once it listens. */
function startEmulatorProcess(args: string[]): Promise<{ banner: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packageBin(), 'emulator', '--port', '0', '--quiet', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const stop = async () => {
      child.kill('SIGTERM');
      await exited;
    };
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('Ctrl-C to stop')) resolve({ banner: stdout, stop });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${stderr}`)));
  });
}

it('the Mantle banner names --surface mantle; one that requires a key names it instead of --auth none', () => {
  expect(emulatorBanner({ url: 'http://127.0.0.1:4010', address: { address: '127.0.0.1', family: 'IPv4', port: 4010 } }, {})).toContain('mantle-conformance run --mode live --endpoint http://127.0.0.1:4010 --surface mantle --auth none');
  expect(emulatorBanner({ url: 'http://127.0.0.1:4011', address: { address: '127.0.0.1', family: 'IPv4', port: 4011 } }, { surface: 'runtime', apiKeyEnv: 'MY_KEY' })).toContain('--surface runtime --api-key-env MY_KEY)');
});

it('the runtime emulator\'s banner command, run as printed for one model, passes the gate on a runtime target', async () => {
  const { banner, stop } = await startEmulatorProcess(['--surface', 'runtime']);
  try {
    const command = /(mantle-conformance run [^)]*)\)/.exec(banner)?.[1];
    expect(command, banner).toBeDefined();
    const reports = join(dir, 'runtime');
    const ran = await cli([...command!.split(' ').slice(1), '--models', 'xai.grok-4.3', '--report-dir', reports, '--quiet'], {}, dir);
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { targets: { surface?: string }[]; gate: { verdict: string } };
    expect(matrix.targets.map((t) => t.surface)).toEqual(['runtime']);
    expect(matrix.gate.verdict).toBe('pass');
  } finally {
    await stop();
  }
}, 120_000);
