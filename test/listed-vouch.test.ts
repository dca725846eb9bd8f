/**
 * Review fixes of the listed-id typo rule and of HARNESS_ACCESS_DENIED: a listed id that names the same model (case,
 * a date, an Ollama tag) vouches for the id and is never its "did you mean"; a model list answered with anything but
 * a list or a 404/405 on a prefix was not read whole; an id answered in the name of the very listed id it is a near
 * miss of (an alias) keeps the note; a denied model gets no listed-id guess, and the APIs refused are named when not
 * every API was probed; a record run over a recording of the same denials reads them as replay does; the console
 * gate line keeps its fix.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestListedWords, namesListedModel } from '../src/checks/closest-listed.ts';
import { listedOthers } from '../src/checks/listed-names.ts';
import { modelDenied } from '../src/checks/route.ts';
import type { CaseOutcome, Evidence } from '../src/checks/types.ts';
import { unobservedModels } from '../src/report/observed-models.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const CHECKS = ['path-prefix', 'created-at.chat', 'models.listed'];

/** A model `id` whose two answers came in `echo`'s name, and whose models.listed cell says `reason` over `evidence`. */
function matrixOf(id: string, echo: string, reason: string, evidence: Evidence[] = [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 }], listed: object = {}) {
  return smallMatrix(
    [
      { model: id, check: 'path-prefix', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: echo }] },
      { model: id, check: 'created-at.chat', evidence: [{ case: 'basic.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: echo }] },
      { model: id, check: 'models.listed', status: 'fail', observed: 'not-listed', reason, evidence, ...listed },
    ],
    [id],
    CHECKS,
  );
}
const messages = (matrix: ReturnType<typeof smallMatrix>) => unobservedModels({ ...matrix, models: matrix.models.map((m) => ({ ...m, inCatalog: false })) }).problems.map((p) => p.message);

describe('a listed id that names the same model vouches for the id', () => {
  it('names the same model up to case, a date, :latest and an Ollama tag the asked id lacks; not another size', () => {
    expect(namesListedModel('qwen3-32b', 'Qwen3-32B')).toBe(true);
    expect(namesListedModel('gpt-4o', 'gpt-4o-2024-08-06')).toBe(true);
    expect(namesListedModel('llama3', 'llama3:latest')).toBe(true);
    expect(namesListedModel('qwen2.5', 'qwen2.5:7b')).toBe(true);
    expect(namesListedModel('qwen2.5:14b', 'qwen2.5:7b')).toBe(false);
    expect(namesListedModel('bb', 'b')).toBe(false);
  });

  it('models.listed names the listed id of the same model, never as the closest guess', () => {
    expect(closestListedWords('qwen3-32b', ['Qwen3-32B', 'Qwen3-8B'])).toBe('; the endpoint lists "Qwen3-32B", a name of the same model');
    expect(closestListedWords('gpt-4o', ['gpt-4', 'gpt-4o-2024-08-06'])).toBe('; the endpoint lists "gpt-4o-2024-08-06", a name of the same model');
    expect(closestListedWords('bb', ['a', 'b'])).toBe('; the closest listed id is "b"');
  });

  it('keeps an id the list names in another case, a date or a tag observed (a vLLM served-model-name, an Azure deployment)', () => {
    const others = { listedOthers: listedOthers(['Qwen3-32B', 'Qwen3-8B'], (id) => namesListedModel('qwen3-32b', id)) };
    expect(messages(matrixOf('qwen3-32b', '/models/Qwen3-32B-AWQ', '/v1/models: 2 models; the endpoint lists "Qwen3-32B", a name of the same model', undefined, others))).toEqual([]);
    // A matrix.json written before the cell kept the list's other models (fxh review): whether "/models/Qwen3-32B-AWQ"
    // is another listed model cannot be told, so the same-model id does not vouch; nor the closest guess of one
    // written before models.listed said so.
    expect(messages(matrixOf('qwen3-32b', '/models/Qwen3-32B-AWQ', '/v1/models: 2 models; the endpoint lists "Qwen3-32B", a name of the same model'))).toHaveLength(1);
    expect(messages(matrixOf('qwen3-32b', '/models/Qwen3-32B-AWQ', '/v1/models: 2 models; the closest listed id is "Qwen3-32B"'))).toHaveLength(1);
    expect(messages(matrixOf('llama3', 'azure-llama', '/v1/models: 2 models; the closest listed id is "llama3:latest"'))).toHaveLength(1);
  });

  it('keeps an id answered in the name of the listed id it is a near miss of (an alias) observed; the default model answering a typo still fails', () => {
    expect(messages(matrixOf('gpt4o', 'gpt-4o-2024-08-06', '/v1/models: 2 models; the closest listed id is "gpt-4o"'))).toEqual([]);
    expect(messages(matrixOf('bb', 'a', '/v1/models: 2 models; the closest listed id is "b"'))).toHaveLength(1);
  });
});

describe('a model list is read whole only where every prefix answered a list, a 404 or a 405', () => {
  const on = (status: number) => [
    { case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 },
    { case: 'models.list', step: 'main', request: 'GET /openai/v1/models', status },
  ];
  it('a 401 or 403, or a 2xx with no list, on another prefix leaves it unread: no typo verdict', () => {
    const reason = '/v1/models: 2 models; the closest listed id is "b"';
    expect(messages(matrixOf('bb', 'a', reason, on(403)))).toEqual([]);
    expect(messages(matrixOf('bb', 'a', reason, on(401)))).toEqual([]);
    expect(messages(matrixOf('bb', 'a', reason, on(200)))).toEqual([]);
    expect(messages(matrixOf('bb', 'a', reason, on(404)))).toHaveLength(1);
    expect(messages(matrixOf('bb', 'a', '/v1/models: 2 models; /openai/v1/models: 2 models; the closest listed id is "b"', on(200)))).toHaveLength(1);
  });
});

describe('a model the credentials may not use', () => {
  const exchange = (path: string, status: number, body: unknown): Exchange => ({
    step: 'main',
    prefix: path.startsWith('/openai/') ? '/openai/v1' : '/v1',
    request: { method: 'POST', path, headers: {}, body: JSON.stringify({ model: 'b', messages: [] }) },
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  });
  const denial = { error: { message: 'Your key is not allowed to use model b', type: 'permission_error' } };

  it('names the APIs refused when not every API was probed', () => {
    const chatOnly = modelDenied([{ kind: 'completed', caseId: 'probe.chat', api: 'chat-completions', exchanges: [exchange('/v1/chat/completions', 403, denial)] } as CaseOutcome], 'b');
    expect(chatOnly).toMatch(/no access to this model on chat-completions \(responses, messages, count-tokens not probed\); /);
  });

  it('gets no listed-id "did you mean": the endpoint said the id exists', () => {
    const reason = 'HARNESS_ACCESS_DENIED: every request for b was refused 403: the credentials have no access to this model';
    const matrix = smallMatrix(
      [
        { model: 'b', check: 'path-prefix', status: 'error', observed: null, reason, evidence: [] },
        { model: 'b', check: 'created-at.chat', status: 'error', observed: null, reason, evidence: [] },
        { model: 'b', check: 'models.listed', status: 'fail', observed: 'not-listed', reason: '/v1/models: 2 models; the closest listed id is "bb"', evidence: [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 }] },
      ],
      ['b'],
      CHECKS,
    );
    const [message] = messages(matrix);
    expect(message).toMatch(/nothing observed \(HARNESS_ACCESS_DENIED\)/);
    expect(message).not.toContain('did you mean');
  });
});

