/**
 * @module transport/record-target
 * Live, plus one fixture file per (model, case) with provenance. Recording never makes things worse: a case whose
 * new exchanges hold an infrastructure failure (throttled, 5xx, timeout, reset, a redirect, a 2xx that carries no
 * answer, a proxy's HTML page), a body no check can read (over --max-body-bytes, or one that stalled) or a 403 that
 * denies access keeps the fixture it had, and says so as the case's
 * error, unless `overwriteFailures` asks to record the outage. A case with no fixture yet is recorded as it went,
 * so replay shows the same `error`. Files are replaced atomically.
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import type { Secret } from './auth/auth.ts';
import { bodyText, excerpt, isRecord, parseJsonText } from './body.ts';
import { classifyAnswer } from './classify-response.ts';
import { holdsSignature } from './redactor.ts';
import { describeRequest, isStreamResponse, type Exchange, type ExchangeRequest } from './exchange.ts';
import { fixturePath, linkedFixtureFolder, linkedFolderProblem, writeFixture, FIXTURE_FORMAT, type FixtureProvenance } from './fixture-file.ts';
import type { SendContext, Target } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';

export interface RecordOptions {
  fixturesDir: string;
  provenance: Omit<FixtureProvenance, 'recordedAt' | 'redactions'>;
  /** Replace a case's fixture even when the new exchanges hold an infrastructure failure (`--overwrite-failures`). @default false */
  overwriteFailures?: boolean;
}

/** Failures of the endpoint or the way to it: they say nothing about the model, so they never replace a recording. */
export const INFRASTRUCTURE_FAILURES: ReadonlySet<HarnessErrorCode> = new Set([
  'HARNESS_THROTTLED',
  'HARNESS_SERVER_ERROR',
  'HARNESS_TIMEOUT',
  'HARNESS_CONNECTION',
  'HARNESS_STREAM_CUT',
  'HARNESS_NOT_AN_ANSWER',
  'HARNESS_AUTH_REJECTED',
  // Not a failure of the way, but a body no check can read (the harness kept only its first bytes): recorded, it
  // replaced observations with nothing.
  'HARNESS_BODY_TOO_LARGE',
]);

export class RecordTarget extends TargetDecorator {
  override get mode(): 'record' {
    return 'record';
  }
  readonly #options: RecordOptions;
  readonly #secrets: () => readonly Secret[];
  /** Fixture files written by this target, for the run summary. */
  readonly written: string[] = [];
  /** Fixture files kept because the new recording held an infrastructure failure. */
  readonly kept: string[] = [];

  /** `live` sends (with retries and scheduling); `secrets` are the values the last scan before a write looks for. */
  constructor(live: Target, options: RecordOptions, secrets: () => readonly Secret[]) {
    super(live);
    this.#options = options;
    this.#secrets = secrets;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return this.inner.send(request, context);
  }

  override async caseFinished(model: string, caseId: string, exchanges: readonly Exchange[]): Promise<void> {
    if (exchanges.length === 0) return;
    const file = fixturePath(this.#options.fixturesDir, this.id, model, caseId);
    // Checked before the run too (run-command); again here, as a link may appear while the run goes.
    const linked = await linkedFixtureFolder(this.#options.fixturesDir, this.id, model);
    if (linked) throw new HarnessError('HARNESS_WRITE_FAILED', `refusing to write ${file}: ${linkedFolderProblem(linked)}`);
    const failure = outageIn(exchanges, model);
    if (failure && !this.#options.overwriteFailures && (await stat(file).catch(() => null))?.isFile()) {
      this.kept.push(file);
      const shown = relative(process.cwd(), file) || file;
      throw new HarnessError('HARNESS_RECORDING_KEPT', `${failure}; kept the previous recording ${shown} (record again later, or pass --overwrite-failures to record the outage)`);
    }
    const provenance: FixtureProvenance = { ...this.#options.provenance, recordedAt: new Date().toISOString() };
    const secrets = this.#secrets();
    // The run's signatures are thousands (Secret.hexValues): the scan gets them only when one of them is in the text,
    // looked up as the redactor does. Handed over every time, they made recording half as slow again.
    const signed = secrets.some((s) => s.hexValues?.size) && holdsSignature(JSON.stringify(exchanges), secrets);
    await writeFixture(file, { format: FIXTURE_FORMAT, model, case: caseId, provenance, exchanges: [...exchanges] }, secrets.flatMap((s) => [s.value, ...(signed ? (s.hexValues ?? []) : [])]));
    this.written.push(file);
  }
}

/**
 * Why a case's new exchanges must not replace its recording, or undefined when they are the endpoint's answers. An
 * infrastructure failure first (a body over --max-body-bytes included); then a body that stalled, other than a 2xx
 * stream's (incomplete: no check reads it); then a 403 that is not about the credentials (classify-response's `forbidden`: the
 * principal lacks a permission or access to the model, AWS's `{"message":"Forbidden"}`). That 403 is the endpoint's
 * real answer, but about the account, not the model: no check observes anything in it (its cells are `error`), so
 * recording it would only replace observations with nothing.
 */
function outageIn(exchanges: readonly Exchange[], model: string): string | undefined {
  const failure = exchanges.find((ex) => ex.error && INFRASTRUCTURE_FAILURES.has(ex.error.code))?.error;
  if (failure) return `${failure.code}: ${failure.message}`;
  // A body that went silent is incomplete; only a 2xx stream's stall is read (the stream checks judge it `stalled`).
  const stalled = exchanges.find((ex) => !ex.error && ex.response?.stalledAfterMs !== undefined && !(ex.response.status < 300 && isStreamResponse(ex.response)));
  if (stalled?.response) return `${describeRequest(stalled.request)} answered ${stalled.response.status} and its body stalled (no data for ${stalled.response.stalledAfterMs} ms): an incomplete answer no check can read`;
  // A denial of another model than the one recorded (errors.unknown-model asks for one that does not exist, and
  // "no access" is AWS's answer to that) is the answer the case is about, not the credentials' lack.
  const denied = exchanges.find((ex) => !ex.error && ex.response?.status === 403 && classifyAnswer(ex.response).kind === 'forbidden' && !asksAnotherModel(ex.request, model));
  if (!denied?.response) return undefined;
  const said = classifyAnswer(denied.response).message ?? excerpt(bodyText(denied.response), 160);
  return `${describeRequest(denied.request)} answered 403 (${excerpt(said, 160) || 'no message'}): the credentials have no access to the model or this API, which says nothing about the model`;
}

/**
 * Whether a request's JSON body names a model that is not `model` nor made from it: a denial of `us.<model>` (a
 * profile id of it) is still the credentials' lack of access to it, and a redacted id names nothing.
 */
function asksAnotherModel(request: ExchangeRequest, model: string): boolean {
  if (request.body === undefined) return false;
  const parsed = parseJsonText(request.body);
  const asked = parsed.ok && isRecord(parsed.value) ? parsed.value.model : undefined;
  if (typeof asked !== 'string' || asked.includes('[REDACTED')) return false;
  return asked !== model && !asked.endsWith(`.${model}`) && !asked.endsWith(`/${model}`);
}
