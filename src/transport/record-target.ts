/**
 * @module transport/record-target
 * Live, plus one fixture file per (model, case) with provenance. Recording never makes things worse: a case whose
 * new exchanges hold an infrastructure failure (throttled, 5xx, timeout, reset, a redirect, a 2xx that carries no
 * answer, a proxy's HTML page), an HTML page of any status or a 2xx labelled JSON whose body does not parse (cut or
 * damaged on the way) where the recording had a readable answer to the same request, a body no check can read (over
 * --max-body-bytes), a body that stalled (a 2xx stream's too: an endpoint or a proxy that went silent mid-run says
 * nothing new about the model), a 403 that denies access, Mantle's "Berm is not enabled for this account" on every
 * request of the case (not-enabled.ts), a 403 for another model where the recording had the endpoint's answer to it,
 * or an answer in another catalog model's name where the recording had none (a gateway's fallback), keeps the fixture
 * it had, and says so as the case's error, unless `overwriteFailures` asks to record it. A case with no fixture yet is
 * recorded as it went, so replay shows the same `error` (or `stalled`). A case with a request not sent because its
 * target stopped answering writes nothing; one whose path holds a file this version cannot read as its fixture
 * (damaged, or someone's: foreign-file.ts) keeps it, as its error, unless `overwriteFailures` asks. A case some of
 * whose trials were not sent (a stop, a spend cap: `cut`) writes nothing, whatever is asked, nor does one of fewer
 * trials than its recording holds (kept-whys.ts fewerTrialsWhy). A target folder
 * holds one surface's recordings: a write into one recorded on another surface is refused. Files are replaced atomically.
 */
