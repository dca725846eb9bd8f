/**
 * @module checks/schema-unread
 * What schema.* did not read, and whose doing that was: the cases of its API that ended in an error beside those it
 * judged (named in its reason; a case a record run left unrecorded makes a `valid` an error), and whether a case asked
 * for an object of the kind at all (no stream asked, no chunk to read: the suite's doing, not the endpoint's).
 */
import type { Exchange } from '../transport/exchange.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { evidenceOf, unobserved } from './judge.ts';
import type { SchemaKind } from './schemas/schema-set.ts';
import type { CheckInput, CheckResult } from './types.ts';

/** The kinds read from a stream's events. */
export const STREAM_KINDS: ReadonlySet<SchemaKind> = new Set(['chat-completion-chunk', 'response-event', 'anthropic-event']);

/** Whether a request could have been answered with an object of `kind`: a stream for the stream kinds, else a request that is no stream (the error kind: any). */
export function asksFor(kind: SchemaKind, exchange: Exchange): boolean {
  if (kind === 'error') return true;
  let streams = false;
  try {
    streams = (JSON.parse(exchange.request.body ?? '{}') as { stream?: unknown } | null)?.stream === true;
  } catch {
    // A body that is not JSON asked for no stream.
  }
  if (STREAM_KINDS.has(kind)) return streams;
  return !streams && (kind !== 'response' || (exchange.request.method !== 'DELETE' && !exchange.request.path.includes('/input_items')));
}

/**
 * A verdict read from the other cases, with the cases of its API that ended in an error named: never a silent
 * `valid`. A case a record run did not record (HARNESS_RECORDING_KEPT: a file at its path it cannot read, an outage,
 * another model's answers) leaves the fixture set the next replay reads unjudged here: an error, not a pass.
 */
export function withCasesNotRead(input: CheckInput, api: ApiId | null, kind: SchemaKind, verdict: CheckResult): CheckResult {
  const errored = input.outcomes.flatMap((o) => (o.kind === 'error' && (api === null || o.api === api) ? [o] : []));
  if (errored.length === 0) return verdict;
  const kept = errored.find((o) => o.error.code === 'HARNESS_RECORDING_KEPT');
  if (kept && verdict.observed === 'valid') {
    return unobserved(input, `could not observe every ${kind} object: case ${kept.caseId} was not recorded (${kept.error.code}: ${kept.error.message}); ${verdict.reason}`, kept.exchanges.slice(0, 1).map((ex) => evidenceOf(kept.caseId, ex)));
  }
  const named = [...new Set(errored.map((o) => `${o.caseId} (${o.error.code})`))];
  return { ...verdict, reason: `${verdict.reason}; not read: ${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''} ended in an error` };
}
