/**
 * @module transport/fixture-file
 * One fixture file per (target, model, case): the exchanges of that case with their provenance. JSON bodies are
 * stored as JSON with every number's original lexeme (lossless-json), streams as the reads that arrived with
 * their times, anything else as text. A file is validated against the fixture schema before use, and written
 * atomically (temp + rename, the temp removed on every failure) after a last scan for credentials.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { isSpecialFile, readRegularFile, specialKind } from '../regular-file.ts';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { writeFileAtomic, type FileWriter } from '../atomic-write.ts';
import { bodyText, parseLosslessText, rememberReadBody } from './body.ts';
import { isStreamResponse, type Exchange, type ExchangeResponse } from './exchange.ts';
import { atPosition, FIXTURE_FORMAT, FIXTURE_FORMAT_1, FIXTURE_FORMATS, fixtureFormatFor, fixtureProblem, newerFormat, positionIn, syntaxErrorAt, type FixtureFormat, type StoredExchange, type StoredFixture, type StoredResponse } from './fixture-schema.ts';
import { isStringifiedWithIndent, nestsShallowly, readsLosslessly } from './plain-json.ts';
import { redactedHeaderNames } from './redact-exchange.ts';
import { scanForSecrets } from './secret-scan.ts';

export { FIXTURE_FORMAT, FIXTURE_FORMAT_1, fixtureFormatFor };

export type FixtureProvenance = StoredFixture['provenance'];

export interface FixtureFile {
  format: FixtureFormat;
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
  if (response.contentEncoding !== undefined) stored.contentEncoding = response.contentEncoding;
  if (response.stalledAfterMs !== undefined) stored.stalledAfterMs = response.stalledAfterMs;
  const text = bodyText(response);
  if (isStreamResponse(response) || response.truncatedAtBytes !== undefined || response.stalledAfterMs !== undefined) {
    stored.chunks = response.chunks.map((c) => ({ t: c.t, data: c.data }));
    return stored;
  }
  const json = text.trim() ? parseLosslessText(text) : undefined;
  // A body nested thousands deep is kept as its text: lossless-json reads it, but writing it back would run out of
  // stack (the whole model's recording lost); replay reads the text as it reads a recorded stream's.
  if (json?.ok && nestsShallowly(text, json.value)) stored.json = json.value;
  else stored.text = text;
  return stored;
}

function requestBodyValue(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function storeExchange(ex: Exchange): StoredExchange {
  return {
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
    ...(ex.trial !== undefined && ex.trial > 1 ? { trial: ex.trial } : {}),
  };
}

export function serializeFixture(fixture: FixtureFile): string {
  const redactions = fixture.exchanges.reduce((sum, ex) => sum + (ex.redactions ?? 0), 0);
  const stored = {
    format: fixture.format,
    model: fixture.model,
    case: fixture.case,
    provenance: { ...fixture.provenance, ...(redactions > 0 ? { redactions } : {}) },
    exchanges: fixture.exchanges.map(storeExchange),
  };
  return `${stringifyLossless(stored, undefined, 2)}\n`;
}

/**
 * A fixture's text without the byte-order mark an editor may have saved it with (Windows' UTF-8): the recording is
 * intact, and called "not valid JSON, record it again" a good recording was deleted and paid for again.
 */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A fixture file's text as JSON (a leading byte-order mark is no part of it): for the readers that want one field. */
export function fixtureJson(text: string): unknown {
  return JSON.parse(withoutBom(text)) as unknown;
}

