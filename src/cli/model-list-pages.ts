/**
 * @module cli/model-list-pages
 * One prefix's model list, read whole or said not to be. A list that is one page of several, or a prefix that
 * failed, must never pass for the whole list: `catalog diff` would say "nothing new" about ids it never saw, and
 * `--models listed` would leave them untested without a word. So each prefix ends in one of three ways: a list (every
 * page read), no list there (a 404 or another plain 4xx: the normal "this prefix has no /models" on Mantle), or
 * a list with a named missing part (a failure, a page it could not continue past, a cap).
 */
import { inertLine } from '../report/inert-text.ts';
import { loneSurrogate } from '../suite/templates.ts';
import { classifyAnswer, errorInSuccess } from '../transport/classify-response.ts';
import { bodyText, excerpt, jsonObject, parseJsonText } from '../transport/body.ts';
import { GATEWAY_WORDS, heldFailure, readError } from '../transport/error-fault.ts';
import type { Exchange, ExchangeResponse } from '../transport/exchange.ts';
import { isHtml } from '../transport/stand-in-answer.ts';
import { statusMessageFailure } from '../transport/status-message.ts';

/** The most ids one list may give the run: a list longer than this is an endpoint misbehaving, not a catalog. */
export const MAX_LISTED = 2000;
/** The most pages followed on one prefix: a real catalog is a few pages; more is an endpoint paging without end. */
export const MAX_PAGES = 20;
/** A cursor longer than this is not an id to send back (it would make an unbounded URL). */
const MAX_CURSOR = 1000;

/** What one exchange said of the list: a page of it, no list on this prefix, or a failure that hides it. */
export type PageRead =
  | { kind: 'page'; ids: unknown[]; more: boolean; next?: string; stuck?: string }
  | { kind: 'none'; why: string }
  | ({ kind: 'failed' } & Failure);

/**
 * Why a page hides the list: `why` in the harness's words (a list's source and `missing` carry it); `said`, the
 * endpoint's own words about it, quoted inert and bounded, for the error of a target with no list only; `outage`,
 * what came says the endpoint failed (a 5xx, a server failure said in a 2xx): "try again later" fits it alone.
 */
interface Failure {
  why: string;
  said?: string;
  unreached?: string;
  page?: true;
  outage?: true;
}

/** What a 2xx HTML page in place of a list is said as, after its status: the page's text is the endpoint's, not quoted. */
const HTML_PAGE = 'with an HTML page, not a JSON model list';

/**
 * The transport's own failures: the endpoint was never reached, its answer was cut short, or what came is no answer
 * (a body past its Content-Length, a 101, an HTML page from a proxy), and the exchange's message says why (a proxy
 * too). A list cut short said only "HARNESS_STREAM_CUT" and "name the models"; one past its length, only the code.
 */
const UNREACHED = new Set(['HARNESS_CONNECTION', 'HARNESS_TIMEOUT', 'HARNESS_STREAM_CUT', 'HARNESS_NOT_AN_ANSWER']);

/** One prefix's reading: the raw ids of every page read, how many pages, and what could not be read, if anything. */
export interface PrefixRead {
  path: string;
  /** Null: the prefix has no list (a 404): normal, nothing is missing. */
  ids: unknown[] | null;
  pages: number;
  /** The part of the list not read (harness words only, never endpoint text); absent when it was read whole. */
  missing?: string;
  /** Why no page was read: the first answer, for the error when no prefix lists. */
  first: string;
  /**
   * When page 1 got no (whole) answer (HARNESS_CONNECTION, HARNESS_TIMEOUT, HARNESS_STREAM_CUT, HARNESS_NOT_AN_ANSWER): the exchange's own
   * message, which names the proxy on the way and its fix (transport/proxy-failure.ts) or the cut, and the attempts
   * made. The harness's words, redacted; live reads only.
   */
  unreached?: string;
  /** Page 1 was a 2xx HTML page (HTML_PAGE): the base URL or something in front of it, not an outage. */
  page?: true;
  /** Page 1 says the endpoint failed (Failure.outage). */
  outage?: true;
}

/** How many characters of the endpoint's words a 2xx that is no list quotes: "Invalid API key", never a page of text. */
const SAID_MAX = 120;

