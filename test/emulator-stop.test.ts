/**
 * The emulator stops on Ctrl-C and on SIGTERM (docker stop, a CI job's end) with exit 0, even while an answer waits
 * out `--latency` or a stream delay: closing cuts those answers short and ends their timers. Before, the process sat
 * with its port closed for up to the delay (ten minutes at most), a second Ctrl-C was exit 130, and SIGTERM killed it.
 */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { packageBin, ROOT } from './helpers/harness.ts';

interface Stopped {
  /** null: it did not exit by itself and was killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `emulator <args>`, sends the request `send` makes once it listens, then `signal` once `inFlight` says so. */
function stopWhileAnswering(args: string[], signal: NodeJS.Signals, send: (url: string) => Promise<unknown>): Promise<Stopped> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [packageBin(), 'emulator', '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (!url || sent) return;
      sent = true;
      void send(url).then(() => child.kill(signal));
    });
    // A process that outlives the signal is the failure: killed after 15 s, it reads as exit null.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code, killedBy) => {
      clearTimeout(timer);
      resolve({ code, signal: killedBy, stdout, stderr });
    });
  });
}

it('Ctrl-C while an answer waits out --latency 600000: exit 0 at once, the request logged as cut short', async () => {
  const started = performance.now();
  const stopped = await stopWhileAnswering(['--latency', '600000'], 'SIGINT', async (url) => {
    fetch(`${url}/v1/models`).then((r) => r.text()).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
  });
  expect(stopped.code, stopped.stderr).toBe(0);
  expect(performance.now() - started).toBeLessThan(12_000);
  expect(stopped.stdout).toMatch(/GET \/v1\/models - -> closed before an answer/);
}, 30_000);

it('SIGTERM while a stream waits out stream.eventDelayMs: exit 0, not a death by signal', async () => {
  const quirk = 'openai.gpt-oss-20b:stream.eventDelayMs=600000';
  const stopped = await stopWhileAnswering(['--quirk', quirk], 'SIGTERM', async (url) => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai.gpt-oss-20b', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    // The first event is out: the stream now waits out its delay.
    const reader = res.body!.getReader();
    await reader.read();
    void reader.read().catch(() => undefined);
  });
  expect(stopped.signal).toBeNull();
  expect(stopped.code, stopped.stderr).toBe(0);
}, 30_000);
