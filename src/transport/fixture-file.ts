/**
 * @module transport/fixture-file
 * One fixture file per (target, model, case): the exchanges of that case with their provenance. JSON bodies are
 * stored as JSON with every number's original lexeme (lossless-json), streams as the reads that arrived with
 * their times, anything else as text. Files are written atomically (temp + rename) after a secret scan.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { bodyText } from './body.ts';
import { isStreamResponse, type Exchange, type ExchangeResponse } from './exchange.ts';
import { scanForSecrets } from './secret-scan.ts';

export const FIXTURE_FORMAT = 'mantle-conformance.fixture/1';

export interface FixtureProvenance {
  /** `live` for a real endpoint, `emulator` for the bundled emulator. */
  source: 'live' | 'emulator';
  target: string;
  endpointHost: string | null;
  region: string | null;
  recordedAt: string;
  harnessVersion: string;
}

interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON body, numbers with their original lexemes. */
  json?: unknown;
  /** A non-JSON, non-stream body. */
  text?: string;
  /** A streamed body: each read with its time since the headers. */
  chunks?: { t: number; data: string }[];
  truncatedAtBytes?: number;
}

interface StoredExchange {
  step: string;
  prefix: string;
  request: { method: Exchange['request']['method']; path: string; headers: Record<string, string>; body?: unknown };
  response: StoredResponse | null;
  error: Exchange['error'];
  durationMs: number;
  headersMs?: number;
  attempts: number;
  /** The trial of a repeated case (absent: the first). */
  trial?: number;
}

export interface FixtureFile {
  format: typeof FIXTURE_FORMAT;
  model: string;
  case: string;
  provenance: FixtureProvenance;
  exchanges: Exchange[];
}

/**
 * `fixtures/<target>/<model>/<case>.json`, each name encoded by `folderName` (ids Mantle uses read as they are;
 * `x:y`, `x_y` and `x/y` get three distinct folders).
 */
export function fixturePath(root: string, target: string, model: string, caseId: string): string {
  return join(root, folderName(target), folderName(model), `${folderName(caseId)}.json`);
}

function storeResponse(response: ExchangeResponse): StoredResponse {
  const stored: StoredResponse = { status: response.status, headers: response.headers };
  if (response.truncatedAtBytes !== undefined) stored.truncatedAtBytes = response.truncatedAtBytes;
  const text = bodyText(response);
  if (isStreamResponse(response) || response.truncatedAtBytes !== undefined) {
    stored.chunks = response.chunks.map((c) => ({ t: c.t, data: c.data }));
    return stored;
  }
  const json = tryLossless(text);
  if (json !== undefined) stored.json = json;
  else stored.text = text;
  return stored;
}

function tryLossless(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return parseLossless(text);
  } catch {
    return undefined;
  }
}

function requestBodyValue(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function serializeFixture(fixture: FixtureFile): string {
  const stored = {
    format: fixture.format,
    model: fixture.model,
    case: fixture.case,
    provenance: fixture.provenance,
    exchanges: fixture.exchanges.map(
      (ex): StoredExchange => ({
        step: ex.step,
        prefix: ex.prefix,
        request: {
          method: ex.request.method,
          path: ex.request.path,
          headers: ex.request.headers,
          ...(ex.request.body !== undefined ? { body: requestBodyValue(ex.request.body) } : {}),
        },
        response: ex.response ? storeResponse(ex.response) : null,
        error: ex.error,
        durationMs: ex.durationMs,
        ...(ex.headersMs !== undefined ? { headersMs: ex.headersMs } : {}),
        attempts: ex.attempts,
        ...(ex.trial !== undefined ? { trial: ex.trial } : {}),
      }),
    ),
  };
  return `${stringifyLossless(stored, undefined, 2)}\n`;
}

export function parseFixture(text: string, file: string): FixtureFile {
  let plain: { format?: string; model: string; case: string; provenance: FixtureProvenance; exchanges: StoredExchange[] };
  let lossless: { exchanges: { response: { json?: unknown } | null }[] };
  try {
    plain = JSON.parse(text);
    lossless = parseLossless(text) as typeof lossless;
  } catch (cause) {
    throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} is not valid JSON (${(cause as Error).message}); delete it and record again with --mode record`, { cause });
  }
  if (plain.format !== FIXTURE_FORMAT) {
    throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} has format ${JSON.stringify(plain.format)}, expected "${FIXTURE_FORMAT}"; record it again with --mode record`);
  }
  const exchanges = plain.exchanges.map((ex, index): Exchange => {
    let response: ExchangeResponse | null = null;
    if (ex.response) {
      const r = ex.response;
      let chunks: { t: number; data: string }[];
      if (r.chunks) chunks = r.chunks;
      else if (r.json !== undefined) chunks = [{ t: 0, data: stringifyLossless(lossless.exchanges[index]!.response!.json) ?? '' }];
      else chunks = r.text ? [{ t: 0, data: r.text }] : [];
      response = { status: r.status, headers: r.headers, chunks };
      if (r.truncatedAtBytes !== undefined) response.truncatedAtBytes = r.truncatedAtBytes;
    }
    const body = ex.request.body;
    return {
      step: ex.step,
      prefix: ex.prefix,
      request: {
        method: ex.request.method,
        path: ex.request.path,
        headers: ex.request.headers,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      },
      response,
      error: ex.error,
      durationMs: ex.durationMs,
      ...(typeof ex.headersMs === 'number' ? { headersMs: ex.headersMs } : {}),
      attempts: ex.attempts,
      ...(typeof ex.trial === 'number' && ex.trial > 1 ? { trial: ex.trial } : {}),
    };
  });
  return { format: FIXTURE_FORMAT, model: plain.model, case: plain.case, provenance: plain.provenance, exchanges };
}

export async function readFixture(file: string): Promise<FixtureFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HarnessError('HARNESS_RECORDING_INVALID', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseFixture(text, file);
}

/**
 * Writes a fixture atomically after scanning it for credentials. `secrets` are the exact values the run's auth
 * used; any of them, or anything shaped like an AWS key or a bearer token, refuses the write.
 */
export async function writeFixture(file: string, fixture: FixtureFile, secrets: readonly string[]): Promise<void> {
  const text = serializeFixture(fixture);
  const found = scanForSecrets(text, secrets);
  if (found.length > 0) {
    throw new HarnessError(
      'HARNESS_SECRET_IN_FIXTURE',
      `refusing to write ${file}: it contains ${found.join(', ')}. Nothing was written; check what the endpoint echoes back and report it.`,
    );
  }
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
