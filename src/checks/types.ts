/**
 * @module checks/types
 * The contract between the runner, the checks and the reports. A check is a function of observed case outcomes
 * that returns a result; it never throws on a mismatch. A thrown error means the harness broke and becomes `error`.
 */
import type { Surface } from '../surfaces.ts';
import type { CheckSignature, Vocabulary } from '../suite/check-signature.ts';
import type { Expected, Observed } from '../suite/expected.ts';
import type { SentField } from '../suite/sent-fields.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import type { Exchange, ExchangeError } from '../transport/exchange.ts';
import type { ListedOthers } from './listed-names.ts';
import type { SchemaSet } from './schema.ts';

export type { Expected, Observed };

/**
 * - `pass` / `fail`: observed meets / does not meet the expectation;
 * - `flaky`: repeated trials observed different values (`observed` is the most frequent one);
 * - `inconclusive`: what the model chose or was allowed to do hid the behaviour (its output budget was spent on
 *   reasoning, the control showed no effect would be visible): neither a pass nor a fail;
 * - `unsupported`: the model does not serve the API; `skipped`: not run; `error`: the endpoint or harness broke.
 */
export const CHECK_STATUSES = ['pass', 'fail', 'flaky', 'inconclusive', 'unsupported', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** What one trial of a repeated check saw (`--repeat N`); a trial is never `flaky`. */
export interface TrialResult {
  status: Exclude<CheckStatus, 'flaky'>;
  observed: Observed;
  reason: string;
  evidence: Evidence[];
}

/**
 * Every step ran and got an answer (the answer may be an error status: that is the endpoint's answer). When an answer
 * lacked what a later step needed (no tool call to answer, no id to fetch), the later steps were not sent and
 * `incomplete` says which and why.
 */
export interface CompletedCaseOutcome {
  kind: 'completed';
  caseId: string;
  api: ApiId;
  exchanges: Exchange[];
  incomplete?: { step: string; reason: string };
  /** Sent on the route the API's own probes found serving the model: a refusal there is no "not served". */
  routed?: true;
  /**
   * Sent on a prefix no probe found (no probe case for the API: the catalog's prefix, checks/route-guess.ts): how it
   * was guessed. A refusal there says the guess was wrong, not that the model is unserved.
   */
  routeGuess?: string;
  /**
   * Read in part: the steps answered before `step` broke, for a check that reads only those (run/observed-steps.ts).
   * Nothing from `step` on was observed, so a step looked up there is unobserved, never absent from the case.
   */
  brokenStep?: { step: string; error: ExchangeError };
}

/**
 * The probe whose failure left a case's route unknown (HARNESS_ROUTE_UNKNOWN), so the case was not sent: its exchanges
 * are why, with their codes (a replay's missing or unusable recording), and the cell's evidence shows them
 * (checks/broken-evidence.ts): the case itself has none.
 */
export interface RouteProbe {
  caseId: string;
  exchanges: Exchange[];
}

/** What a case produced for one model. */
export type CaseOutcome =
  | CompletedCaseOutcome
  /** The model does not serve the case's API (decided by the probes), so nothing was sent. */
  | { kind: 'unsupported'; caseId: string; api: ApiId; reason: string }
  /**
   * The endpoint or harness broke (timeout, reset, throttled, missing recording): no verdict possible. When it broke
   * on a step after the first, `laterStepBroke` names that step and holds the steps answered before it as a completed
   * outcome: a check that reads only those is judged on them (run/observed-steps.ts); every other check gets the error.
   */
  | { kind: 'error'; caseId: string; api: ApiId; exchanges: Exchange[]; error: ExchangeError; laterStepBroke?: { step: string; earlier: CompletedCaseOutcome }; routeProbe?: RouteProbe }
  /** Not run: filtered out, a spend cap, an interrupted run. */
  | { kind: 'skipped'; caseId: string; api: ApiId; reason: string };

export interface Expectation {
  value: Expected;
  /** Where the expectation comes from: `catalog: <source>` or `openai-reference: <document>`. */
  source: string;
  note?: string;
}

export interface Evidence {
  case: string;
  step: string;
  /** `POST /openai/v1/responses`. */
  request: string;
  status?: number;
  requestId?: string;
  /** A short excerpt of the response body or the offending event; never a header, never a credential. */
  excerpt?: string;
  /** The harness error code when the exchange failed. */
  error?: string;
  /** Which trial of a repeated case (from 1), when the run repeats cases (`--repeat N`). */
  trial?: number;
  /** What the harness changed in the request before sending it, and why (e.g. a refused max_tokens replaced). */
  note?: string;
  /** The Content-Encoding the answer arrived in (gzip, deflate, br); the excerpt is of the decoded body. */
  encoding?: string;
  /** How long the exchange took, when it went over the network (live and record, and replays of them). */
  timing?: ExchangeTiming;
  /**
   * The model a 2xx answer names when it is another model than the one asked for (checks/answered-by.ts): a gateway
   * that routed the id elsewhere. Endpoint text, cut short.
   */
  answeredBy?: string;
}

/** Latency of one exchange, in milliseconds from when the request was sent. */
export interface ExchangeTiming {
  /** Until the response headers arrived. */
  headersMs: number;
  /** Until the first content token of a stream (text, reasoning or tool-call arguments), when it is a stream. */
  firstTokenMs?: number;
  /** Until the last byte. */
  totalMs: number;
}

export interface CheckResult {
  status: CheckStatus;
  observed: Observed;
  /** The expected value, or null when nothing is stated for this model. */
  expected: Expected | null;
  /** One line: what was expected and what was seen. */
  reason: string;
  evidence: Evidence[];
  /** Each trial's own result, when the case was repeated (`--repeat N`, N > 1). */
  trials?: TrialResult[];
  /**
   * When some of the answers the result cites (its trials' too) named another model than their request asked for:
   * how many of them, out of how many 2xx answers, and the names (at most 3). Counted before the reports cut the
   * evidence down (8 a cell, 2 a trial).
   */
  otherModel?: OtherModelCount;
  /** models.listed, when the list names the model only as a listed id of the same model: its other models, hashed (checks/listed-names.ts). */
  listedOthers?: ListedOthers;
  /**
   * Set on a `skipped` result the endpoint's answers caused (every probed route served the model, an earlier step's
   * answer left nothing to build the next from, no object of the kind in answers that came whole), never on one a
   * filter, a shard, a stop or a cap caused: a value the expectations file states gates on it (report/build-matrix.ts).
   */
  skippedByAnswer?: true;
}

/** Answers in another model's name among a result's 2xx answers (checks/answered-by.ts). */
export interface OtherModelCount {
  answers: number;
  others: number;
  names: string[];
  /**
   * The id of another model of the run's catalog (or of the run) one of the names is, set when the matrix is built
   * (report/catalog-answers.ts): what the cell read is that model's, for the gate and bless alike.
   */
  catalogModel?: string;
}

export interface CheckInput {
  model: string;
  expectation: Expectation | null;
  /** Outcomes of the cases that feed this check, in suite order. */
  outcomes: readonly CaseOutcome[];
  /** Schemas for the schema.* checks (default: the project's; `--openapi` swaps in a full OpenAPI document). */
  schemas?: SchemaSet;
  /** The surface the target was asked on (default mantle): a custom endpoint answers wrong routes its own way. */
  surface?: Surface;
}

export interface CheckDefinition extends CheckSignature {
  /** Stable id; users' CI scripts read it. Never rename. */
  id: string;
  /** What the check observes, one line. */
  title: string;
  /** The API the check needs; with none served the result is `unsupported`. Null when any outcome can be read. */
  api: ApiId | null;
  /** The words `observed` can take. */
  vocabulary: Vocabulary;
  /**
   * The observation depends on what the model chose to write (a tool call, JSON, text that reaches a stop
   * sequence), not only on the endpoint: the check is judged on every trial of a repeated run (`--repeat`) and
   * states its preconditions (an answer cut by the output budget is `inconclusive`, not a verdict). Checks
   * without it read the endpoint's own behaviour (routes, lexemes, stream framing, error shapes) and are judged
   * on the first trial only, so `--repeat` does not multiply their requests.
   */
  dependsOnModel?: true;
  /**
   * The endpoint's answer to the same request may differ from one request to the next (a tier granted only while
   * there is capacity): judged on every trial of a repeated run, as `dependsOnModel`, so trials that disagree read
   * `flaky`, not whichever came first; still an endpoint behaviour.
   */
  variesPerRequest?: true;
  /**
   * The request fields the check is about. The harness never rewrites them (a bound the model refuses elsewhere is
   * replaced; here it is the observation), and a rejection that names another field is `inconclusive`, not
   * `rejected`: the request was refused for something the check does not test.
   */
  params?: readonly string[];
  /**
   * The step ids the check looks up by name in its case (`get`, `get-after-delete`). A case that names the check
   * without them could only ever be `skipped`, so loading the suite refuses it (load-suites.ts).
   */
  readsSteps?: readonly string[];
  /**
   * The request fields the case must send for the check to be about anything (`n` for params.n, `stream: true` for
   * stream.*): loading the suite refuses a case without them, and the check is `error` on a request that lacked them.
   */
  sends?: readonly SentField[];
  /** The OpenAI/Anthropic-conformant value, the expectation for catalog models unless the catalog says otherwise. */
  reference?: { value: Observed; source: string };
  /** Reads the outcomes and returns the verdict (SDK judges are async: they run the real client). */
  run(input: CheckInput): CheckResult | Promise<CheckResult>;
}