describe('a record run over a recording of the same 403 denials', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'listed-vouch-'));
    // API Gateway's answer to every request, a path it does not have included.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' }).end('{"message":"Missing Authentication Token"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wrong`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('reads them as the first record run and replay do (HARNESS_ACCESS_DENIED), and the console gate line keeps its fix', async () => {
    const record = (n: number) =>
      cli(['run', '--mode', 'record', '--fixtures', join(dir, 'fixtures'), '--endpoint', url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--checks', 'api.*,created-at.chat', '--api-key-env', 'LISTED_VOUCH_KEY', '--retries', '0', '--plain', '--report-dir', join(dir, `r${n}`)], { LISTED_VOUCH_KEY: 'listed-vouch-key-0123456789' });
    for (const n of [1, 2]) {
      const r = await record(n);
      expect(r.code).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, `r${n}`, 'matrix.json'), 'utf8')) as { results: { reason: string }[] };
      for (const cell of matrix.results) expect(cell.reason).toMatch(/^HARNESS_ACCESS_DENIED: /);
      expect(r.stdout).not.toMatch(/HARNESS_RECORDING_KEPT|HARNESS_ROUTE_UNKNOWN|could not tell/);
      // The problem line is over 400 bytes: its end, the fix, is there.
      expect(r.stdout).toMatch(/^ {2}openai\.gpt-oss-20b \(.*\): nothing observed \(HARNESS_ACCESS_DENIED\), .*check the --endpoint URL too\)$/m);
    }
  }, 60_000);
});
