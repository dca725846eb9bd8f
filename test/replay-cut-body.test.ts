/**
 * A recording that holds a JSON body cut short (a strict prefix of a JSON object, its framing whole) replays as live
 * reads the same bytes: HARNESS_STREAM_CUT, `error` in every check that reads it, with a reason that says the recording
 * holds the cut body and to record it again. Before, a first record run of an older harness stored such bodies as the
 * endpoint's answer, and replay judged them: `sdk.openai.chat` "throws", `sdk.strict.chat` "breaks" (fail), where
 * live said `error` for every check.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'deepseek.v3.2';
let dir: string;

interface RecordedExchange {
  request: { method: string; path: string };
  response: { status: number; headers: Record<string, string>; json?: unknown; text?: string } | null;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-cut-'));
  const folder = join(dir, 'fixtures', 'emulator', MODEL);
  await cp(join(ROOT, 'fixtures', 'emulator', MODEL), folder, { recursive: true });
  // Every 200 chat completion that is not a stream, stored as the first half of its JSON text (as an older record
  // run stored a body cut on the way), with a Content-Length that matches the cut.
  for (const name of await readdir(folder)) {
    const file = join(folder, name);
    const fixture = JSON.parse(await readFile(file, 'utf8')) as { exchanges: RecordedExchange[] };
    let changed = false;
    for (const exchange of fixture.exchanges) {
      const response = exchange.response;
      if (!response || response.status !== 200 || response.json === undefined || !exchange.request.path.endsWith('/chat/completions')) continue;
      const whole = JSON.stringify(response.json);
      const text = whole.slice(0, Math.floor(whole.length / 2));
      delete response.json;
      response.text = text;
      response.headers['content-length'] = String(Buffer.byteLength(text));
      changed = true;
    }
    if (changed) await writeFile(file, JSON.stringify(fixture, null, 1));
  }
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a recorded JSON body cut short', () => {
  it('is error in every check that reads it, never a fail or a pass, and the reason says the recording holds it', async () => {
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--fixtures', join(dir, 'fixtures'), '--targets', 'mantle:emulator', '--models', MODEL, '--checks', 'api.chat-completions,sdk.*', '--report-dir', reports, '--plain']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const chat = matrix.results.filter((r) => r.check === 'api.chat-completions' || r.check.endsWith('.chat'));
    expect(chat.map((r) => r.check)).toEqual(expect.arrayContaining(['api.chat-completions', 'sdk.openai.chat', 'sdk.strict.chat']));
    for (const cell of chat) {
      expect(cell.status, `${cell.check}: ${cell.reason}`).toBe('error');
      expect(cell.reason, cell.check).toContain('HARNESS_STREAM_CUT');
      expect(cell.reason, cell.check).not.toMatch(/SyntaxError|Unterminated/);
      // The probes' summary names each route's code; a check that read the body says what the recording holds.
      if (cell.check.startsWith('sdk.')) {
        expect(cell.reason, cell.check).toContain('holds a body cut short');
        expect(cell.reason, cell.check).toContain('record the case again with --mode record');
      }
    }
    expect(matrix.results.some((r) => r.status === 'fail'), JSON.stringify(matrix.results.filter((r) => r.status === 'fail').map((r) => [r.check, r.reason]))).toBe(false);
    expect(run.code, run.stderr).toBe(1);
  }, 120_000);
});
