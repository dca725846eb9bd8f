/**
 * An id the endpoint's own model list, read whole in the same run, does not name, answered (mostly) in another
 * model's name, observed nothing: a typo (`bb` for `b`) that a gateway routes to its default model is no pass of
 * `bb`, on a custom gateway where no id is a catalog id as well. "Did you mean" draws on the listed ids too. A listed
 * id, an id whose list the run did not read whole, and one that is no near miss of a listed id (an alias, a
 * deployment name), keep today's verdicts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unobservedModels } from '../src/report/observed-models.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const LISTED = ['a', 'b'];

/**
 * A gateway in front of a vLLM-like server: lists `a` and `b` on /v1/models (none on /openai/v1), answers chat on
 * /v1 only, and (`route`) forwards an id it does not list to its first model, or (`not-found`) answers vLLM's 404.
 */
function gateway(mode: 'route' | 'not-found'): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, { error: { message: 'Invalid proxy server token passed.', type: 'auth_error', code: '401' } });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/v1/models') return send(200, { object: 'list', data: LISTED.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'vllm' })) });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') return send(404, { detail: 'Not Found' });
      const body = JSON.parse(Buffer.concat(parts).toString() || '{}') as { model?: string };
      let model = String(body.model);
      if (!LISTED.includes(model)) {
        if (mode === 'not-found') return send(404, { object: 'error', message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', param: null, code: 404 });
        model = LISTED[0]!;
      }
      send(200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1796527092,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'OK. A short answer.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('an id the endpoint does not list, against a gateway', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unlisted-id-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });
  async function run(mode: 'route' | 'not-found', models: string, name: string) {
    const { url, server } = await gateway(mode);
    servers.push(server);
    const reports = join(dir, name);
    const summary = join(dir, `${name}-summary.md`);
    const result = await cli(['run', '--mode', 'live', '--endpoint', url, '--api-key-env', 'GWKEY', '--models', models, '--checks', 'api.*,models.listed', '--report-dir', reports, '--retries', '0', '--plain'], { GWKEY: KEY, GITHUB_STEP_SUMMARY: summary });
    const read = (file: string) => readFile(join(reports, file), 'utf8');
    return { ...result, json: JSON.parse(await read('matrix.json')), md: await read('matrix.md'), junit: await read('junit.xml'), summary: await readFile(summary, 'utf8') };
  }

  it('fails the gate on a typo a gateway answers with its default model, whose list (read whole, --models listed) does not name it, and every report says so', async () => {
    const r = await run('route', 'listed,bb', 'listed');
    expect(r.code).toBe(1);
    const line = /bb \(127\.0\.0\.1_\d+\): nothing of it observed, 1 of 1 answers came from another model \("a"\), and the endpoint's model list, read whole, does not name it: is the id right\?; "bb" is not in the catalog: did you mean "b" \(listed by the endpoint\)\?/;
    expect(r.stdout).toMatch(line);
    expect(r.stdout).toMatch(/gate: fail \(exit 1\): 1 model\(s\) with nothing observed/);
    // Not excused as an alias any more: the note is for models the gate observed.
    expect(r.stdout).not.toMatch(/note: bb/);
    expect(r.json.gate.verdict).toBe('fail');
    expect(r.json.gate.problems.map((p: { model: string; kind: string }) => `${p.kind} ${p.model}`)).toEqual(['unobserved-model bb']);
    expect(r.md).toMatch(/\*\*unobserved-model\*\*: bb .*did you mean "b" \\?\(listed by the endpoint\\?\)/);
    expect(r.junit).toContain('name="unobserved-model: bb (');
    expect(r.summary).toMatch(/bb .*nothing of it observed.*did you mean "b" \\?\(listed by the endpoint\\?\)/);
    expect(r.summary).not.toMatch(/bb \(127[^\n]*another model's name/);
    // The listed models themselves are observed.
    expect(r.json.gate.problems.some((p: { model: string }) => p.model === 'a' || p.model === 'b')).toBe(false);
  });

  it('fails the gate the same way with a model list read by models.listed alone (--models a,bb)', async () => {
    const r = await run('route', 'a,bb', 'named');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bb \(127\.0\.0\.1_\d+\): nothing of it observed, .*does not name it: is the id right\?; "bb" is not in the catalog: did you mean "b" \(listed by the endpoint\)\?/);
    const listed = r.json.results.find((c: { model: string; check: string }) => c.model === 'bb' && c.check === 'models.listed');
    expect(listed.observed).toBe('not-listed');
    expect(listed.reason).toContain('; the closest listed id is "b"');
  });

  it('suggests a listed id for a typo the endpoint says does not exist', async () => {
    const r = await run('not-found', 'bb', 'not-found');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bb \(127\.0\.0\.1_\d+\): nothing observed, .*HARNESS_MODEL_NOT_FOUND.*; "bb" is not in the catalog: did you mean "b" \(listed by the endpoint\)\?/);
  });

  it('keeps a listed id observed: its list names it', async () => {
    const r = await run('route', 'listed,b', 'listed-b');
    expect(r.code).toBe(0);
    expect(r.json.gate.problems).toEqual([]);
  });
});

describe('the gate reads the endpoint list only where the run read it whole', () => {
  const CHECKS = ['path-prefix', 'created-at.chat', 'models.listed'];
  const answers = (reason: string, extra: object = {}) =>
    smallMatrix(
      [
        { model: 'bb', check: 'path-prefix', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: 'a' }] },
        { model: 'bb', check: 'created-at.chat', evidence: [{ case: 'basic.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: 'a' }] },
        { model: 'bb', check: 'models.listed', status: 'fail', observed: 'not-listed', reason, evidence: [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 }], ...extra },
      ],
      ['bb'],
      CHECKS,
    );
  const messages = (matrix: ReturnType<typeof smallMatrix>) => unobservedModels({ ...matrix, models: matrix.models.map((m) => ({ ...m, inCatalog: false })) }).problems.map((p) => p.message);

  it('an unlisted id answered by another model is not observed', () => {
    expect(messages(answers('/v1/models: 2 models; the closest listed id is "b"'))).toEqual([
      'bb (emulator): nothing of it observed, 2 of 2 answers came from another model ("a"), and the endpoint\'s model list, read whole, does not name it: is the id right?; "bb" is not in the catalog: did you mean "b" (listed by the endpoint)? (an endpoint may answer an id it does not know with its default model)',
    ]);
  });

  it('a list not read (the cell an error), or one whose other prefix failed, leaves an id with no near miss of a catalog id as it was', () => {
    expect(messages(answers('could not read a model list', { status: 'error', observed: null }))).toEqual([]);
    const failed = answers('/v1/models: 2 models', { evidence: [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 }, { case: 'models.list', step: 'main', request: 'GET /openai/v1/models', status: 503 }] });
    expect(messages(failed)).toEqual([]);
  });

  it('an unlisted id that is no near miss of a listed one (an alias, a deployment name) keeps the note, not a gate problem', () => {
    expect(messages(answers('/v1/models: 2 models'))).toEqual([]);
  });

  it('reads back only an acceptable model id from a reason', () => {
    expect(messages(answers('/v1/models: 2 models; the closest listed id is "b c"'))).toEqual([]);
  });
});
