/**
 * The folders `run` makes for its reports and history before anything is sent (third review): its writability
 * check made `--report-dir` and `--history` with a plain `mkdir -p`, outside the atomic writer's tracking, so a run
 * that stopped before writing (exit 2 with nothing reachable, Ctrl-C before the run started) left them empty.
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, SOURCE_BIN_ARGS } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const exists = (path: string) => access(path).then(() => true, () => false);
const listen = (server: Server) => new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)));

/** The CLI in a child process (its exit is what removes the folders), from source; resolves with its exit code. */
function runChild(args: string[], whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...SOURCE_BIN_ARGS, ...args], { cwd: dir, env: { ...process.env, GITHUB_STEP_SUMMARY: '', CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<{ code: number | null; output: string }>((done) => child.on('close', (code) => done({ code, output })));
  void whileRunning?.(child);
  return ended;
}

const live = (port: number, name: string) => ['run', '--mode', 'live', '--endpoint', `http://127.0.0.1:${port}`, '--surface', 'mantle', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--report-dir', join(dir, name, 'rep', 'x'), '--history', join(dir, name, 'hist', 'y')];

describe('run removes the folders it made when it stops before writing', () => {
  it('nothing reachable (exit 2): no report or history folder is left', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((done) => closed.close(done));
    const { code, output } = await runChild(live(port, 'down'));
    expect(code, output).toBe(2);
    expect(output).toContain('HARNESS_CONNECTION');
    expect(await exists(join(dir, 'down'))).toBe(false);
    // Only what it made: the folder it found stays.
    expect(await exists(dir)).toBe(true);
  }, 60_000);

  it('Ctrl-C before the run starts (exit 130): none left either', async () => {
    // Takes the connection and never answers: the run waits before its start until the signal.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    const port = await listen(silent);
    try {
      const { code, output } = await runChild(live(port, 'stopped'), async (child) => {
        while (!(await exists(join(dir, 'stopped', 'hist', 'y')))) await new Promise((done) => setTimeout(done, 50));
        await new Promise((done) => setTimeout(done, 300));
        child.kill('SIGINT');
      });
      expect(code, output).toBe(130);
      expect(output).toContain('before the run started');
      expect(await exists(join(dir, 'stopped'))).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  }, 60_000);

  it('a run that writes keeps the folders it made, with its files', async () => {
    const reports = join(dir, 'kept', 'rep', 'x');
    const history = join(dir, 'kept', 'hist', 'y');
    const { code, stdout, stderr } = await cli(['run', '--fixtures', join(ROOT, 'fixtures'), '--models', 'openai.gpt-oss-20b', '--checks', 'created-at.chat', '--quiet', '--report-dir', reports, '--history', history]);
    expect(code, stdout + stderr).toBe(0);
    expect(await readdir(reports)).toContain('matrix.json');
    expect((await readdir(history)).length).toBeGreaterThan(0);
  }, 60_000);
});
