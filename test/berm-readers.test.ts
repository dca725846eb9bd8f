/**
 * Mantle's 401 "Berm is not enabled for this account" on every route an API was asked on is the account's answer,
 * not the route's (transport/not-enabled.ts): api.* read it "could not tell" (`error`), and so must every check that
 * reads the same answers: created-at.*, defaults.*, sdk.*, reasoning.default-effort (never n/a, "the model does not
 * serve this API") and errors.wrong-route (never a pass on the Berm 401s as wrong-route envelopes), though another
 * route (/anthropic, a 404) answered otherwise. Berm on one route while the other refused the model in its own words
 * stays a wrong route: n/a and a judged envelope, as before. A node:http mimic on 127.0.0.1 port 0, the CLI in process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const MODEL = 'openai.gpt-oss-20b';
const BERM = JSON.stringify({ error: { code: 'access_denied', message: 'Berm is not enabled for this account', param: null, type: 'permission_denied_error' } });
const NOT_FOUND = JSON.stringify({ error: { code: 'model_not_found', message: `model ${MODEL} isn't supported on this route`, param: null, type: 'invalid_request_error' } });
const ANTHROPIC_404 = JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'model not found' } });

/** `every`: Berm on every /v1 and /openai/v1 POST; `v1`: Berm on /v1 only, /openai/v1 a 400 route error. /anthropic 404s. */
function mimic(mode: 'every' | 'v1'): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const json = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (req.method === 'GET' && path.endsWith('/models')) return json(200, JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', created: 1, owned_by: 'x' }] }));
      if (path.startsWith('/anthropic')) return json(404, ANTHROPIC_404);
      if (mode === 'v1' && path.startsWith('/openai/v1')) return json(400, NOT_FOUND);
      return json(401, BERM);
    });
  });
}

interface Cell { check: string; status: string; observed: unknown; reason: string }

const CHECKS = 'api.*,path-prefix,errors.wrong-route,created-at.*,defaults.*,sdk.openai.chat,sdk.openai-bedrock.*,sdk.strict.*,reasoning.default-effort';

async function runAgainst(mode: 'every' | 'v1'): Promise<{ cells: Map<string, Cell>; code: number }> {
  const server = mimic(mode);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'mantle-berm-readers-'));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', MODEL, '--checks', CHECKS, '--report-dir', dir, '--plain']);
    const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as { results: Cell[] };
    return { cells: new Map(matrix.results.map((r) => [r.check, r])), code: run.code };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

/** The cells that read the chat and Responses probes' answers (besides api.* and errors.wrong-route). */
const READERS = ['created-at.chat', 'created-at.responses', 'defaults.max-output-tokens', 'defaults.temperature', 'defaults.top-p', 'sdk.openai.chat', 'sdk.openai-bedrock.chat', 'sdk.openai-bedrock.responses', 'sdk.strict.chat', 'sdk.strict.responses', 'reasoning.default-effort'];

describe('Berm on every OpenAI route, /anthropic a 404', () => {
  let cells: Map<string, Cell>;
  let code: number;
  beforeAll(async () => ({ cells, code } = await runAgainst('every')), 120_000);

  it('api.chat-completions and api.responses could not tell (the route checks, as before)', () => {
    for (const id of ['api.chat-completions', 'api.responses']) expect(cells.get(id), id).toMatchObject({ status: 'error', observed: null });
    expect(cells.get('api.messages')).toMatchObject({ status: 'pass', observed: 'unsupported' });
    expect(code).toBe(1);
  });

  it.each(READERS)('%s reads the Berm answers as the route checks do: error, the account\'s answer, never n/a', (id) => {
    const cell = cells.get(id)!;
    expect(cell, id).toBeDefined();
    expect([cell.status, cell.observed], cell.reason).toEqual(['error', null]);
    expect(cell.reason).toMatch(/could not tell whether the model serves (chat-completions|responses): .*Berm is not enabled for this account" on every route asked: the account's answer, not the route's/);
  });

  it('errors.wrong-route does not judge the Berm 401s as wrong-route envelopes: error, not a pass', () => {
    const cell = cells.get('errors.wrong-route')!;
    expect([cell.status, cell.observed], cell.reason).toEqual(['error', null]);
    expect(cell.reason).toMatch(/^no wrong-route answer to read: \/v1\/chat\/completions: 401 "Berm is not enabled for this account" on every route asked: the account's answer, not the route's/);
  });
});

describe('Berm on /v1 only, /openai/v1 a route error of its own', () => {
  let cells: Map<string, Cell>;
  beforeAll(async () => ({ cells } = await runAgainst('v1')), 120_000);

  it('stays a wrong route: the APIs not served (n/a in the readers) and the envelopes judged', () => {
    for (const id of ['api.chat-completions', 'api.responses']) expect(cells.get(id), id).toMatchObject({ observed: 'unsupported' });
    for (const id of ['created-at.chat', 'sdk.strict.chat', 'defaults.temperature']) expect(cells.get(id), id).toMatchObject({ status: 'unsupported' });
    const wrong = cells.get('errors.wrong-route')!;
    expect([wrong.status, wrong.observed], wrong.reason).toEqual(['pass', 'conformant']);
    expect(wrong.reason).toMatch(/wrong-route answer\(s\), all OpenAI envelopes/);
  });
});

describe('a check that reads each API on its own (across-apis.ts), in memory', () => {
  /** answer.chat answered on both OpenAI prefixes: `v1` on /v1 and `openai` on /openai/v1. */
  async function answerChat(v1: { status: number; json: unknown }, openai: { status: number; json: unknown }) {
    const exchanges = await Promise.all([['/v1', v1], ['/openai/v1', openai]].map(async ([prefix, answer]) => answeredWith(await caseStep('answer.chat', { prefix: prefix as string }), answer as { status: number; json: unknown })));
    return judgeOn('answer.non-empty', 'answer.chat', 'chat-completions', exchanges, { expectation: { value: 'non-empty', source: 'test' } });
  }

  it('Berm on every route asked is error (could not tell), never "not served here"', async () => {
    const result = await answerChat({ status: 401, json: JSON.parse(BERM) }, { status: 401, json: JSON.parse(BERM) });
    expect([result.status, result.observed], result.reason).toEqual(['error', null]);
    expect(result.reason).toMatch(/could not tell whether the model serves chat-completions: .*the account's answer, not the route's/);
  });

  it('Berm beside a route error of another kind is the route\'s refusal: not served (n/a), as before', async () => {
    const result = await answerChat({ status: 401, json: JSON.parse(BERM) }, { status: 400, json: JSON.parse(NOT_FOUND) });
    expect(result.status, result.reason).toBe('unsupported');
  });
});