/** A fixture's text, validated: anything that is not a fixture is HARNESS_RECORDING_INVALID naming the file and the first bad field. */
export function parseFixture(saved: string, file: string): FixtureFile {
  const text = withoutBom(saved);
  const invalid = (why: string) => new HarnessError('HARNESS_RECORDING_INVALID', `${file} ${why}; delete it and record it again with --mode record`);
  if (!text.trim()) throw invalid('is empty');
  let plain: unknown;
  // Only a file with a number JSON.parse would rewrite, or a repeated key, is read again by lossless-json (slow); a
  // file as serializeFixture wrote it is not even scanned for them.
  let lossless: { exchanges: { response: { json?: unknown } | null }[] } | undefined;
  try {
    plain = JSON.parse(text);
  } catch {
    // A line that starts with a merge-conflict marker is never JSON: it is looked for only in a file that is not.
    const conflict = /^(<{7}|={7}|>{7})(?: |$)/m.exec(text);
    if (conflict) throw invalid(`has merge-conflict markers (line ${text.slice(0, conflict.index).split('\n').length}: ${conflict[1]})`);
    // JSON.parse's message quotes the file's bytes (a file linked in from elsewhere, an endpoint's text): only where.
    throw invalid(`is not valid JSON${atPosition(text, syntaxErrorAt(text))} (truncated or damaged)`);
  }
  try {
    if (!isStringifiedWithIndent(text, plain) && !readsLosslessly(text, plain)) lossless = parseLossless(text) as typeof lossless;
  } catch (cause) {
    const message = (cause as Error).message;
    const key = /^Duplicate key '(.*)' encountered/s.exec(message)?.[1];
    const said = key === undefined ? 'unreadable' : `Duplicate key '${JSON.stringify(key.slice(0, 80)).slice(1, -1)}'`;
    throw invalid(`is not valid JSON${atPosition(text, positionIn(message))} (${said})`);
  }
  const format = newerFormat(plain);
  const newer = `upgrade mantle-conformance to replay it (to replace it with this version's recording instead: --mode record --overwrite-failures)`;
  if (format) throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} was written by a newer mantle-conformance (format ${JSON.stringify(format)}; this version reads ${FIXTURE_FORMAT}): ${newer}`);
  const problem = fixtureProblem(plain);
  // A newer version's recording is a good one: the fix is an upgrade, never deleting it.
  if (problem?.newer) {
    throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} cannot be read by this version: ${problem.text}: written by a newer mantle-conformance, or edited by hand? upgrade mantle-conformance to replay it, or record the case again with this one (--mode record --overwrite-failures: a record run keeps it otherwise)`);
  }
  if (problem) throw invalid(`is not a fixture: ${problem.text}`);
  const stored = plain as StoredFixture;
  const exchanges = shallowEnough(invalid, () => stored.exchanges.map((ex, index): Exchange => {
    let response: ExchangeResponse | null = null;
    if (ex.response) {
      const r = ex.response;
      let chunks: { t: number; data: string }[];
      const json = r.chunks ? undefined : r.json === undefined ? undefined : { plain: r.json, lossless: lossless?.exchanges[index]!.response!.json };
      if (r.chunks) chunks = r.chunks;
      else if (json) chunks = [{ t: 0, data: (json.lossless === undefined ? JSON.stringify(json.plain) : stringifyLossless(json.lossless)) ?? '' }];
      else chunks = r.text ? [{ t: 0, data: r.text }] : [];
      response = { status: r.status, headers: redactedHeaderNames(r.headers), chunks };
      // The checks read this body as JSON: it was just read.
      if (json) rememberReadBody(response, json.plain, json.lossless);
      if (r.truncatedAtBytes !== undefined) response.truncatedAtBytes = r.truncatedAtBytes;
      if (r.contentEncoding !== undefined) response.contentEncoding = r.contentEncoding;
      if (r.stalledAfterMs !== undefined) response.stalledAfterMs = r.stalledAfterMs;
    }
    const body = ex.request.body;
    return {
      step: ex.step,
      prefix: ex.prefix,
      ...(ex.trial !== undefined && ex.trial > 1 ? { trial: ex.trial } : {}),
      request: {
        method: ex.request.method,
        path: ex.request.path,
        headers: ex.request.headers,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      },
      response,
      // The schema allows only the harness's own codes.
      error: ex.error as Exchange['error'],
      durationMs: ex.durationMs,
      ...(ex.headersMs !== undefined ? { headersMs: ex.headersMs } : {}),
      attempts: ex.attempts,
    };
  }));
  return { format: stored.format, model: stored.model, case: stored.case, provenance: stored.provenance, exchanges };
}

/**
 * What `read` returns, or `invalid`'s error when it runs out of stack: a body is written back as text
 * (JSON.stringify recurses), and one nested thousands deep is no recording's (storeResponse keeps such a body as its
 * text), so the file was edited; said so, not as "Maximum call stack size exceeded".
 */
function shallowEnough<T>(invalid: (why: string) => Error, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw invalid('holds a body nested too deep to read (a recording keeps such a body as its text)');
    throw error;
  }
}

/**
 * False only when `file` is not in its folder, which the caller listed (so the folder is one): a stat that finds no
 * entry there means no file, and any other failure leaves the answer to the read. (Since Node 23.9 such a stat also
 * answers nothing for a parent that is not a folder: hence only under a folder that was listed.)
 */
