/**
 * `mantle-conformance run --ui` opens the vitest UI on the conformance run: the run happens, the UI answers on
 * loopback, and Ctrl-C or SIGTERM ends the session with the gate's exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, packageBin } from './helpers/harness.ts';

// SIGTERM too (a CI cancel, docker stop): after the run it ends the session as Ctrl-C does; it hung until SIGKILL.
it.each(['SIGINT', 'SIGTERM'] as const)('serves the vitest UI for the run and stops on %s after it', async (signal) => {
  const dir = await mkdtemp(join(tmpdir(), 'ui-'));
  const child = spawn(process.execPath, [packageBin(), 'run', '--ui', '--models', 'xai.grok-4.3', '--report-dir', dir, '--quiet'], { cwd: ROOT, env: { ...process.env } });
  try {
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no UI address in 60 s: ${stderr}`)), 60_000);
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        const match = /vitest UI: (http:\/\/\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(new URL(url).hostname).toBe('localhost');
    const page = await fetch(url).then((r) => r.text());
    expect(page).toContain('<title>Vitest</title>');
    expect((await stat(join(dir, 'matrix.json'))).isFile()).toBe(true);
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
