/**
 * The real-payload test vectors (test/vectors/*.json) as exchanges and case outcomes the checks read. JSON bodies
 * keep their number lexemes (`1.772195752e+09` stays an exponent), streams become SSE chunks.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import type { CaseOutcome } from '../../src/checks/types.ts';
import type { ApiId } from '../../src/suite/suite-schema.ts';
import type { Exchange, ExchangeError } from '../../src/transport/exchange.ts';
import { ROOT } from './harness.ts';

export const VECTOR_DIR = join(ROOT, 'test/vectors');

export interface Vector {
  file: string;
  source: string;
  model: string | null;
  region: string | null;
  note?: string;
  request: { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown };
  response: { status: number; headers?: Record<string, string>; json?: unknown; text?: string; events?: unknown[] } | null;
  error?: ExchangeError;
}

function problemsOf(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof value.source !== 'string' || value.source.length < 20) problems.push('no source');
  const request = value.request as Record<string, unknown> | undefined;
  if (!request || typeof request.path !== 'string' || !['GET', 'POST', 'DELETE'].includes(String(request.method))) problems.push('no request method and path');
  const response = value.response as Record<string, unknown> | null | undefined;
  if (response === undefined) problems.push('no response (null when none came)');
  else if (response === null && !value.error) problems.push('response: null needs an error');
  else if (response && [response.json, response.text, response.events].filter((b) => b !== undefined).length !== 1) problems.push('a response needs exactly one of json, text, events');
  return problems;
}

let loaded: Promise<Map<string, Vector>> | undefined;

/** Every vector by file name (without .json); a malformed file throws, naming it. */
export function loadVectors(): Promise<Map<string, Vector>> {
  loaded ??= (async () => {
    const vectors = new Map<string, Vector>();
    for (const name of (await readdir(VECTOR_DIR)).filter((f) => f.endsWith('.json')).sort()) {
      const text = await readFile(join(VECTOR_DIR, name), 'utf8');
      // Only the answer's body keeps its lexemes; status codes and the rest are plain numbers.
      const value = JSON.parse(text) as Record<string, unknown>;
      const lossless = parse(text) as { response?: { json?: unknown; events?: unknown[] } | null };
      if (value.response && lossless.response) Object.assign(value.response, { json: lossless.response.json, events: lossless.response.events });
      const problems = problemsOf(value);
      if (problems.length) throw new Error(`test/vectors/${name}: ${problems.join('; ')}`);
      vectors.set(name.replace(/\.json$/, ''), { ...(value as unknown as Vector), file: name });
    }
    return vectors;
  })();
  return loaded;
}

export async function vector(name: string): Promise<Vector> {
  const found = (await loadVectors()).get(name);
  if (!found) throw new Error(`no test/vectors/${name}.json`);
  return found;
}

/** A request body as the harness would send it: plain JSON text. */
const plainJson = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (isLosslessNumber(v) ? Number(v.value) : v));

/** What a vector's answer puts on the wire: its headers and the body as it arrives, one SSE event per read. */
export function wireOf(response: NonNullable<Vector['response']>): { status: number; headers: Record<string, string>; reads: string[] } {
  const stream = response.events !== undefined;
  const headers = { 'content-type': stream ? 'text/event-stream' : response.json !== undefined ? 'application/json' : 'text/plain', ...(response.headers ?? {}) };
  const reads = stream ? response.events!.map((e) => `data: ${typeof e === 'string' ? e : stringify(e)}\n\n`) : [response.json !== undefined ? (stringify(response.json) ?? '') : (response.text ?? '')];
  return { status: response.status, headers, reads };
}

/** The vector as one exchange (with `prefix` taken from its path). */
export function exchangeOf(v: Vector, step = 'main'): Exchange {
  const prefix = ['/openai/v1', '/anthropic/v1', '/v1'].find((p) => v.request.path.startsWith(`${p}/`)) ?? '';
  const request = { method: v.request.method, path: v.request.path, headers: { 'content-type': 'application/json' }, ...(v.request.body !== undefined ? { body: plainJson(v.request.body) } : {}) };
  if (!v.response) return { step, prefix, request, response: null, error: v.error ?? { code: 'HARNESS_TIMEOUT', message: 'no answer' }, durationMs: 0, attempts: 1 };
  const { status, headers, reads } = wireOf(v.response);
  return { step, prefix, request, response: { status, headers, chunks: reads.map((data, t) => ({ t, data })) }, error: null, durationMs: 1, attempts: 1 };
}

/** A completed case outcome made of vectors' exchanges. */
export function outcomeOf(caseId: string, api: ApiId, exchanges: Exchange[]): CaseOutcome {
  return { kind: 'completed', caseId, api, exchanges };
}
