/**
 * A replay's missing or unusable recording gates on its own, whatever --max-errors allows: a PR or a bad merge that
 * deletes or garbles a few recordings used to keep the gate green (they counted as up to 5 accepted errors, and
 * junit.xml skipped them as "not gating"). Every reader says so (console, matrix.json, matrix.md, junit.xml, the
 * vitest view), a matrix.json an older build wrote gates so when `report` reads it, and a live run's errors (even
 * one quoting those codes, endpoint text) still count against --max-errors.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateLine } from '../src/report/gate.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { resultAnswer } from '../src/run/vitest-answers.ts';
import type { CellResult } from '../src/run/cell-result.ts';
import { ROOT, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'openai.gpt-oss-20b';
const GATES = 'gates whatever --max-errors allows (the recordings are at fault, not the endpoint: restore the file, or record it with --mode record); ';
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;
const cell = (matrix: Matrix, check: string) => matrix.results.find((r) => r.model === MODEL && r.check === check)!;

describe('a replay of a fixtures folder with a recording deleted and one garbled', () => {
  let dir: string;
  let run: Awaited<ReturnType<typeof cli>>;
  let matrix: Matrix;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-recording-gate-'));
    const folder = join(dir, 'fixtures', 'emulator', MODEL);
    await cp(join(ROOT, 'fixtures', 'emulator', MODEL), folder, { recursive: true });
    // No stated expectation reads either (catalog nor reference): alone they were 2 of the 5 errors accepted.
    await unlink(join(folder, 'images.chat.json'));
    const compact = await readFile(join(folder, 'responses.compact.json'), 'utf8');
    await writeFile(join(folder, 'responses.compact.json'), `<<<<<<< HEAD\n${compact}=======\n${compact}>>>>>>> theirs\n`);
    run = await cli(['run', '--fixtures', join(dir, 'fixtures'), '--models', MODEL, '--max-errors', '5', '--report-dir', join(dir, 'reports'), '--plain']);
    matrix = await readJson(join(dir, 'reports', 'matrix.json'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 1, each such cell gating in matrix.json with its reason saying why, none counted as an accepted error', () => {
    expect(run.code, run.stderr).toBe(1);
    const missing = cell(matrix, 'images.chat');
    const invalid = cell(matrix, 'api.responses-compact');
    for (const r of [missing, invalid]) {
      expect(r.status).toBe('error');
      expect(r.expectedSource).toBeNull();
      expect(r.gating).toBe(true);
    }
    expect(missing.reason).toMatch(new RegExp(`^HARNESS_RECORDING_MISSING: recording missing: ${escape(GATES)}No recording for model ${escape(MODEL)}, case images\\.chat`));
    expect(invalid.reason).toMatch(new RegExp(`^HARNESS_RECORDING_INVALID: recording unusable: ${escape(GATES)}.*responses\\.compact\\.json has merge-conflict markers`));
    expect(matrix.gate.verdict).toBe('fail');
    expect(matrix.gate.errors.unexpected).toBe(0);
    expect(matrix.gate.gating.map((g) => g.check).sort()).toEqual(['api.responses-compact', 'images.chat', 'images.seen.chat']);
    expect(matrix.gate.problems).toEqual([]);
  });

  it('the console, matrix.md and junit.xml say the same: gating, never skipped as "not gating"', async () => {
    const line = '3 replayed cell(s) whose recording is missing or cannot be used (restore the files, or record them with --mode record)';
    expect(gateLine(matrix.gate)).toBe(`fail (exit 1): ${line}`);
    expect(run.stdout).toContain(`gate: fail (exit 1): ${line}`);
    expect(run.stdout).toContain(`gating: ${MODEL} images.chat (emulator): HARNESS_RECORDING_MISSING: recording missing: gates whatever --max-errors allows`);
    const junit = await readFile(join(dir, 'reports', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/name="images\.chat" time="0">\n {6}<error message="HARNESS_RECORDING_MISSING: recording missing: gates whatever --max-errors allows/);
    expect(junit).toMatch(/name="api\.responses-compact" time="0">\n {6}<error message="HARNESS_RECORDING_INVALID: recording unusable: gates whatever --max-errors allows/);
    expect(junit).not.toContain('error, not gating');
    const md = await readFile(join(dir, 'reports', 'matrix.md'), 'utf8');
    expect(md).toContain(`- ! \`${MODEL}\` \`images.chat\` (emulator): HARNESS_RECORDING_MISSING: recording missing: gates whatever --max-errors allows`);
  });

  it('a matrix.json an older build wrote (those cells not gating, the gate passing) gates when `report` reads it', async () => {
    const strip = (r: MatrixResult): MatrixResult => (r.gating && r.expectedSource === null ? { ...r, gating: false, reason: r.reason.replace(/^(HARNESS_RECORDING_[A-Z]+: )recording \w+: gates [^;]*; /, '$1') } : r);
    const older = { ...matrix, results: matrix.results.map(strip), gate: { ...matrix.gate, exitCode: 0, verdict: 'pass', gating: [], errors: { unexpected: 3, max: 5 } } };
    expect(older.results.filter((r) => r.gating)).toEqual([]);
    const file = join(dir, 'older.json');
    await writeFile(file, JSON.stringify(older));
    const report = await cli(['report', file, '--report-dir', join(dir, 'again')]);
    expect(report.code, report.stderr).toBe(1);
    const again = await readJson(join(dir, 'again', 'matrix.json'));
    expect(cell(again, 'images.chat')).toMatchObject({ gating: true, reason: expect.stringMatching(new RegExp(`^HARNESS_RECORDING_MISSING: recording missing: ${escape(GATES)}No recording`)) });
    expect(again.gate.errors.unexpected).toBe(0);
    // Read back again, the reason is not said twice.
    const twice = await cli(['report', join(dir, 'again', 'matrix.json'), '--report-dir', join(dir, 'twice')]);
    expect(twice.code).toBe(1);
    expect(cell(await readJson(join(dir, 'twice', 'matrix.json')), 'images.chat').reason).toBe(cell(again, 'images.chat').reason);
  });
});

describe('the vitest view of such a cell', () => {
  it('fails its test (gating) with the reason the matrix gives, on a replay target only', () => {
    const reason = 'HARNESS_RECORDING_MISSING: No recording for model xai.grok-4.3, case defaults.chat, request POST /v1/chat/completions: there is no x.json.';
    const evidence = [{ case: 'defaults.chat', step: 'main', request: 'POST /v1/chat/completions', error: 'HARNESS_RECORDING_MISSING' }];
    const pair = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error', observed: null, reason, evidence }], ['xai.grok-4.3']);
    const result: CellResult = {
      target: 'emulator',
      model: 'xai.grok-4.3',
      check: 'defaults.temperature',
      result: { status: 'error', observed: null, expected: null, reason, evidence },
      expectedSource: null,
      usage: { requests: 1, inputTokens: 0, outputTokens: 0, wallMs: 1 },
      provenance: [],
    };
    const answer = resultAnswer(result, pair);
    expect(answer).toMatchObject({ kind: 'result', gating: true });
    expect(answer.kind === 'result' && answer.cell.result.reason).toBe(`HARNESS_RECORDING_MISSING: recording missing: ${GATES}No recording for model xai.grok-4.3, case defaults.chat, request POST /v1/chat/completions: there is no x.json.`);
    expect(pair.gate.verdict).toBe('fail');
  });
});

/** A server of one chat model that answers chat and fails Responses (503) in words that quote a replay's code. */
function halfDownServer(): ReturnType<typeof createServer> {
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: 'acme-chat', object: 'model', created: 1733000000, owned_by: 'acme' }] });
      if (req.method === 'POST' && path.endsWith('/responses')) return send(res, 503, { error: { message: 'HARNESS_RECORDING_MISSING: upstream unavailable', type: 'server_error', param: null, code: null } });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      const body = JSON.parse(raw) as { model?: string };
      if (body.model !== 'acme-chat') return send(res, 404, { error: { message: `model "${String(body.model)}" not found`, type: 'api_error', param: null, code: null } });
      send(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: 'acme-chat', choices: [{ index: 0, message: { role: 'assistant', content: 'OK.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } });
    });
  });
}

describe('a live run', () => {
  let dir: string;
  let server: ReturnType<typeof createServer>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-live-errors-'));
    server = halfDownServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('with 1 error (its words quoting a replay code) still passes under --max-errors 5', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--target-name', 'local', '--models', 'listed', '--checks', 'api.chat-completions,api.responses', '--retries', '0', '--max-errors', '5', '--report-dir', reports, '--quiet']);
    const matrix = await readJson(join(reports, 'matrix.json'));
    const errors = matrix.results.filter((r) => r.status === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.gating).toBe(false);
    expect(JSON.stringify(errors[0]!.evidence)).toContain('HARNESS_RECORDING_MISSING: upstream unavailable');
    expect(matrix.gate).toMatchObject({ verdict: 'pass', exitCode: 0, errors: { unexpected: 1, max: 5 } });
    expect(run.code, run.stderr).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
