/**
 * Ids an endpoint sends are data, and an id that cannot be used is the endpoint's finding, never a harness crash: a
 * model-list cursor with a lone surrogate leaves the list "not read whole" (exit 1, named), a Responses id with one
 * leaves the steps that put it in a path unsent, blamed on the id; a listed model id is printed as it is in the CI
 * progress and `gating:` lines when the model-id rule allows it (it can open no CI command), else inert; and a model's progress line counts fails and errors apart, or says nothing of it was observed, as
 * the run's totals do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateLines } from '../src/cli/gate-lines.ts';
import { readPrefix } from '../src/cli/model-list-pages.ts';
import type { Matrix, MatrixGate } from '../src/report/matrix.ts';
import { unusableAs } from '../src/suite/templates.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const json = (value: unknown) => JSON.stringify(value);
/** A page that says there is more, and a cursor holding a lone surrogate (JSON's `\ud800` escape). */
const BAD_CURSOR_PAGE = `{"object":"list","data":[{"id":"${MODEL}","object":"model"}],"has_more":true,"last_id":"x\\ud800"}`;

/** What a server answers: the model list, and every other request. */
type Answers = { models: [number, string]; other: [number, string] };

function server(answers: Answers): Promise<{ url: string; close: () => void }> {
  const s: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [status, body] = req.method === 'GET' && /\/models(\?|$)/.test(req.url ?? '') ? answers.models : answers.other;
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => s.close() })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-endpoint-ids-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const live = (url: string, reports: string, ...args: string[]) => cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--retries', '0', '--report-dir', join(dir, reports), '--plain', ...args], { GITHUB_STEP_SUMMARY: '' });

describe('a model-list cursor with a lone surrogate', () => {
  it('ends the list as not read whole, named, without sending it', async () => {
    const sent: string[] = [];
    const send = async (path: string) => {
      sent.push(path);
      return { request: { method: 'GET', path, headers: {} }, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: BAD_CURSOR_PAGE }] }, attempts: 1 } as unknown as Exchange;
    };
    const read = await readPrefix('/v1', send);
    expect(read).toMatchObject({ ids: [MODEL], pages: 1, missing: 'GET /v1/models: page 1 says has_more: true and gives a last_id that holds a lone surrogate (U+D800 at character 2), which no URL can carry' });
    expect(sent).toEqual(['/v1/models']);
  });

  it('makes catalog diff and run --models listed exit 1 with the list not read whole, never 3', async () => {
    const { url, close } = await server({ models: [200, BAD_CURSOR_PAGE], other: [200, '{}'] });
    try {
      const diff = await cli(['catalog', 'diff', '--endpoint', url, '--auth', 'none']);
      expect([diff.code, diff.stderr]).toEqual([1, '']);
      expect(diff.stdout).toContain('not read whole: GET /v1/models: page 1 says has_more: true and gives a last_id that holds a lone surrogate');
      const run = await live(url, 'cursor', '--models', 'listed', '--checks', 'created-at.chat');
      expect(run.code).toBe(1);
      expect(`${run.stdout}${run.stderr}`).not.toContain('HARNESS_INTERNAL');
      const matrix = JSON.parse(await readFile(join(dir, 'cursor', 'matrix.json'), 'utf8')) as Matrix;
      // The models on the part not read were never asked: the gate is not green.
      expect(matrix.gate.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^partial run: the model list of target 127\.0\.0\.1_\d+ was not read whole \(GET \/v1\/models: page 1 says has_more: true and gives a last_id that holds a lone surrogate/));
      expect(matrix.targets[0]!.modelList!.source).toContain('not read whole: GET /v1/models: page 1 says has_more: true and gives a last_id that holds a lone surrogate');
    } finally {
      close();
    }
  });
});