import { shownPath } from '../shown-path.ts';
import { stat } from 'node:fs/promises';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import { fewerTrialsWhy, trialsCutWhy } from '../kept-whys.ts';
import type { Secret } from './auth/auth.ts';
import { bodyText, excerpt, jsonBody, parseJsonText, requestedModel } from './body.ts';
import { classifyAnswer } from './classify-response.ts';
import { holdsSignature } from './redactor.ts';
import { describeRequest, isJsonResponse, isStreamResponse, type Exchange, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';
import { fixturePath, newerFixture, readFixture, trialsIn, writeFixture, fixtureFormatFor, type FixtureFile, type FixtureProvenance } from './fixture-file.ts';
import { linkedFixture } from './fixture-links.ts';
import { notEnabledOnEvery, saysNotEnabled } from './not-enabled.ts';
import { sseStream } from './sse.ts';
import { isHtml, pageExcerpt } from './stand-in-answer.ts';
import type { CaseTrials, SendContext, Target, TrialsCut } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';
import { ENDPOINT_DOWN } from './endpoint-breaker.ts';
import { foreignFileAt } from './foreign-file.ts';
import { otherSurfaceIn, otherSurfaceProblem, type OtherRecorded } from './recorded-surface.ts';

export interface RecordOptions {
  fixturesDir: string;
  provenance: Omit<FixtureProvenance, 'recordedAt' | 'redactions'>;
  /** Replace a case's fixture even when the new exchanges hold an infrastructure failure (`--overwrite-failures`). @default false */
  overwriteFailures?: boolean;
  /** Why answers in another catalog model's name must not replace a recording (run/other-model-answers-kept.ts). */
  otherModel?: (exchanges: readonly Exchange[], model: string, before: (ex: Exchange) => Promise<Exchange | undefined>) => Promise<Kept | undefined>;
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
  'HARNESS_ROUTE_AUTH',
  'HARNESS_MODEL_SCOPE',
  'HARNESS_BUDGET_EXCEEDED',
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
  /** Whether the target's folder already holds another surface's or site's recordings: looked at before the first write. */
  #surfaceChecked: Promise<OtherRecorded | undefined> | undefined;

  /** `live` sends (with retries and scheduling); `secrets` are the values the last scan before a write looks for. */
  constructor(live: Target, options: RecordOptions, secrets: () => readonly Secret[]) {
    super(live);
    this.#options = options;
    this.#secrets = secrets;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return this.inner.send(request, context);
  }

  override async caseFinished(model: string, caseId: string, exchanges: readonly Exchange[], cut?: TrialsCut, trials?: CaseTrials): Promise<void> {
    if (exchanges.length === 0) return;
    if (cut) {
      // Fewer trials than asked replace no recording, --overwrite-failures or not: the trials a file lacks are not
      // missing to replay, which judges the case on those it holds (a recorded flaky cell becomes a pass).
      const file = fixturePath(this.#options.fixturesDir, this.id, model, caseId);
      const recorded = (await stat(file).catch(() => null))?.isFile() === true;
      if (recorded) this.kept.push(file);
      throw new HarnessError('HARNESS_RECORDING_KEPT', trialsCutWhy(cut, recorded));
    }
    // A request kept from a target that stopped answering (endpoint-breaker.ts) was never asked: a recording without
    // it is no recording of the case, and must not replace one (--overwrite-failures records outages, not this).
    if (exchanges.some((ex) => ex.error?.code === ENDPOINT_DOWN)) return;
    const file = fixturePath(this.#options.fixturesDir, this.id, model, caseId);
    // Checked before the run too (run-command); again here, as a link may appear while the run goes.
    const linked = await linkedFixture(this.#options.fixturesDir, this.id, model, [caseId]);
    if (linked) throw new HarnessError('HARNESS_WRITE_FAILED', `refusing to write ${file}: ${linked}`);
    const surface = this.#options.provenance.surface;
    if (surface) {
      // Once per run: every write of this target goes to the same folder, on the same surface.
      this.#surfaceChecked ??= otherSurfaceIn(this.#options.fixturesDir, this.id, this.#options.provenance);
      const other = await this.#surfaceChecked;
      if (other) throw new HarnessError('HARNESS_WRITE_FAILED', `refusing to write ${file}: ${otherSurfaceProblem(this.id, other)}`);
    }
    // A file there this version cannot read as the case's fixture (damaged, or someone's) is kept unless asked; a FIFO always (gate.ts).
    const unreadable = await foreignFileAt(file, caseId, this.#options.overwriteFailures);
    if (unreadable) throw new HarnessError('HARNESS_RECORDING_KEPT', unreadable);
    // The recording there, read once: for its trials here, and below when a page, a cut body or a denial asks what it
    // had for the same request. One this version cannot read holds no trials here (foreignFileAt and newerFixture decide).
    let earlier: Promise<FixtureFile | null> | undefined;
    const recorded = () => (earlier ??= readFixture(file).catch(() => null));
    // Nor fewer trials than the recording holds (a `--repeat 1` run over a `--repeat 3` recording), when the case is
    // read per trial: one no check reads so is whole in one trial, and a --repeat could never make it more.
    const fewer = trials?.perTrial === false ? undefined : fewerTrialsWhy(trialsIn((await recorded())?.exchanges ?? []), trialsIn(exchanges));
    if (fewer) {
      this.kept.push(file);
      throw new HarnessError('HARNESS_RECORDING_KEPT', fewer);
    }
    if (!this.#options.overwriteFailures && (await stat(file).catch(() => null))?.isFile()) {
      // A newer version's recording is good, only unreadable here: replaced only when asked, as a kept recording is.
      const newer = await newerFixture(file);
      if (newer) {
        this.kept.push(file);
        // The start is the gate's to tell this apart from an outage (report/gate.ts NEWER_KEPT).
        throw new HarnessError('HARNESS_RECORDING_KEPT', `this version cannot read ${shownPath(file)} (${newer}); kept it (upgrade mantle-conformance to record it, or pass --overwrite-failures to replace it with this version's recording)`);
      }
      const before = async (ex: Exchange) => [sameRequestIn(await recorded(), ex)].find((earlier) => earlier !== undefined && readable(earlier));
      const kept = outageIn(exchanges) ?? (await pageUnlikeBefore(exchanges, recorded)) ?? (await deniedIn(exchanges, model, recorded)) ?? (await deniedUnlikeBefore(exchanges, model, recorded)) ?? (await this.#options.otherModel?.(exchanges, model, before));
      if (kept) {
        this.kept.push(file);
        const shown = shownPath(file);
        throw new HarnessError('HARNESS_RECORDING_KEPT', `${kept.why}; kept the previous recording ${shown} (${kept.again ?? 'record again later'}, or pass --overwrite-failures to record ${kept.what})`);
      }
    }
    const provenance: FixtureProvenance = { ...this.#options.provenance, recordedAt: new Date().toISOString() };
    const secrets = this.#secrets();
    // The run's signatures are thousands (Secret.hexValues): the scan gets them only when one of them is in the text,
    // looked up as the redactor does. Handed over every time, they made recording half as slow again.
    const signed = secrets.some((s) => s.hexValues?.size) && holdsSignature(JSON.stringify(exchanges), secrets);
    await writeFixture(file, { format: fixtureFormatFor(provenance), model, case: caseId, provenance, exchanges: [...exchanges] }, secrets.flatMap((s) => [s.value, ...(signed ? (s.hexValues ?? []) : [])]));
    this.written.push(file);
  }
}

/** Why a case's new exchanges must not replace its recording, and what `--overwrite-failures` would record instead. */
export interface Kept {
  why: string;
  what: 'the outage' | 'the stall' | 'the refusal' | 'it';
  /** The way to a recording of the case, when not "record again later" (a key's scope refuses it again). */
  again?: string;
}

/**
 * Why a case's new exchanges must not replace its recording, or undefined when they are the endpoint's answers. An
 * infrastructure failure first (a body over --max-body-bytes included); then a body that stalled (incomplete; a 2xx
 * stream's too: live, the stream checks judge it `stalled`, but a recording of it would replace the whole answer
 * an earlier run saw with a silence that is as likely the way's, a proxy or a session, as the model's).
 */
function outageIn(exchanges: readonly Exchange[]): Kept | undefined {
  const failure = exchanges.find((ex) => ex.error && INFRASTRUCTURE_FAILURES.has(ex.error.code))?.error;
  // A key's scope refusing the model is no outage: it refuses again later, and only another key records the case.
  if (failure?.code === 'HARNESS_MODEL_SCOPE') return { why: `${failure.code}: ${failure.message}`, what: 'the refusal', again: 'record it with a key whose scope includes the model' };
  // Nor a spent budget: it refuses until it is raised or reset.
  if (failure?.code === 'HARNESS_BUDGET_EXCEEDED') return { why: `${failure.code}: ${failure.message}`, what: 'the refusal', again: 'record it once the budget is raised or reset, or with another key' };
  // A cut may be the endpoint's own (a Content-Length it counts wrong, a server that resets): it comes back every time.
  if (failure?.code === 'HARNESS_STREAM_CUT') return { why: `${failure.code}: ${failure.message}`, what: 'the outage', again: 'record again later: that helps only if it was cut on the way, not by the endpoint' };
  if (failure) return { why: `${failure.code}: ${failure.message}`, what: 'the outage' };
  const stalled = exchanges.find((ex) => !ex.error && ex.response?.stalledAfterMs !== undefined);
  if (stalled?.response) {
    const { status, stalledAfterMs } = stalled.response;
    const request = describeRequest(stalled.request);
    if (status < 300 && isStreamResponse(stalled.response)) {
      const events = sseStream(stalled.response).events.length;
      return { why: `${request} answered ${status} and its stream stalled after ${events} event(s) (no data for ${stalledAfterMs} ms): the endpoint, or something on the way to it, went silent`, what: 'the stall' };
    }
    return { why: `${request} answered ${status} and its body stalled (no data for ${stalledAfterMs} ms): an incomplete answer no check can read`, what: 'the outage' };
  }
  return undefined;
}

/**
 * A 403 that is not about the credentials (classify-response's `forbidden`: the principal lacks a permission or
 * access to the model, AWS's `{"message":"Forbidden"}`). That 403 is the endpoint's real answer, but about the
 * account, not the model: no check observes anything in it (its cells are `error`), so recording it would only
 * replace observations with nothing. A denial of another model than the one recorded (errors.unknown-model asks for
 * one that does not exist, and "no access" is AWS's answer to that) is the answer the case is about, not the
 * credentials' lack. A denial where the recording had the same denial of the model is recorded: nothing is lost.
 * So is the Berm 401 on every request of the case (the account is not enabled for Mantle); on one route of several
 * it is that route's answer (a prefixed model on /v1), and recorded.
 */
async function deniedIn(exchanges: readonly Exchange[], model: string, recorded: () => Promise<FixtureFile | null>): Promise<Kept | undefined> {
  const account = notEnabledOnEvery(exchanges);
  const denies = (ex: Exchange) => (account ? saysNotEnabled(ex) : deniesAccess(ex) && !asksAnotherModel(ex.request, model));
  const denials = exchanges.filter(denies);
  if (denials.length === 0) return undefined;
  // Where the recording denied this model the same request alike, it holds no observation to lose: the denial is
  // recorded, and the run reads it as its replay will (HARNESS_ACCESS_DENIED), not as recordings kept (the probes'
  // cells in error, the other cases' HARNESS_ROUTE_UNKNOWN) in every record run after the first.
  const earlier = await recorded();
  const deniedBefore = (ex: Exchange) => {
    const before = sameRequestIn(earlier, ex);
    return before !== undefined && denies(before);
  };
  const denied = denials.find((ex) => !deniedBefore(ex));
  if (!denied?.response) return undefined;
  const said = `${describeRequest(denied.request)} answered ${denied.response.status} (${deniedSaid(denied)})`;
  if (account) return { why: `${said} as every request of the case did: the account is not enabled for Mantle, which says nothing about the model`, what: 'the refusal', again: 'record it again once the account is enabled for Mantle (bedrock-mantle)' };
  return { why: `${said}: the credentials have no access to the model or this API, which says nothing about the model`, what: 'the outage' };
}

/** Whether an exchange is a 403 that denies access (classify-response's `forbidden`). */
function deniesAccess(ex: Exchange | undefined): boolean {
  return ex !== undefined && !ex.error && ex.response?.status === 403 && classifyAnswer(ex.response).kind === 'forbidden';
}

/**
 * An HTML page or a cut JSON 2xx (notTheEndpoints) where the recording has a readable answer to the same request:
 * the way broke in front of an endpoint that answered before, so the recording is kept. Where the recording has the
 * same kind of page (an Express or nginx front's 404 for a route it does not serve), no answer to that request, or
 * no readable recording, the page is the endpoint's own answer and is recorded: kept, it would fail every record
 * run with a recording that holds the same page, and "record again later" could never help.
 */
async function pageUnlikeBefore(exchanges: readonly Exchange[], recorded: () => Promise<FixtureFile | null>): Promise<Kept | undefined> {
  for (const ex of exchanges) {
    const damaged = !ex.error && ex.response ? notTheEndpoints(ex.response) : undefined;
    if (!damaged) continue;
    const before = sameRequestIn(await recorded(), ex);
    if (!before?.response || !readable(before)) continue;
    return { why: `${describeRequest(ex.request)} answered ${ex.response!.status} with ${damaged}, where the recording had ${answerKind(before.response)} for it`, what: 'the outage' };
  }
  return undefined;
}

/** Whether a recorded exchange holds an answer the checks read whole: no error, no stall, no page, no cut body. */
function readable(ex: Exchange): boolean {
  return !ex.error && ex.response !== null && ex.response.stalledAfterMs === undefined && !notTheEndpoints(ex.response);
}

/** `HTTP 200 JSON`: what a recorded answer was, for the reason that keeps it. */
function answerKind(response: ExchangeResponse): string {
  const type = isStreamResponse(response) ? 'a stream' : isJsonResponse(response) ? 'JSON' : !bodyText(response).trim() ? 'an empty body' : (response.headers['content-type'] ?? '').split(';')[0]?.trim() || 'an unlabelled body';
  return `HTTP ${response.status} ${type}`;
}

/**
 * The recording's exchange for the same request, a readable one when there is one (a step polled or retried has
 * several): the same step, method and route prefix, whatever the rest of the path (a step's path holds its run's ids,
 * `/responses/resp_abc`, never the same twice; a probe sends one step on every prefix, each its own request); else,
 * for a step the recording lacks (renamed), the same method and path.
 */
function sameRequestIn(earlier: FixtureFile | null, now: Exchange): Exchange | undefined {
  const all = earlier?.exchanges ?? [];
  const byStep = all.filter((ex) => ex.step === now.step && ex.request.method === now.request.method && ex.prefix === now.prefix);
  const candidates = byStep.length ? byStep : all.filter((ex) => ex.request.method === now.request.method && ex.request.path === now.request.path);
  return candidates.find(readable) ?? candidates[0];
}

/**
 * Why an answer the checks read (live, they judge what they can of it) is no observation to record, or undefined.
 * An HTML page of any status (a 404 too, which stand-in-answer leaves to the probes): no Mantle, OpenAI or Anthropic
 * API answers HTML, so it is a gateway's or a proxy's page about the way, not the model; a JSON body labelled HTML
 * is the endpoint's answer with a wrong label, and recorded. And a 2xx labelled JSON whose body is neither JSON nor
 * JSON lines: cut or damaged on the way (its framing ended cleanly, so the transport saw no cut). An empty body says
 * nothing either way (a route's bare 404, a DELETE's 204): recorded, as stand-in-answer judges it.
 */
function notTheEndpoints(response: ExchangeResponse): string | undefined {
  const text = bodyText(response);
  if (!text.trim()) return undefined;
  if (isHtml(response, text)) return `an HTML page (${pageExcerpt(text)}): a gateway's or a proxy's page, which says nothing about the model`;
  if (response.status < 200 || response.status >= 300 || !isJsonResponse(response) || isStreamResponse(response)) return undefined;
  const parsed = jsonBody(response);
  if (parsed.ok || parsed.tooDeep || jsonLines(text)) return undefined;
  // The parser's message can quote the body: its end is what shows a cut.
  return `a body labelled JSON that does not parse (${text.length} character(s), ending ${JSON.stringify(text.slice(-40))}): an answer cut or damaged on the way, which no check can read whole`;
}

/** Whether every non-blank line of `text` is JSON (NDJSON, sent under a JSON label): whole as it is. */
function jsonLines(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim());
  return lines.length > 1 && lines.every((line) => parseJsonText(line).ok);
}

function deniedSaid(denied: Exchange): string {
  const response = denied.response!;
  return excerpt(classifyAnswer(response).message ?? excerpt(bodyText(response), 160), 160) || 'no message';
}

/**
 * A 403 denial of another model (deniedIn's exemption) where the case's recording has the endpoint's answer to the
 * same request (a 404 or 400 naming the unknown model): a WAF, or a session that expired mid-run, denies every
 * request alike, so that denial may be the credentials' and not this endpoint's answer about an unknown model. With
 * no recording to compare, one that cannot be read, or one that was a 403 too, the denial is recorded.
 */
async function deniedUnlikeBefore(exchanges: readonly Exchange[], model: string, recorded: () => Promise<FixtureFile | null>): Promise<Kept | undefined> {
  const denials = exchanges.filter((ex) => !ex.error && ex.response?.status === 403 && classifyAnswer(ex.response).kind === 'forbidden' && asksAnotherModel(ex.request, model));
  if (denials.length === 0) return undefined;
  const earlier = await recorded();
  for (const denied of denials) {
    const before = sameRequestIn(earlier, denied);
    const status = before?.response?.status;
    if (status === undefined || status === 403) continue;
    return {
      why: `${describeRequest(denied.request)} answered 403 (${deniedSaid(denied)}) for another model, where the earlier recording had ${status}: a denial of every request alike (a WAF, expired credentials) may be the credentials' and not the endpoint's answer about an unknown model`,
      what: 'it',
    };
  }
  return undefined;
}

/**
 * Whether a request's JSON body names a model that is not `model` nor made from it: a denial of `us.<model>` (a
 * profile id of it) is still the credentials' lack of access to it, and a redacted id names nothing.
 */
function asksAnotherModel(request: ExchangeRequest, model: string): boolean {
  const asked = requestedModel(request);
  if (asked === undefined || asked.includes('[REDACTED')) return false;
  return asked !== model && !asked.endsWith(`.${model}`) && !asked.endsWith(`/${model}`);
}

