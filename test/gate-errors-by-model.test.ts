/**
 * The gate's too-many-errors line names whose cells the errors are (model and target, most first, a few), so a run
 * that fails on errors says which models to look at; the ids are endpoint text, made inert in the line, and the
 * console, matrix.md, junit.xml and the step summary say the same line.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateOf } from '../src/report/gate.ts';
import { markdownText, xmlText } from '../src/report/inert-text.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const CAUSE = 'a run that observed this little cannot pass';

function tooManyErrors(matrix: Pick<Matrix, 'gate'>): string {
  const problem = matrix.gate.problems.find((p) => p.kind === 'too-many-errors');
  expect(problem).toBeDefined();
  return problem!.message;
}

describe('the too-many-errors line', () => {
  it('names the models (with their targets) whose cells are the errors, most first, a few, and counts the rest', () => {
    const evil = 'evil\n::error file=x::pwned\u001b[31m';
    const models = ['a.one', 'b.two', 'c.three', evil, 'e.five'];
    const checks = ['path-prefix', 'created-at.chat', 'defaults.temperature', 'defaults.top_p', 'defaults.seed'];
    // b.two 4 errors, evil 3, a.one 2, c.three 2, e.five 1: 12 in all (each model passes one check at least, so is observed).
    const errorsOf: Record<string, number> = { 'a.one': 2, 'b.two': 4, 'c.three': 2, [evil]: 3, 'e.five': 1 };
    const cells: Partial<MatrixResult>[] = models.flatMap((model) =>
      checks.slice(0, errorsOf[model]).map((check) => ({ model, check, status: 'error' as const, observed: null, expected: null, expectedSource: null, reason: 'HARNESS_TIMEOUT: no answer' })),
    );
    const built = smallMatrix(cells, models, checks);
    const matrix = { ...built, gate: gateOf({ ...built, gate: { ...built.gate, errors: { unexpected: 0, max: 5 } } }) };
    const message = tooManyErrors(matrix);
    expect(message).toBe(
      `12 errors in cells with no stated expectation (at most 5 accepted, --max-errors): b.two (emulator) 4, evil ⏎ :\u200b:error file=x:\u200b:pwned\ufffd (emulator) 3, a.one (emulator) 2, and 2 more model(s); ${CAUSE}`,
    );
    expect(message).not.toMatch(/[\n\u001b]|::error/);
    // Every report says that line (each in its own escaping).
    expect(renderMarkdown(matrix)).toContain(`- **too-many-errors**: ${markdownText(message, 600)}`);
    expect(renderStepSummary(matrix, { runUrl: undefined })).toContain(`- ${markdownText(message, 600)}`);
    expect(renderJunit(matrix)).toContain(`type="too-many-errors">${xmlText(message)}</failure>`);
  });

  it('a long id is cut, so the line still ends with its cause', () => {
    const long = `acme.${'x'.repeat(300)}`;
    const built = smallMatrix(['created-at.chat', 'defaults.temperature'].map((check) => ({ model: long, check, status: 'error' as const, observed: null, expected: null, expectedSource: null, reason: 'HARNESS_TIMEOUT' })), [long, 'qwen.qwen3-32b']);
    const message = tooManyErrors({ gate: gateOf({ ...built, gate: { ...built.gate, errors: { unexpected: 0, max: 1 } } }) });
    expect(message).toMatch(new RegExp(`^2 errors in cells with no stated expectation \\(at most 1 accepted, --max-errors\\): acme\\.x+\\.\\.\\. \\(\\d+ bytes more\\) \\(emulator\\) 2; ${CAUSE}$`));
    expect(Buffer.byteLength(message)).toBeLessThan(400);
  });
});

/** A server of one chat model that answers chat and fails every Responses request (503): errors the gate counts. */
function halfDownServer(): ReturnType<typeof createServer> {
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/v1/models') return send(res, 200, { object: 'list', data: [{ id: 'acme-chat', object: 'model', created: 1733000000, owned_by: 'acme' }] });
      if (req.method === 'POST' && path.endsWith('/responses')) return send(res, 503, { error: { message: 'upstream unavailable', type: 'server_error', param: null, code: null } });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      const body = JSON.parse(raw) as { model?: string; stream?: boolean };
      if (body.model !== 'acme-chat') return send(res, 404, { error: { message: `model "${String(body.model)}" not found`, type: 'api_error', param: null, code: null } });
      const base = { id: 'chatcmpl-1', created: Math.floor(Date.now() / 1000), model: 'acme-chat' };
      const usage = { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 };
      if (!body.stream) return send(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'OK, a short answer.' }, finish_reason: 'stop' }], usage });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: unknown, finish: string | null) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      chunk({ role: 'assistant', content: 'OK, a short answer.' }, null);
      chunk({}, 'stop');
      res.end('data: [DONE]\n\n');
    });
  });
}

describe('a run that fails on errors', () => {
  let dir: string;
  let server: ReturnType<typeof createServer>;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gate-errors-'));
    server = halfDownServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('names the model in the console, matrix.md, junit.xml and the step summary alike', async () => {
    const reports = join(dir, 'reports');
    const summary = join(dir, 'summary.md');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--target-name', 'local', '--models', 'listed', '--retries', '0', '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: summary });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const errors = matrix.results.filter((r) => r.status === 'error' && !r.gating).length;
    expect(errors).toBeGreaterThan(5);
    const message = tooManyErrors(matrix);
    expect(message).toBe(`${errors} errors in cells with no stated expectation (at most 5 accepted, --max-errors): acme-chat (local) ${errors}; ${CAUSE}`);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toContain(`  ${message}`);
    expect(run.stdout).toContain(`gate: fail (exit 1): ${errors} errors (max 5)`);
    expect(await readFile(join(reports, 'matrix.md'), 'utf8')).toContain(`- **too-many-errors**: ${markdownText(message, 600)}`);
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toContain(`type="too-many-errors">${xmlText(message)}</failure>`);
    expect(await readFile(summary, 'utf8')).toContain(`- ${markdownText(message, 600)}`);
  });
});
