/**
 * The bundled schemas and `--openapi` (OpenAI's own document, ../shared/reference/openai-openapi) give the same
 * verdict, the same problems and the same extra fields on every recorded body: every fixture in fixtures/, every
 * shared recording (../shared/reference/recordings), every test vector. Skipped without ../shared.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_SCHEMAS, schemaChecks, type SchemaSet } from '../src/checks/schema.ts';
import type { CaseOutcome } from '../src/checks/types.ts';
import { loadOpenApiSchemas } from '../src/run/openapi-schemas.ts';
import type { ApiId } from '../src/suite/suite-schema.ts';
import { parseFixture } from '../src/transport/fixture-file.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { REFERENCE, ROOT, projectSuites } from './helpers/harness.ts';
import { exchangeOf, loadVectors } from './helpers/vectors.ts';

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
const RECORDINGS = join(REFERENCE, 'recordings');

function apiOfPath(path: string): ApiId {
  if (path.includes('/chat/completions')) return 'chat-completions';
  if (path.includes('/messages/count_tokens')) return 'count-tokens';
  if (path.includes('/messages')) return 'messages';
  if (path.includes('/models')) return 'models';
  return 'responses';
}

/** Every schema.* verdict for a set of outcomes, with the schema source taken out of the reasons. */
async function verdicts(outcomes: CaseOutcome[], schemas: SchemaSet): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const check of schemaChecks) {
    const result = await check.run({ model: 'm', expectation: null, outcomes, schemas });
    out[check.id] = `${String(result.observed)}: ${result.reason.replaceAll(schemas.source, '<schemas>')}`;
  }
  return out;
}

/** Outcomes per (target, model) folder of fixtures/. */
async function fixtureOutcomes(): Promise<Map<string, CaseOutcome[]>> {
  const { suites } = await projectSuites();
  const apiOf = new Map(suites.cases.map((c) => [c.id, c.api]));
  const byModel = new Map<string, CaseOutcome[]>();
  const root = join(ROOT, 'fixtures');
  for (const target of await readdir(root)) {
    for (const model of await readdir(join(root, target))) {
      const outcomes: CaseOutcome[] = [];
      for (const file of (await readdir(join(root, target, model))).filter((f) => f.endsWith('.json')).sort()) {
        const path = join(root, target, model, file);
        const fixture = parseFixture(await readFile(path, 'utf8'), path);
        const api = apiOf.get(fixture.case) ?? apiOfPath(fixture.exchanges[0]?.request.path ?? '');
        outcomes.push({ kind: 'completed', caseId: fixture.case, api, exchanges: fixture.exchanges });
      }
      byModel.set(`${target}/${model}`, outcomes);
    }
  }
  return byModel;
}

interface Attempt {
  requestUrl?: string;
  status?: number;
  response?: unknown;
  outcome?: string;
}

/** Each recorded attempt of a shared recording as its own case outcome. */
async function recordingOutcomes(): Promise<Map<string, CaseOutcome[]>> {
  const byRecording = new Map<string, CaseOutcome[]>();
  for (const file of (await readdir(RECORDINGS)).filter((f) => f.endsWith('.json'))) {
    const recording = JSON.parse(await readFile(join(RECORDINGS, file), 'utf8')) as { attempts?: Record<string, Attempt> };
    const outcomes: CaseOutcome[] = Object.entries(recording.attempts ?? {}).map(([name, attempt]) => {
      const path = attempt.requestUrl ? new URL(attempt.requestUrl).pathname : '/v1/unknown';
      const request = { method: 'POST' as const, path, headers: {} };
      const exchange: Exchange =
        attempt.status === undefined
          ? { step: 'main', prefix: '', request, response: null, error: { code: 'HARNESS_TIMEOUT', message: attempt.outcome ?? 'no answer' }, durationMs: 0, attempts: 1 }
          : { step: 'main', prefix: '', request, response: { status: attempt.status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(attempt.response) }] }, error: null, durationMs: 0, attempts: 1 };
      return { kind: 'completed', caseId: name, api: apiOfPath(path), exchanges: [exchange] };
    });
    byRecording.set(file, outcomes);
  }
  return byRecording;
}

describe.skipIf(!existsSync(OPENAPI))('bundled schemas and --openapi agree', () => {
  let openapi: SchemaSet;
  beforeAll(async () => {
    openapi = await loadOpenApiSchemas(OPENAPI);
  });

  it('on every fixture in fixtures/ (every target, model and case)', async () => {
    const corpus = await fixtureOutcomes();
    expect(corpus.size).toBeGreaterThan(40);
    const read = { response: 0, chat: 0 };
    for (const [name, outcomes] of corpus) {
      const bundled = await verdicts(outcomes, PROJECT_SCHEMAS);
      expect(await verdicts(outcomes, openapi), name).toEqual(bundled);
      if (!bundled['schema.response']!.startsWith('null')) read.response++;
      if (!bundled['schema.chat-completion']!.startsWith('null')) read.chat++;
    }
    // The comparison read real bodies, not only "nothing observed".
    expect(read.response).toBeGreaterThan(5);
    expect(read.chat).toBeGreaterThan(30);
  }, 300_000);

  it.skipIf(!existsSync(RECORDINGS))('on every shared recording', async () => {
    const corpus = await recordingOutcomes();
    expect(corpus.size).toBeGreaterThan(0);
    for (const [name, outcomes] of corpus) expect(await verdicts(outcomes, openapi), name).toEqual(await verdicts(outcomes, PROJECT_SCHEMAS));
  });

  it('on every test vector', async () => {
    for (const [name, v] of await loadVectors()) {
      const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId: name, api: apiOfPath(v.request.path), exchanges: [exchangeOf(v)] }];
      expect(await verdicts(outcomes, openapi), name).toEqual(await verdicts(outcomes, PROJECT_SCHEMAS));
    }
  });

  it.skipIf(!existsSync(RECORDINGS))('the live gemma-4-31b Response ("user": null) is lenient-only in both modes; its chat body too', async () => {
    const gemma = (await recordingOutcomes()).get('vercel-ai-gemma-4-31b-live-2026-09-23.json')!;
    for (const schemas of [PROJECT_SCHEMAS, openapi]) {
      const found = await verdicts(gemma, schemas);
      expect(found['schema.response']).toMatch(/^lenient-only: .*\/user: must be string/);
      expect(found['schema.chat-completion']).toMatch(/^lenient-only: .*missing "logprobs".*\/system_fingerprint: must be string/);
      expect(found['schema.error']).toMatch(/^valid: /);
    }
  });
});
