/**
 * A model the credentials have no access to (Mantle's 403 AccessDenied, a gateway's key scoped to other models) is
 * said as such: every probe refused with a 403 that denies access makes every cell of the model `error`
 * HARNESS_ACCESS_DENIED, not HARNESS_ROUTE_UNKNOWN "could not tell whether ... serves", and the gate line quotes the
 * endpoint's words (short, redacted, inert) with the fix. Verdicts and the exit code stay what they were.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelDenied } from '../src/checks/route.ts';
import type { CaseOutcome } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli } from './helpers/harness.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const MANTLE_DENIAL = { error: { code: 'access_denied', message: "You don't have access to the model with the specified model ID.", param: null, type: 'permission_denied_error' } };
/** A gateway's denial that echoes the key and carries a terminal escape and a workflow command: endpoint text. */
const ECHOING_DENIAL = (model: string) => ({ error: { message: `\u001b[31m::error::Your key ${KEY} is not allowed to use model ${model}`, code: 403 } });

/**
 * Lists `listed`; a model in `allowed` gets a chat answer on /v1 (a 404 elsewhere), any other the 403 `denial` on
 * every route that reads a model (`anthropic: 404`: a gateway with no /anthropic routes answers them 404).
 */
function gateway(listed: string[], allowed: string[], denial: (model: string) => unknown, anthropic: 'deny' | 404): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, { error: { message: 'Invalid proxy server token passed.', type: 'auth_error', code: '401' } });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path.endsWith('/models')) return path === '/v1/models' ? send(200, { object: 'list', data: listed.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'x' })) }) : send(404, { detail: 'Not Found' });
      const body = JSON.parse(Buffer.concat(parts).toString() || '{}') as { model?: string };
      const model = String(body.model);
      if (anthropic === 404 && path.startsWith('/anthropic/')) return send(404, { detail: 'Not Found' });
      if (body.model !== undefined && !allowed.includes(model)) return send(403, denial(model), { 'x-amzn-errortype': 'AccessDeniedException' });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') return send(404, { detail: 'Not Found' });
      send(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1796527092, model, choices: [{ index: 0, message: { role: 'assistant', content: 'OK.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('a model the credentials have no access to', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'access-denied-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });
  async function run(name: string, gw: Awaited<ReturnType<typeof gateway>>, args: string[]) {
    servers.push(gw.server);
    const reports = join(dir, name);
    const summary = join(dir, `${name}-summary.md`);
    const result = await cli(['run', '--mode', 'live', '--endpoint', gw.url, '--api-key-env', 'GWKEY', '--report-dir', reports, '--retries', '0', '--plain', ...args], { GWKEY: KEY, GITHUB_STEP_SUMMARY: summary });
    const read = (file: string) => readFile(join(reports, file), 'utf8');
    return { ...result, json: JSON.parse(await read('matrix.json')), md: await read('matrix.md'), junit: await read('junit.xml'), summary: await readFile(summary, 'utf8') };
  }

  it("says Mantle's 403 AccessDenied on every probe is denied access, with the fix, in every report; cells stay errors, exit 1", async () => {
    const models = ['openai.gpt-oss-20b', 'qwen.qwen3-32b'];
    const r = await run('mantle', await gateway(models, [], () => MANTLE_DENIAL, 'deny'), ['--surface', 'mantle', '--models', 'listed', '--checks', 'api.*,path-prefix,created-at.chat,stream.chat-completions,models.listed']);
    expect(r.code).toBe(1);
    for (const model of models) {
      const line = `${model} (${r.json.targets[0].id}): nothing observed (HARNESS_ACCESS_DENIED), every request for ${model} was refused 403 ("You don't have access to the model with the specified model ID."): the credentials have no access to this model; request access to it or use credentials that have it, or leave it out of --models`;
      expect(r.stdout).toContain(line);
      expect(r.json.gate.problems).toContainEqual({ kind: 'unobserved-model', target: r.json.targets[0].id, model, message: line });
    }
    // Every cell that needs the model is an error naming the denial, none a pass or a fail; no report says "could not tell".
    const cells = r.json.results.filter((c: { check: string }) => c.check !== 'models.listed');
    expect(new Set(cells.map((c: { status: string }) => c.status))).toEqual(new Set(['error']));
    for (const c of cells) expect(c.reason).toMatch(/HARNESS_ACCESS_DENIED: every request for/);
    for (const text of [r.stdout, r.md, r.junit, r.summary]) {
      expect(text).not.toContain('HARNESS_ROUTE_UNKNOWN');
      expect(text).not.toContain('could not tell whether');
    }
    expect(r.md).toMatch(/\*\*unobserved-model\*\*: openai\.gpt-oss-20b .*nothing observed \(HARNESS\\?_ACCESS\\?_DENIED\).*the credentials have no access to this model/);
    expect(r.summary).toMatch(/openai\.gpt-oss-20b .*the credentials have no access to this model/);
    expect(r.junit).toContain('name="unobserved-model: openai.gpt-oss-20b (');
  });

  it("says a gateway's 403 for a model its key may not use, where its other routes are 404s, redacted and inert; the allowed model is observed", async () => {
    const r = await run('scoped', await gateway(['a', 'b'], ['a'], ECHOING_DENIAL, 404), ['--models', 'listed', '--checks', 'api.*,path-prefix,created-at.chat,models.listed']);
    expect(r.code).toBe(1);
    expect(r.json.gate.problems.map((p: { model: string }) => p.model)).toEqual(['b']);
    const [problem] = r.json.gate.problems;
    expect(problem.message).toMatch(/^b \(127\.0\.0\.1_\d+\): nothing observed \(HARNESS_ACCESS_DENIED\), every request for b was refused 403 \(".*is not allowed to use model b"\) on \d+ of \d+ probe requests, the rest route errors: the credentials have no access to this model/);
    const all = [r.stdout, r.stderr, r.md, r.junit, r.summary, JSON.stringify(r.json)].join('\n');
    expect(all).not.toContain(KEY);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.summary).not.toMatch(/::error::/);
  });
});

