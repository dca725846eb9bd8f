/**
 * A recorded answer that stalled (`stalledAfterMs`: the harness stopped waiting for the rest of its body) replays as
 * live and record said it: "the answer stalled", no error code. Replay ran its check for a JSON body cut short over
 * every recorded answer without an error, so the stall's partial body read as HARNESS_STREAM_CUT, "a body cut short,
 * stored as the answer", and the reports' error code changed between live and replay.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli, ROOT } from './helpers/harness.ts';

const FULL = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm1', choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } });
const SUITE = `suite: stall\ndescription: one case\ncases:\n  - id: stall.chat\n    title: A tiny chat completion\n    api: chat-completions\n    request:\n      body:\n        messages:\n          - { role: user, content: Reply with the word OK. }\n        max_tokens: 16\n    checks:\n      - api.chat-completions\n`;
let server: Server;
let url: string;
let dir: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-stall-'));
  await mkdir(join(dir, 'suites'), { recursive: true });
  await writeFile(join(dir, 'suites', 'stall.suite.yaml'), SUITE);
  // 200 with the whole Content-Length, 60 bytes of the body, then silence (the connection stays open).
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/models')) {
        const list = JSON.stringify({ object: 'list', data: [{ id: 'm1', object: 'model', created: 1, owned_by: 'x' }] });
        return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(list) }).end(list);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(FULL) });
      res.write(FULL.slice(0, 60));
      open.add(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  await rm(dir, { recursive: true, force: true });
});

const run = (mode: string, reports: string) =>
  cli(['run', '--mode', mode, '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'm1', '--suites', join(dir, 'suites'), '--catalog', join(ROOT, 'suites', 'models.yaml'), '--fixtures', join(dir, 'fx'), '--idle-timeout', '500', '--timeout', '5000', '--retries', '0', '--checks', 'api.chat-completions', '--report-dir', join(dir, reports), '--plain'], {}, dir);
const cell = async (reports: string) => {
  const matrix = JSON.parse(await readFile(join(dir, reports, 'matrix.json'), 'utf8')) as Matrix;
  return matrix.results.find((r) => r.check === 'api.chat-completions' && !r.notRun)!;
};

describe('a recorded answer that stalled', () => {
  it('replays as live and record said it: stalled, not a body cut short stored as the answer', async () => {
    await run('record', 'rec');
    const recorded = await cell('rec');
    expect(recorded.status).toBe('error');
    expect(recorded.reason).toContain('stalled');
    await run('replay', 'rep');
    const replayed = await cell('rep');
    expect(replayed.status, replayed.reason).toBe('error');
    expect(replayed.reason).toContain('stalled');
    expect(replayed.reason).not.toContain('HARNESS_STREAM_CUT');
    expect(replayed.reason).not.toContain('cut short, stored as the answer');
  }, 60_000);
});
