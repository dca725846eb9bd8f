/**
 * "This model does not serve this API" in the words of the servers that are not Mantle: vLLM's "The model does not
 * support Chat Completions API" and Ollama's `"nomic-embed-text:latest" does not support chat`, what both answer for
 * an embedding model that their /v1/models lists. Read as "the API is not served" (the probe says unsupported, the
 * chat checks are unsupported, nothing is blamed on the endpoint), while a 400 that refuses a parameter or a feature
 * of a served API stays the endpoint's answer about the request, which the param, tools and images checks judge.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ASKS_NO_MODEL } from '../src/report/observed-models.ts';
import { classifyResponse } from '../src/transport/classify-response.ts';
import { cli } from './helpers/harness.ts';

const ollama = (message: string) => JSON.stringify({ error: { message, type: 'api_error', param: null, code: null } });
const vllm = (message: string) => JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: 400 });

describe('classifyResponse: the model does not serve the API, or refuses a feature of one it serves', () => {
  it.each([
    { name: 'vLLM chat', body: vllm('The model does not support Chat Completions API'), kind: 'api-unsupported' },
    { name: 'vLLM Responses', body: vllm('The model does not support Responses API'), kind: 'api-unsupported' },
    { name: 'vLLM Completions', body: vllm('The model does not support Completions API'), kind: 'api-unsupported' },
    { name: 'vLLM Embeddings', body: vllm('The model does not support Embeddings API'), kind: 'api-unsupported' },
    { name: 'Ollama chat', body: ollama('"nomic-embed-text:latest" does not support chat'), kind: 'api-unsupported' },
    { name: 'Ollama generate', body: ollama('"nomic-embed-text:latest" does not support generate'), kind: 'api-unsupported' },
    { name: 'Ollama chat as plain text', body: '"all-minilm" does not support chat', kind: 'api-unsupported' },
    { name: "Mantle's wording still", body: ollama("The model 'openai.gpt-5.6-terra' does not support the '/v1/chat/completions' API"), kind: 'api-unsupported' },
    // A feature of an API the model serves: the endpoint's answer about the request, for the checks to judge.
    { name: "the 'n' parameter", body: ollama("The model does not support the 'n' parameter"), kind: 'rejected' },
    { name: 'tools (Ollama)', body: ollama('registry.ollama.ai/library/gemma:2b does not support tools'), kind: 'rejected' },
    { name: 'tools (Ollama, quoted id)', body: ollama('"gemma:2b" does not support tools'), kind: 'rejected' },
    { name: 'thinking (Ollama)', body: ollama('"llama3.2:3b" does not support thinking'), kind: 'rejected' },
    { name: 'image input (vLLM)', body: vllm('This model does not support image input.'), kind: 'rejected' },
    { name: 'streaming', body: ollama('This model does not support streaming'), kind: 'rejected' },
    { name: 'chat templates', body: ollama('"x" does not support chat templates'), kind: 'rejected' },
    { name: 'chat as a word inside a sentence', body: vllm('The model does not support chat_template_kwargs in the Chat Completions API'), kind: 'rejected' },
    { name: "a parameter of the Responses API", body: vllm("The model does not support the Responses API's 'background' parameter"), kind: 'rejected' },
    { name: 'tools in the Responses API', body: vllm('The model does not support tools in the Responses API'), kind: 'rejected' },
    { name: 'a mode of the Responses API', body: vllm('This model does not support the Responses API background mode'), kind: 'rejected' },
    { name: 'a use of the Messages API', body: vllm('This model does not support the Messages API with forced tool_choice'), kind: 'rejected' },
    { name: 'n > 1 in the Chat Completions API', body: vllm('The model does not support Chat Completions API with n > 1'), kind: 'rejected' },
  ])('$name: $kind', ({ body, kind }) => {
    expect(classifyResponse(400, body).kind).toBe(kind);
  });
});

/** An Ollama-like server that lists two embedding models and refuses them for chat (Ollama's and vLLM's words). */
function embeddingServer(): ReturnType<typeof createServer> {
  const models = ['nomic-embed-text:latest', 'BAAI/bge-m3'];
  const send = (res: ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/v1/models') return send(res, 200, JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1733000000, owned_by: 'library' })) }));
      let model: unknown;
      try {
        model = (JSON.parse(raw) as { model?: unknown }).model;
      } catch {
        return send(res, 400, ollama('invalid character'));
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        if (model === 'nomic-embed-text:latest') return send(res, 400, ollama('"nomic-embed-text:latest" does not support chat'));
        if (model === 'BAAI/bge-m3') return send(res, 400, vllm('The model does not support Chat Completions API'));
        return send(res, 404, ollama(`model "${String(model)}" not found, try pulling it first`));
      }
      if (req.method === 'POST' && path === '/v1/responses' && model === 'BAAI/bge-m3') return send(res, 400, vllm('The model does not support Responses API'));
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    });
  });
}

describe('an embedding model a server lists (--models listed)', () => {
  let dir: string;
  let server: ReturnType<typeof createServer>;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-not-served-'));
    server = embeddingServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('is said not to serve chat: its chat checks are unsupported, none fails or errors, and the gate passes', async () => {
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--target-name', 'ollama', '--models', 'listed', '--retries', '0', '--report-dir', reports, '--quiet']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    for (const model of ['nomic-embed-text:latest', 'BAAI/bge-m3']) {
      const cells = matrix.results.filter((r) => r.model === model);
      const cell = (check: string) => cells.find((r) => r.check === check);
      expect(cell('api.chat-completions'), model).toMatchObject({ observed: 'unsupported', status: 'pass' });
      expect(cell('api.chat-completions')!.reason).toContain('/v1/chat/completions: 400 api-unsupported');
      expect(cell('path-prefix'), model).toMatchObject({ observed: 'none' });
      for (const check of ['content.array.chat', 'stream.chat-completions', 'params.n', 'created-at.chat']) expect(cell(check), `${model} ${check}`).toMatchObject({ status: 'unsupported' });
      // Nothing of a check that uses the model blames the endpoint, nor is an infrastructure error.
      const blamed = cells.filter((r) => !ASKS_NO_MODEL.test(r.check) && (r.status === 'fail' || r.status === 'error' || r.status === 'flaky'));
      expect(blamed.map((r) => `${r.check}: ${r.status} ${r.reason.slice(0, 120)}`), model).toEqual([]);
    }
    expect(matrix.results.find((r) => r.model === 'BAAI/bge-m3' && r.check === 'api.responses')).toMatchObject({ observed: 'unsupported' });
    expect(matrix.results.filter((r) => r.status === 'error')).toEqual([]);
    expect(matrix.gate).toMatchObject({ verdict: 'pass', exitCode: 0, problems: [] });
    expect(run.code, run.stderr).toBe(0);
  });
});