function recorded(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** How many trials exchanges hold: their highest trial (1 without trial tags, or none). */
export function trialsIn(exchanges: readonly Pick<Exchange, 'trial'>[]): number {
  return Math.max(1, ...exchanges.map((ex) => ex.trial ?? 1));
}

/**
 * The fixture in `file`, or null when there is none; a file that cannot be read or used is HARNESS_RECORDING_INVALID.
 * `notListed`: the caller listed the file's folder and did not see it there.
 */
export async function readFixture(file: string, notListed = false): Promise<FixtureFile | null> {
  // A replay asks for a thousand or more files that were never recorded (cases of APIs a model does not serve): a
  // stat that answers undefined costs a fraction of the ENOENT error a read throws. Other failures: the read says.
  if (notListed && !recorded(file)) return null;
  let text: string;
  try {
    // A replay reads thousands of small files and has nothing else to wait on: a synchronous read costs a fraction
    // of the open, stat, read and close the promise API queues one by one on the thread pool.
    text = readNotFollowing(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // A FIFO, a socket or a device is no recording: refused as a link is, never waited on (readNotFollowing).
    const info = lstatSync(file, { throwIfNoEntry: false });
    if (info && isSpecialFile(info)) throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} is not a regular file (${specialKind(info)}); replay reads only the recordings a record run writes. Remove it and record the case again with --mode record`);
    if ((code === 'ELOOP' || code === 'EMLINK' || code === 'SYMLINK') && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new HarnessError('HARNESS_RECORDING_INVALID', `${file} is a symbolic link; replay reads only files inside --fixtures. Replace it with a copy of the recording it points to, or record the case again with --mode record`);
    }
    throw new HarnessError('HARNESS_RECORDING_INVALID', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseFixture(text, file);
}

/**
 * A file's text, refusing a symbolic link (error code ELOOP, as O_NOFOLLOW makes the open fail): a link in the
 * fixtures folder would have replay read, and quote in its reports, any file the link points to. One open, as a
 * plain read does; where the flag does not exist (Windows) an lstat first.
 */
function readNotFollowing(file: string): string {
  const noFollow = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW;
  if (noFollow === undefined) {
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) throw Object.assign(new Error(`${file} is a symbolic link`), { code: 'SYMLINK' });
    return readFileSync(file, 'utf8');
  }
  // O_NONBLOCK: a FIFO opened to read waits for a writer, and the run with it (no signal could end it); refused above.
  const fd = openSync(file, constants.O_RDONLY | noFollow | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile() && !info.isDirectory()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'NOTFILE' });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a fixture atomically. Its exchanges were redacted when they arrived; this scan is the last net: any of
 * the run's own `secrets`, or anything shaped like an AWS key or a bearer token, refuses the write.
 */
export async function writeFixture(file: string, fixture: FixtureFile, secrets: readonly string[], io?: FileWriter): Promise<void> {
  const text = serializeFixture(fixture);
  const found = scanForSecrets(text, secrets);
  if (found.length > 0) {
    throw new HarnessError(
      'HARNESS_SECRET_IN_FIXTURE',
      `refusing to write ${file}: it contains ${found.join(', ')}. Nothing was written; check what the endpoint echoes back and report it.`,
    );
  }
  await writeFileAtomic(file, text, io);
}

/** The model folders of `target`'s recordings under `root`, in name order (none when it cannot be read). */
export async function modelFolders(root: string, target: string): Promise<string[]> {
  const dir = join(root, folderName(target));
  return (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => join(dir, e.name)).sort();
}

/** The `.json` files of a model folder, in name order. */
export async function jsonFilesIn(folder: string): Promise<string[]> {
  return (await readdir(folder, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(folder, e.name)).sort();
}

/**
 * Whether `path` is a recording the harness made: a regular file (never a link) holding a JSON object of the
 * fixture format with its model, case and exchanges, at the place `fixturePath` gives them (`<model>/<case>.json`,
 * each name by `folderName`): a copy the user made beside it (`<case>.before-upgrade.json`) is the user's. `target`:
 * the target folder the file was found under, which it must be exactly two levels below (`<target>/<model>/<case>.json`):
 * a model's folder copied into a folder of the user's (`<target>/backup/<model>/...`) is the user's, however its files
 * read. The one rule of what `fixtures prune` may remove and `fixtures` may replace. Not the whole schema: one holding
 * a value this version does not know (a newer version's, or a hand edit) is kept by both, and named (fixture-prune.ts).
 */
export async function isHarnessFixture(path: string, target?: string): Promise<boolean> {
  if (target !== undefined && dirname(dirname(resolve(path))) !== resolve(target)) return false;
  if (!(await lstat(path).catch(() => undefined))?.isFile()) return false;
  try {
    const value = fixtureJson(await readFile(path, 'utf8')) as Partial<Record<'format' | 'model' | 'case' | 'exchanges', unknown>> | null;
    if (typeof value !== 'object' || value === null || !(FIXTURE_FORMATS as readonly unknown[]).includes(value.format) || !Array.isArray(value.exchanges)) return false;
    if (typeof value.model !== 'string' || typeof value.case !== 'string') return false;
    return basename(path) === `${folderName(value.case)}.json` && basename(dirname(resolve(path))) === folderName(value.model);
  } catch {
    return false;
  }
}

/**
 * Why this version cannot read `file` for what a newer one may have written (a newer format, a value it does not
 * know), else undefined: the rule a record run and `fixtures prune` keep such a file by.
 */
export async function newerFixture(file: string): Promise<string | undefined> {
  const value: unknown = await readRegularFile(file, { most: Number.POSITIVE_INFINITY }).then((text) => (text === undefined ? undefined : fixtureJson(text))).catch(() => undefined);
  const format = newerFormat(value);
  if (format) return `format ${JSON.stringify(format)}: a newer mantle-conformance wrote it`;
  const problem = value === undefined ? undefined : fixtureProblem(value);
  return problem?.newer ? `${problem.text}: a newer mantle-conformance may have written it, or a hand edit` : undefined;
}
