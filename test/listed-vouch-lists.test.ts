/**
 * Review fixes, round 3, of the listed-id rule and of the reports around it: a same-model listed id vouches only
 * while the answers' other names are not names of another listed model (a gateway's default answering every id);
 * listed ids are read back only from the harness's own clause of a cell it judged `not-listed`, never from endpoint
 * text quoted in a refused list's reason; API Gateway's "Missing Authentication Token" on a prefix is no list there;
 * the same-model listed id is the "did you mean" of an id the endpoint says does not exist; a run's own matrix.json
 * is read up to the floor's byte limit on a 1 GiB heap, and a writer warns of one that is not; a problem's fix is
 * kept alike in every report; junit's "not run here" says nothing false of an unsharded partial run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedIdsIn } from '../src/checks/closest-listed.ts';
import type { Evidence } from '../src/checks/types.ts';
import { costProblem, readLimits, writtenSizeWarning } from '../src/cli/matrix-size.ts';
import { ELSEWHERE_REASON } from '../src/report/gate.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { idHint } from '../src/report/list-says.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import type { MatrixResult } from '../src/report/matrix.ts';
import { unobservedModels } from '../src/report/observed-models.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const KEY = 'sk-gw-fxh-0123456789abcdef';
const LISTED = ['gpt-4o-mini', 'claude-sonnet-4-5-20250929', 'llama3:8b'];
const CHECKS = ['path-prefix', 'created-at.chat', 'models.listed'];

/** A gateway that lists LISTED on /v1/models and answers every chat request in `echo`'s name. */
function gateway(echo: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, { error: { message: 'bad key', type: 'auth_error', code: '401' } });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/v1/models') return send(200, { object: 'list', data: LISTED.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'x' })) });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') return send(404, { detail: 'Not Found' });
      send(200, { id: 'c1', object: 'chat.completion', created: 1796527092, model: echo, choices: [{ index: 0, message: { role: 'assistant', content: 'OK.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('a same-model listed id vouches only while the answers name no other listed model', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'listed-vouch-lists-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });
  async function run(echo: string, models: string, name: string) {
    const { url, server } = await gateway(echo);
    servers.push(server);
    return cli(['run', '--mode', 'live', '--endpoint', url, '--api-key-env', 'LISTED_LISTS_KEY', '--models', models, '--checks', 'models.*,api.*', '--report-dir', join(dir, name), '--retries', '0', '--plain'], { LISTED_LISTS_KEY: KEY });
  }

  it('fails the gate for ids every answer of which came from another listed model (gpt-4o-mini)', async () => {
    const r = await run('gpt-4o-mini', 'claude-sonnet-4-5-20990101,llama3,Claude-Sonnet-4-5-20250929', 'default');
    expect(r.code, r.stdout).toBe(1);
    for (const model of ['claude-sonnet-4-5-20990101', 'llama3', 'Claude-Sonnet-4-5-20250929']) {
      expect(r.stdout).toContain(`${model} (127.0.0.1_`);
    }
    expect(r.stdout).toMatch(/llama3 \(127\.0\.0\.1_\d+\): nothing of it observed, \d+ of \d+ answers came from another model \("gpt-4o-mini"\).*did you mean "llama3:8b" \(listed by the endpoint\)\?/);
    expect(r.stdout).toMatch(/gate: fail \(exit 1\): 3 model\(s\) with nothing observed/);
  }, 120_000);

  it('still vouches for answers in a name the list does not hold (a served path, a deployment name)', async () => {
    const r = await run('/models/Llama3-8B-AWQ', 'llama3,Claude-Sonnet-4-5-20250929', 'unlisted-name');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain('nothing of it observed');
  }, 120_000);
});

/** A model `id` (not in the catalog, `suggestion` its catalog guess) answered twice in `echo`'s name, with this models.listed cell. */
function matrixOf(id: string, echo: string, listed: Partial<MatrixResult>, suggestion?: string) {
  const matrix = smallMatrix(
    [
      { model: id, check: 'path-prefix', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: echo }] },
      { model: id, check: 'created-at.chat', evidence: [{ case: 'basic.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: echo }] },
      { model: id, check: 'models.listed', ...listed },
    ],
    [id],
    CHECKS,
  );
  return { ...matrix, models: matrix.models.map((m) => ({ ...m, inCatalog: false, ...(suggestion ? { suggestion } : {}) })) };
}
const messages = (matrix: ReturnType<typeof matrixOf>) => unobservedModels(matrix).problems.map((p) => p.message);
const refused = (message: string): Partial<MatrixResult> => ({
  status: 'error',
  observed: null,
  reason: `HARNESS_ENDPOINT_ERROR: could not read a model list: /v1/models HTTP 403 (${message}): the credentials may not list models`,
  evidence: [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 403, excerpt: JSON.stringify({ error: { message } }) }],
});

describe('endpoint text in a refused model list names no listed id', () => {
  const model = 'anthropic.claude-opus-4-77';
  it('cannot forge the same-model vouch: the default model answering still fails the gate', () => {
    const forged = messages(matrixOf(model, 'gpt-4o-mini', refused('Forbidden; the endpoint lists "anthropic.claude-opus-4-77x", a name of the same model'), 'anthropic.claude-opus-4-7'));
    const control = messages(matrixOf(model, 'gpt-4o-mini', refused('Forbidden'), 'anthropic.claude-opus-4-7'));
    expect(control).toHaveLength(1);
    expect(forged).toEqual(control);
  });

  it('cannot forge the "did you mean"', () => {
    const [message] = messages(matrixOf(model, 'gpt-4o-mini', refused('Forbidden; the closest listed id is "evil.model-by-attacker"'), 'anthropic.claude-opus-4-7'));
    expect(message).toBeDefined();
    expect(message).not.toContain('evil.model-by-attacker');
    expect(message).toContain('did you mean "anthropic.claude-opus-4-7"?');
  });

  it('reads only the clause at the very end of a reason, after the counts of the lists read', () => {
    expect(listedIdsIn('"not-listed" as expected (catalog: x); /v1/models: 2 models; /openai/v1/models: 2 models; the closest listed id is "b"')).toEqual({ guess: 'b' });
    expect(listedIdsIn('expected "listed", got "not-listed" (openai-reference: x); /v1/models: 2 models; the endpoint lists "Qwen3-32B", a name of the same model')).toEqual({ same: 'Qwen3-32B' });
    expect(listedIdsIn('could not read a model list: /v1/models HTTP 403 (Forbidden; the closest listed id is "evil"): the credentials may not list models')).toEqual({});
    expect(listedIdsIn('could not read a model list: /v1/models HTTP 403 (Forbidden; /v1/models: 2 models; the closest listed id is "evil")')).toEqual({});
  });

  it('reads no listed id from a cell that says not-listed but was not judged (inconclusive)', () => {
    const cell: Partial<MatrixResult> = { status: 'inconclusive', observed: 'not-listed', reason: '/v1/models: 2 models; the endpoint lists "bbb", a name of the same model', evidence: [{ case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 }] };
    expect(messages(matrixOf('bbb', 'gpt-4o-mini', cell, 'bb'))).toHaveLength(1);
  });
});

describe('API Gateway behind a prefix it does not have', () => {
  const on = (excerpt: string): Evidence[] => [
    { case: 'models.list', step: 'main', request: 'GET /v1/models', status: 200 },
    { case: 'models.list', step: 'main', request: 'GET /openai/v1/models', status: 403, excerpt },
  ];
  const cell = (evidence: Evidence[]): Partial<MatrixResult> => ({ status: 'fail', observed: 'not-listed', reason: '/v1/models: 2 models; the closest listed id is "b"', evidence });
  it('its 403 "Missing Authentication Token" is no list there: the list was read whole', () => {
    expect(messages(matrixOf('bb', 'a', cell(on('{"message":"Missing Authentication Token"}'))))).toEqual([
      'bb (emulator): nothing of it observed, 2 of 2 answers came from another model ("a"), and the endpoint\'s model list, read whole, does not name it: is the id right?; "bb" is not in the catalog: did you mean "b" (listed by the endpoint)? (an endpoint may answer an id it does not know with its default model)',
    ]);
  });
  it('another 403 still leaves the list unread', () => {
    expect(messages(matrixOf('bb', 'a', cell(on('{"error":{"message":"Forbidden"}}'))))).toEqual([]);
  });
});

describe('an id the endpoint says does not exist', () => {
  it('gets the same-model listed id as its "did you mean" when there is no other guess', () => {
    const info = { id: 'Qwen3-32B', family: null, familyTitle: null, inCatalog: false };
    expect(idHint('Qwen3-32B', info, { unlisted: true, same: 'qwen3-32b' })).toBe('; "Qwen3-32B" is not in the catalog: did you mean "qwen3-32b" (listed by the endpoint)?');
  });
});

describe('the read floor on a 1 GiB heap', () => {
  it('reads a run\'s own file up to the byte limit (3.6 bytes of parse a byte), and refuses a crafted one past a fifth of it', () => {
    const limits = readLimits(GiB);
    expect(limits.maxBytes).toBe(256 * MiB);
    expect(3.6 * 208 * MiB).toBeLessThanOrEqual(limits.maxCost);
    expect(3.6 * limits.maxBytes).toBeLessThanOrEqual(limits.maxCost);
    // `[{},{},...]`: 2 bytes a byte for the string, 48 a value, a value every 1.5 bytes.
    expect((2 + 48 / 1.5) * 64 * MiB).toBeGreaterThan(limits.maxCost);
  });

  it('refuses a costly file with the heap fix first, never calling it not ours', () => {
    const said = costProblem(Buffer.from(`[${Array.from({ length: 2000 }, () => '{}').join(',')}]`), readLimits(64 * 1024));
    expect(said).toMatch(/^its parse may take .* of heap, more than this process spends on the files of one command .*: raise the heap \(NODE_OPTIONS=--max-old-space-size=\d+ mantle-conformance \.\.\.\)/);
    expect(said).not.toContain('written by mantle-conformance');
  });

  it('a writer warns of a file within the floor\'s bytes whose parse a 1 GiB heap refuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'listed-vouch-size-'));
    try {
      const file = join(dir, 'matrix.json');
      await writeFile(file, `[${'{},'.repeat(Math.floor((40 * MiB) / 3))}{}]`);
      const said = await writtenSizeWarning([file], readLimits(4 * GiB));
      expect(said).toMatch(/written at \d+ bytes \(40 MiB\), whose parse may take \d+ MiB of heap: a reader whose heap limit is under \d+ MiB refuses it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a long problem line', () => {
  const fix = `did you mean "${'x'.repeat(1200)}" (listed by the endpoint)?`;
  const matrix = () => {
    const m = smallMatrix([{ model: 'bb', check: 'created-at.chat', status: 'pass', observed: 'integer', reason: 'ok' }]);
    m.gate.problems.push({ kind: 'unobserved-model', target: 'emulator', model: 'bb', message: `bb (emulator): nothing observed; ${fix}` } as (typeof m.gate.problems)[number]);
    return m;
  };
  it('keeps its fix in matrix.md and the step summary, as on the console and in junit', () => {
    expect(renderMarkdown(matrix())).toContain('(listed by the endpoint)?');
    expect(renderStepSummary(matrix(), {})).toContain('(listed by the endpoint)?');
  });
});

describe('junit of an unsharded partial run', () => {
  it('says the run is partial without naming a missing shard as the cause', () => {
    // The default matrix's qwen cells filtered out (-t): not run here.
    const m = smallMatrix(['path-prefix', 'created-at.chat', 'defaults.temperature'].map((check) => ({ model: 'qwen.qwen3-32b', check, status: 'skipped', observed: null, reason: ELSEWHERE_REASON, evidence: [], notRun: true })));
    expect(m.run.selection?.shard).toBeUndefined();
    m.gate.problems.push({ kind: 'partial', message: 'partial: the model list of emulator was not read whole', model: undefined } as (typeof m.gate.problems)[number]);
    const junit = renderJunit(m);
    expect(junit).toContain('the run is partial (the gate testcase says why): some of them may never have run');
    expect(junit).not.toContain('a shard missing');
  });
});

describe('an Ollama-tagged listed model answering untagged', () => {
  it('is another listed model: `mistral` answers for listed `mistral:7b`, so `llama3` (vouched by llama3:latest) observed nothing', async () => {
    const { listedOthers, namesOtherListed } = await import('../src/checks/listed-names.ts');
    const { namesListedModel } = await import('../src/checks/closest-listed.ts');
    const others = listedOthers(['llama3:latest', 'mistral:7b'], (id) => namesListedModel('llama3', id));
    expect(namesOtherListed(others, 'mistral')).toBe(true);
    expect(namesOtherListed(others, 'llama3')).toBe(false);
    // A Bedrock version is no tag: its id's names are as before.
    expect(namesOtherListed(listedOthers(['anthropic.claude-3-haiku-20240307-v1:0'], () => false), 'claude-3-haiku-20240307')).toBe(true);
  });
});

describe('a sibling tag of the same model', () => {
  it('does not make the model\'s own untagged name another model\'s (Mistral:7B asked, mistral:7b and mistral:instruct listed)', async () => {
    const { listedOthers, namesOtherListed } = await import('../src/checks/listed-names.ts');
    const { namesListedModel } = await import('../src/checks/closest-listed.ts');
    const others = listedOthers(['mistral:7b', 'mistral:instruct'], (id) => namesListedModel('Mistral:7B', id));
    expect(namesOtherListed(others, 'mistral')).toBe(false);
  });
});
