/**
 * `mantle-conformance run --ui` opens the vitest UI on the conformance run: the run happens, the UI answers on
 * loopback, and Ctrl-C or SIGTERM ends the session with the gate's exit code.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, packageBin } from './helpers/harness.ts';
import { freePort, uiRerun } from './helpers/vitest-ui.ts';

/** A `run --ui` child: its stderr so far, a wait for a line matching `pattern` (60 s), and its exit code. */
function uiSession(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [packageBin(), 'run', '--ui', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const said = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not said in 60 s: ${pattern}: ${stderr}`)), 60_000);
      const look = () => {
        const match = pattern.exec(stderr);
        if (!match) return;
        clearTimeout(timer);
        child.stderr.off('data', look);
        resolve(match);
      };
      child.stderr.on('data', look);
      look();
    });
  return { child, stderr: () => stderr, said, exited };
}

// SIGTERM too (a CI cancel, docker stop): after the run it ends the session as Ctrl-C does; it hung until SIGKILL.
it.each(['SIGINT', 'SIGTERM'] as const)('serves the vitest UI for the run and stops on %s after it', async (signal) => {
  const dir = await mkdtemp(join(tmpdir(), 'ui-'));
  const session = uiSession(['--models', 'xai.grok-4.3', '--report-dir', dir, '--quiet']);
  const child = session.child;
  try {
    const url = (await session.said(/vitest UI: (http:\/\/\S+)/))[1]!;
    expect(new URL(url).hostname).toBe('localhost');
    // The address is said when the UI starts; the reports once the run has ended.
    await session.said(/the UI stays open/);
    const page = await fetch(url).then((r) => r.text());
    expect(page).toContain('<title>Vitest</title>');
    expect((await stat(join(dir, 'matrix.json'))).isFile()).toBe(true);
    child.kill(signal);
    expect(await session.exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

// A re-run of one model's file (the UI's "run" button) wrote a matrix of that model
// over the whole run's reports, its other cells "not run" with no filter: report and compare refused it.
it('a re-run of some model files keeps the whole run\'s reports, and says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ui-rerun-'));
  const reports = join(dir, 'reports');
  const port = await freePort();
  const session = uiSession(['qwen.qwen3-32b', 'openai.gpt-oss-20b', '-t', 'path-prefix', '--report-dir', reports, '--quiet', '--', `--api.port=${port}`], { TMPDIR: dir, BROWSER: 'none' });
  const { child, said } = session;
  try {
    await said(/the UI stays open/);
    // The verdict is said when the run ends, not only once Ctrl-C ends the session.
    expect(session.stderr()).toMatch(/^gate: pass \(exit 0\) \(the UI stays open; Ctrl-C ends the session with this exit code\)$/m);
    const whole = await readFile(join(reports, 'matrix.json'), 'utf8');
    expect((JSON.parse(whole) as Matrix).results.filter((r) => !r.notRun).map((r) => r.model).sort()).toEqual(['openai.gpt-oss-20b', 'openai.gpt-oss-20b', 'qwen.qwen3-32b', 'qwen.qwen3-32b']);
    // The spec files live in the run's own folder under TMPDIR: the UI's re-run button re-runs one (a file changed re-runs nothing).
    const specDir = (await readdir(dir)).find((name) => name.startsWith('mantle-conformance-specs-'))!;
    const target = (await readdir(join(dir, specDir), { withFileTypes: true })).find((e) => e.isDirectory())!.name;
    await uiRerun(port, [join(dir, specDir, target, (await readdir(join(dir, specDir, target)))[0]!)]);
    await said(/note: vitest re-ran 1 of 4 model file\(s\): shown in the UI only; the reports, the history and the gate keep the last whole run/);
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toBe(whole);
    child.kill('SIGINT');
    expect(await session.exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

// Review of the UI gate line: a run stopped by a rejected key said "gate: fail (exit 1) ... with this exit code",
// and the session then exited 2.
it('a run stopped by a rejected key says so, and the exit 2 the session ends with', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ui-fatal-'));
  const server = createServer((req, res) => {
    req.resume();
    if (req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
    else res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Invalid API key","type":"invalid_request_error"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const session = uiSession(['--mode', 'live', '--endpoint', url, '--models', 'xai.grok-4.3', '--checks', 'path-prefix', '--retries', '0', '--report-dir', join(dir, 'r'), '--quiet'], {
    TMPDIR: dir,
    BROWSER: 'none',
    AWS_BEARER_TOKEN_BEDROCK: 'ui-fatal-key-0123456789',
  });
  const child = session.child;
  try {
    await session.said(/the UI stays open/);
    const stderr = session.stderr();
    expect(stderr).toMatch(/^the run stopped: .*\(the UI stays open; Ctrl-C ends the session with exit 2\)$/m);
    expect(stderr).not.toMatch(/^gate: /m);
    child.kill('SIGINT');
    expect(await session.exited).toBe(2);
  } finally {
    child.kill('SIGKILL');
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