/**
 * A 2xx that is no model list, said as what came: an HTML page, an empty body, an error body or a gateway's message
 * (its words quoted), other text. The transport calls most of these an outage (HARNESS_SERVER_ERROR: a 2xx with no
 * answer in it), and "an HTTP 5xx: try again later" then sent the user to wait out `{"error":"Invalid API key"}`:
 * only words that say a server or a gateway failed (transport/error-fault.ts) make one an outage here. Undefined for
 * a body that says none of these (JSON malformed partway, or with neither a list nor an error in it).
 */
function notAList(response: ExchangeResponse): Failure | undefined {
  const text = bodyText(response);
  const at = `HTTP ${response.status}`;
  if (isHtml(response, text)) return { why: `${at} ${HTML_PAGE}`, page: true };
  if (!text.trim()) return { why: `${at} with an empty body, not a model list` };
  // The endpoint's words are data: one line, bounded, quoted, inert (a terminal's escapes, a CI log's `::error::`).
  const quote = (words: string) => inertLine(JSON.stringify(excerpt(words, SAID_MAX)), 400);
  const parsed = parseJsonText(text);
  if (!parsed.ok) return /^\s*[[{]/.test(text) ? undefined : { why: `${at} with a text body, not a model list`, said: quote(text), ...(GATEWAY_WORDS.test(text.slice(0, 1000)) ? { outage: true } : {}) };
  const error = errorInSuccess(parsed.value);
  if (error !== undefined) {
    const words = typeof error === 'string' ? error : (readError(error).message ?? JSON.stringify(error));
    return { why: `${at} with an error body, not a model list`, said: quote(words), ...(heldFailure(error) !== undefined ? { outage: true } : {}) };
  }
  const gateway = statusMessageFailure(text);
  return gateway === undefined ? undefined : { why: `${at} with a gateway's message, not a model list`, said: quote(gateway), outage: true };
}

/** A prefix whose first page hid the list: `missing` names it in the harness's words, `first` adds the endpoint's. */
function failedPrefix(path: string, at: string, read: Failure): PrefixRead {
  const { why, said, unreached, page, outage } = read;
  return { path, ids: null, pages: 0, missing: `${at}: ${why}`, first: said ? `${why} (${said})` : why, ...(unreached ? { unreached } : {}), ...(page ? { page } : {}), ...(outage ? { outage } : {}) };
}

/** Answers that hide the list rather than say there is none: they make a list incomplete, never absent. */
const FAILURES = new Set(['server-error', 'throttled', 'auth-rejected', 'budget-exceeded', 'forbidden']);

/**
 * What one `GET <prefix>/models` answer holds. Like `models.listed` (src/checks/errors-discovery.ts): a 404, 405 or
 * another plain 4xx says there is no list here; a failure (no answer, a 5xx, a 429, credentials refused, a 2xx
 * whose body is not a readable list) hides one. The next cursor is `last_id`, else the last item's id, as the
 * official OpenAI clients page (`?after=<id>`).
 */
export function readPage(exchange: Exchange): PageRead {
  const response = exchange.response;
  // A 2xx with no list in it (a login page, a site's page at a wrong base URL, "Invalid API key" said in a 200) is an
  // outage to the transport, which knows no better; in place of a model list it is rarely one, and "a 5xx: try again
  // later" sent the user to wait for what waiting does not fix. Said as what came (notAList).
  if (exchange.error?.code === 'HARNESS_SERVER_ERROR' && response && response.status < 300) return { kind: 'failed', ...(notAList(response) ?? { why: `HTTP ${response.status} with no readable list in the body` }) };
  if (exchange.error || !response) {
    const tries = exchange.attempts > 1 ? ` (after ${exchange.attempts} attempts)` : '';
    const outage = exchange.error?.code === 'HARNESS_SERVER_ERROR' ? { outage: true as const } : {};
    return { kind: 'failed', why: exchange.error?.code ?? 'no answer', ...outage, ...(exchange.error && UNREACHED.has(exchange.error.code) ? { unreached: `${exchange.error.message}${tries}` } : {}) };
  }
  // A body that stalled was not read whole (checks/stalled-body.ts): it hides the list, said as a stall, never as a
  // malformed body; not "no list there" either, whatever its status began to say.
  if (response.stalledAfterMs !== undefined) return { kind: 'failed', why: `HTTP ${response.status} whose body stalled (no data for ${response.stalledAfterMs} ms after ${bodyText(response).length} character(s))` };
  if (response.status >= 300) {
    const kind = classifyAnswer(response).kind;
    return FAILURES.has(kind) ? { kind: 'failed', why: `HTTP ${response.status}`, ...(response.status >= 500 ? { outage: true } : {}) } : { kind: 'none', why: `HTTP ${response.status}` };
  }
  const body = jsonObject(response);
  // A client's fault said in a 200 (`invalid_request_error`: no outage to the transport) is said as what came too.
  if (response.truncatedAtBytes !== undefined || !body || !Array.isArray(body.data)) return { kind: 'failed', ...((response.truncatedAtBytes === undefined ? notAList(response) : undefined) ?? { why: `HTTP ${response.status} with no readable list in the body` }) };
  const ids = body.data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined));
  const more = body.has_more === true;
  const last = typeof body.last_id === 'string' ? body.last_id : ids.at(-1);
  const stuck = more ? cursorProblem(last) : undefined;
  return { kind: 'page', ids, more, ...(stuck ? { stuck } : more ? { next: last as string } : {}) };
}

