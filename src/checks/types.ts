/**
 * @module checks/types
 * The contract between the runner, the checks and the reports. A check is a function of observed case outcomes
 * that returns a result; it never throws on a mismatch. A thrown error means the harness broke and becomes `error`.
 */
import type { CheckSignature, Vocabulary } from '../suite/check-signature.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import type { Exchange, ExchangeError } from '../transport/exchange.ts';
import type { SchemaSet } from './schema.ts';

export const CHECK_STATUSES = ['pass', 'fail', 'unsupported', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** An observed value: a word from the check's vocabulary, a number, or null. */
export type Observed = string | number | null;

/** What a case produced for one model. */
export type CaseOutcome =
  /**
   * Every step ran and got an answer (the answer may be an error status: that is the endpoint's answer). When an
   * answer lacked what a later step needed (no tool call to answer, no id to fetch), the later steps were not sent
   * and `incomplete` says which and why.
   */
  | { kind: 'completed'; caseId: string; api: ApiId; exchanges: Exchange[]; incomplete?: { step: string; reason: string } }
  /** The model does not serve the case's API (decided by the probes), so nothing was sent. */
  | { kind: 'unsupported'; caseId: string; api: ApiId; reason: string }
  /** The endpoint or harness broke (timeout, reset, throttled, missing recording): no verdict possible. */
  | { kind: 'error'; caseId: string; api: ApiId; exchanges: Exchange[]; error: ExchangeError }
  /** Not run: filtered out, a spend cap, an interrupted run. */
  | { kind: 'skipped'; caseId: string; api: ApiId; reason: string };

export interface Expectation {
  value: Observed;
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
}

export interface CheckResult {
  status: CheckStatus;
  observed: Observed;
  /** The expected value, or null when nothing is stated for this model. */
  expected: Observed | null;
  /** One line: what was expected and what was seen. */
  reason: string;
  evidence: Evidence[];
}

export interface CheckInput {
  model: string;
  expectation: Expectation | null;
  /** Outcomes of the cases that feed this check, in suite order. */
  outcomes: readonly CaseOutcome[];
  /** Schemas for the schema.* checks (default: the project's; `--openapi` swaps in a full OpenAPI document). */
  schemas?: SchemaSet;
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
  /** The OpenAI/Anthropic-conformant value, the expectation for catalog models unless the catalog says otherwise. */
  reference?: { value: Observed; source: string };
  /** Reads the outcomes and returns the verdict (SDK judges are async: they run the real client). */
  run(input: CheckInput): CheckResult | Promise<CheckResult>;
}