describe('a step id with a lone surrogate, used in a path', () => {
  it('is unusable there, said as what the endpoint sent; as text or a value it still goes', () => {
    expect(unusableAs('resp_\ud800abc', 'path')).toBe('it holds a lone surrogate (U+D800 at character 6), which no URL can carry (percent-encoding needs well-formed text)');
    expect(unusableAs('resp_\udc00', 'path')).toContain('U+DC00 at character 6');
    expect(unusableAs('resp_😀', 'path')).toBeUndefined();
    expect(unusableAs('resp_\ud800abc', 'value')).toBeUndefined();
  });

  it("leaves the Responses steps that read it unsent, blaming the endpoint's id, never HARNESS_INTERNAL", async () => {
    const response = `{"id":"resp_\\ud800abc","object":"response","created_at":1,"status":"completed","model":"${MODEL}","output":[]}`;
    const { url, close } = await server({ models: [200, json({ object: 'list', data: [{ id: MODEL, object: 'model' }] })], other: [200, response] });
    try {
      const run = await live(url, 'responses', '--models', MODEL, '--checks', 'responses.retrieve,responses.delete,responses.store-false');
      expect(`${run.stdout}${run.stderr}`).not.toContain('HARNESS_INTERNAL');
      const matrix = JSON.parse(await readFile(join(dir, 'responses', 'matrix.json'), 'utf8')) as Matrix;
      for (const check of ['responses.retrieve', 'responses.delete', 'responses.store-false']) {
        const cell = matrix.results.find((r) => r.check === check)!;
        expect(cell.status, check).not.toBe('error');
        expect(cell.reason, check).toContain('{{steps.create.id}} has no value in a path: step create answered HTTP 200 where it holds a lone surrogate (U+D800 at character 6)');
      }
    } finally {
      close();
    }
  });
});

describe("a model's CI progress line", () => {
  /** Lists `id`; refuses every other request with a 400: `created-at.chat` cannot observe (error), `content.array.chat` fails. */
  const refusing = (id: string) => server({ models: [200, json({ object: 'list', data: [{ id, object: 'model' }] })], other: [400, json({ error: { message: 'no', type: 'invalid_request_error' } })] });
  const CHECKS = ['--checks', 'models.listed,created-at.chat,content.array.chat'];

  it('prints a listed id the model-id rule allows as it is (it cannot open a line with `::`), and one it refuses inert in the gating lines', async () => {
    const { url, close } = await refusing('ok::error::y');
    try {
      const run = await live(url, 'listed-id', '--models', 'listed', ...CHECKS);
      // GitHub reads `::error::` only at a line's start (after spaces): a rule-abiding id starts with a letter, a digit or `/`.
      expect(run.stderr).toMatch(/^ {2}ok::error::y \(127\.0\.0\.1_\d+\): 3 checks, /m);
      expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s*::/m);
    } finally {
      close();
    }
    expect(gateLines([], [{ target: 't', model: 'ok::error::y', check: 'created-at.chat', reason: 'r' }] as MatrixGate['gating'])).toEqual(['  gating: ok::error::y created-at.chat (t): r']);
    expect(gateLines([], [{ target: 't', model: '::error::y', check: 'created-at.chat', reason: 'r' }] as MatrixGate['gating'])).toEqual(['  gating: :\u200b:error:\u200b:y created-at.chat (t): r']);
  });

  it('counts fails and errors apart as the totals do, and says nothing was observed of a model the totals set apart', async () => {
    const refused = await refusing(MODEL);
    const notFound = await server({ models: [200, json({ object: 'list', data: [{ id: MODEL }] })], other: [404, '{"message":"nope"}'] });
    try {
      const counted = await live(refused.url, 'refused', '--models', MODEL, ...CHECKS);
      const matrix = JSON.parse(await readFile(join(dir, 'refused', 'matrix.json'), 'utf8')) as Matrix;
      const count = (status: string) => matrix.results.filter((r) => r.status === status).length;
      expect([count('fail'), count('error')]).toEqual([1, 1]);
      expect(counted.stderr).toMatch(/: 3 checks, 1 fail, 1 error\n/);
      expect(counted.stdout).toContain(' 1 fail, 0 flaky, 0 inconclusive, 0 unsupported, 0 skipped, 1 error');
      const nothing = await live(notFound.url, 'not-found', '--models', MODEL);
      expect(nothing.stderr).toMatch(/^ {2}openai\.gpt-oss-20b \(127\.0\.0\.1_\d+\): 108 checks, nothing of the model observed$/m);
      expect(nothing.stdout).toContain('0 fail, 0 flaky, 0 inconclusive, 0 unsupported, 0 skipped, 0 error, and 108 cell(s) of model(s) with nothing observed');
      expect(`${counted.stderr}${nothing.stderr}`).not.toContain('fail/error');
    } finally {
      refused.close();
      notFound.close();
    }
  });
});