/**
 * Why a page's cursor cannot be sent back as `?after=`, in the harness's words (the cursor is the endpoint's text):
 * none, one too long for a URL, or one that is not well-formed text (a lone surrogate, which percent-encoding
 * refuses). Each leaves the rest of the list unread, said, never a crash.
 */
function cursorProblem(last: unknown): string | undefined {
  if (typeof last !== 'string' || last === '') return 'gives no last_id to continue from';
  if (last.length > MAX_CURSOR) return `gives a last_id of ${last.length} characters (more than ${MAX_CURSOR}), not sent back`;
  const lone = loneSurrogate(last);
  return lone ? `gives a last_id that holds ${lone}, which no URL can carry` : undefined;
}

/**
 * Every page of one prefix's list, sent one after the other with `send`, bounded: at most MAX_PAGES pages and
 * MAX_LISTED ids, and never a cursor already sent (an endpoint that ignores `after` answers page 1 again: that is a
 * loop, not more ids). Stopping early for any of these is said in `missing`, never silent.
 */
export async function readPrefix(prefix: string, send: (path: string) => Promise<Exchange>): Promise<PrefixRead> {
  const path = `${prefix}/models`;
  const ids: unknown[] = [];
  const sent = new Set<string>();
  let url = path;
  for (let page = 1; ; page++) {
    const read = readPage(await send(url));
    const at = page === 1 ? `GET ${path}` : `GET ${path} page ${page}`;
    if (read.kind !== 'page') {
      if (page === 1) return read.kind === 'none' ? { path, ids: null, pages: 0, first: read.why } : failedPrefix(path, at, read);
      // Page 1 said there was more: whatever stops the next page (a 404 too) leaves the rest unread.
      return { path, ids, pages: page - 1, missing: `${at}: ${read.why} (pages from ${page} on not read)`, first: 'HTTP 200' };
    }
    ids.push(...read.ids);
    const stop = !read.more ? undefined
      : ids.length >= MAX_LISTED ? `stopped at ${ids.length} ids (the cap is ${MAX_LISTED}); page ${page} says has_more: true`
      : page >= MAX_PAGES ? `stopped after ${MAX_PAGES} pages; page ${page} says has_more: true`
      : read.next === undefined ? `page ${page} says has_more: true and ${read.stuck ?? 'gives no last_id to continue from'}`
      : sent.has(read.next) ? `page ${page} repeats an earlier page (the same last_id): not followed further`
      : undefined;
    if (!read.more || stop) return { path, ids, pages: page, ...(stop ? { missing: `GET ${path}: ${stop}` } : {}), first: 'HTTP 200' };
    sent.add(read.next!);
    url = `${path}?after=${encodeURIComponent(read.next!)}`;
  }
}

/**
 * A recorded list: the recording holds one answer per prefix, so a page that says `has_more: true` is a list the
 * recording does not hold whole (replay sends nothing to read the rest).
 */
export function recordedPrefix(exchange: Exchange): PrefixRead {
  const path = exchange.request.path;
  const read = readPage(exchange);
  if (read.kind === 'none') return { path, ids: null, pages: 0, first: read.why };
  // What a transport failure's message said is a live read's (PrefixRead.unreached): a recording replays no proxy.
  if (read.kind === 'failed') return failedPrefix(path, path, { ...read, unreached: undefined });
  return { path, ids: read.ids, pages: 1, ...(read.more ? { missing: `${path}: the recorded page says has_more: true; the recording holds no later page` } : {}), first: 'HTTP 200' };
}
