/**
 * schema.error judges the error bodies an OpenAI API sent, not a router's page for a path the server does not have
 * (Ollama's Go `404 page not found` on /openai/v1, text/plain): such an answer is set aside and named, as a 403
 * denial is, and a cell with nothing else to read is not observed (never a pass, never a fail). Mantle's route
 * refusals are JSON errors of the API and stay judged; any other body that is not JSON fails, said as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaChecks } from '../src/checks/schema.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy } from './helpers/wire-proxy.ts';

const PAGE = { status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found' };

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(() => emulator.close());

describe('an Ollama-like server in front of the emulator: router pages on the paths it does not have', () => {
  it('schema.error judges the API errors only, and names the pages it set aside', async () => {
    // Ollama has no /openai/v1, no Responses API and no Anthropic routes: every such path is Go's 404 page.
    const proxy = await startProxy(emulator.url, { answer: (r) => (/^\/(openai|anthropic)\/|^\/v1\/responses/.test(r.path) ? PAGE : undefined) });
    try {
      const results = await checkModel(liveTarget(proxy.url), 'openai.gpt-oss-20b', { checks: ['schema.error'] });
      const schema = results.get('schema.error')!;
      expect(`${schema.status} ${schema.observed}`, schema.reason).toBe('pass valid');
      expect(schema.reason).toMatch(/not judged: \d+ answer\(s\) were a router's page for a path it does not have, no error of the API's: GET \/openai\/v1\/models: 404 not JSON \(text\/plain: 404 page not found\)/);
      expect(schema.reason).not.toMatch(/missing "error"/);
      expect(schema.evidence.every((e) => e.excerpt !== '404 page not found')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

const exchange = (path: string, status: number, contentType: string, body: string): Exchange => ({
  step: 'main',
  prefix: path.startsWith('/openai/') ? '/openai/v1' : '/v1',
  request: { method: 'POST', path, headers: {} },
  response: { status, headers: { 'content-type': contentType }, chunks: [{ t: 0, data: body }] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

async function schemaError(...exchanges: Exchange[]): Promise<CheckResult> {
  const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId: 'probe.chat', api: 'chat-completions', exchanges }];
  return schemaChecks.find((c) => c.id === 'schema.error')!.run({ model: 'm', expectation: { value: 'valid', source: 'test' }, outcomes });
}

describe('schema.error on in-memory answers', () => {
  it('only router pages: not observed (error), never a pass or a fail', async () => {
    const result = await schemaError(exchange('/openai/v1/chat/completions', 404, 'text/plain', '404 page not found'), exchange('/v1/responses', 405, 'text/html', '<h1>Method Not Allowed</h1>'));
    expect(`${result.status} ${result.observed}`).toBe('error null');
    expect(result.reason).toMatch(/^could not observe the error object: 2 answer\(s\) were a router's page/);
    expect(result.reason).toMatch(/POST \/v1\/responses: 405 not JSON \(text\/html: <h1>Method Not Allowed<\/h1>\)/);
  });

  it("Mantle's route refusals (JSON) are still judged: a JSON 404 without the envelope is invalid", async () => {
    const result = await schemaError(exchange('/openai/v1/chat/completions', 404, 'application/json', '{"detail":"Not Found"}'));
    expect(`${result.status} ${result.observed}`).toBe('fail invalid');
    expect(result.reason).toMatch(/missing "error"/);
  });

  it('a body that is not JSON and no route refusal fails, said as what it is', async () => {
    const result = await schemaError(exchange('/v1/chat/completions', 400, 'text/plain; charset=utf-8', 'Bad Request: temperature'));
    expect(`${result.status} ${result.observed}`).toBe('fail invalid');
    expect(result.reason).toMatch(/probe\.chat body: the 400 body is not JSON \(text\/plain; charset=utf-8: Bad Request: temperature\)/);
    expect(result.reason).not.toMatch(/missing "error"/);
  });

  it('a page on a prefix where the API did answer is its error, and judged: a Response retrieved, then a 404 page once deleted', async () => {
    const retrieved = exchange('/v1/responses/resp_1', 200, 'application/json', '{"id":"resp_1","object":"response","status":"completed","output":[]}');
    const gone = exchange('/v1/responses/resp_1', 404, 'text/plain', 'Not Found');
    const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId: 'responses.lifecycle', api: 'responses', exchanges: [retrieved, gone] }];
    const result = await schemaChecks.find((c) => c.id === 'schema.error')!.run({ model: 'm', expectation: { value: 'valid', source: 'test' }, outcomes });
    expect(`${result.status} ${result.observed}`).toBe('fail invalid');
    expect(result.reason).toMatch(/responses\.lifecycle body: the 404 body is not JSON \(text\/plain: Not Found\)/);
  });

  it('a 404 whose JSON nests too deep to read is no router page', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const result = await schemaError(exchange('/openai/v1/chat/completions', 404, 'application/json', deep));
    expect(result.reason).not.toMatch(/router's page/);
  });
});