describe('modelDenied', () => {
  const exchange = (path: string, status: number, body: unknown): Exchange => ({
    step: 'main',
    prefix: path.startsWith('/openai/') ? '/openai/v1' : '/v1',
    request: { method: 'POST', path, headers: {}, body: JSON.stringify({ model: 'm', messages: [] }) },
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  });
  const completed = (...exchanges: Exchange[]): CaseOutcome => ({ kind: 'completed', caseId: 'probe.chat', api: 'chat-completions', exchanges }) as CaseOutcome;

  it('needs every probe answered, a denial among them, and nothing else but route errors', () => {
    const denied = exchange('/v1/chat/completions', 403, MANTLE_DENIAL);
    expect(modelDenied([completed(denied)], 'm')).toMatch(/^every request for m was refused 403 \("You don't have access/);
    // A probe that broke (a timeout) may be of the API that serves the model.
    expect(modelDenied([completed(denied), { kind: 'error', caseId: 'probe.responses', api: 'responses', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 't' } }], 'm')).toBeUndefined();
    // An answer that served it, or a 400 about the request (served, this request refused), is no denial of the model.
    expect(modelDenied([completed(denied, exchange('/openai/v1/chat/completions', 400, { error: { message: 'bad temperature' } }))], 'm')).toBeUndefined();
    // A 403 about the credentials' signature stops the run elsewhere; it is not "no access to this model".
    expect(modelDenied([completed(exchange('/v1/chat/completions', 403, { message: 'The security token included in the request is invalid.' }))], 'm')).toBeUndefined();
  });

  it('API Gateway\'s "Missing Authentication Token" (a path it does not have, too) names the --endpoint URL as well', () => {
    const gateway = modelDenied([completed(exchange('/v1/chat/completions', 403, { message: 'Missing Authentication Token' }))], 'm');
    expect(gateway).toMatch(/refused 403 \("Missing Authentication Token"\).*check the --endpoint URL too\)$/);
    expect(modelDenied([completed(exchange('/v1/chat/completions', 403, MANTLE_DENIAL))], 'm')).not.toMatch(/--endpoint/);
  });
});
