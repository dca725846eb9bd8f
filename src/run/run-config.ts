/**
 * @module run/run-config
 * Everything a conformance run needs, resolved from flags once. It is plain data: no secrets (auth holds the
 * *name* of the env var), no functions.
 */
import type { ModelListing } from '../report/matrix.ts';
import type { Surface } from '../surfaces.ts';
import type { RecordedFor } from '../transport/recorded-surface.ts';
import type { TargetMode } from '../transport/target.ts';

export interface TargetConfig {
  /** Column/folder name: the region, `emulator`, or the endpoint host. */
  id: string;
  mode: TargetMode;
  /** Base URL for live and record; null in replay. */
  baseUrl: string | null;
  region: string | null;
  endpointHost: string | null;
  /** The endpoint surface (route rules, SigV4 service, documented claims): from the host unless a flag says. */
  surface: Surface;
  /**
   * What the target is a surface of: its region, or the name given to a local endpoint. Targets of one site on two
   * surfaces are compared in the migration view.
   */
  site: string;
  /**
   * In replay, the target and site its recordings agree on (provenance; recorded-surface.ts recordedIdentity): a
   * fixture of another site (region, or host) was copied in from another target's folder, and replays as no
   * recording of this one. The target name is for messages: a renamed folder's recordings name two.
   */
  recordedFor?: RecordedFor;
  /**
   * With `--models listed` / `catalog+listed`: the models this target runs (its list, plus the catalog or the ids
   * named), and what its list said against the catalog (matrix.json `targets[].modelList`).
   */
  discovered?: { models: string[]; listing: ModelListing };
}

export interface AuthConfig {
  kind: 'bearer' | 'sigv4' | 'token' | 'none';
  /** Env var holding the bearer key. @default AWS_BEARER_TOKEN_BEDROCK */
  apiKeyEnv: string;
  /** AWS profile for sigv4/token. */
  profile?: string;
  /** OpenAI-Project header value. */
  project?: string;
  /** Headers to send whose values are read from environment variables (e.g. a gateway's key); never stored. */
  headerEnv?: { header: string; env: string }[];
}

export interface RunConfig {
  /** Absolute path of the project root (for resolving defaults). */
  root: string;
  suitesDir: string;
  catalogFile: string;
  /** Reviewed expectations (`--expectations`, default `<suites>/expectations.yaml` when it exists). */
  expectationsFile?: string;
  /** A previous matrix.json to compare with (`--baseline`). */
  baselineFile?: string;
  fixturesDir: string;
  /**
   * The fixtures root the recordings end up in, when the run writes them into another folder first (`fixtures`
   * records into a temp folder inside it, then renames): a recording names its suites folder from this root
   * (provenance.suites). @default fixturesDir
   */
  fixturesRoot?: string;
  reportDir: string;
  /** Append the run to this history folder (`--history DIR`; one file per run, see `mantle-conformance history`). */
  historyDir?: string;
  targets: TargetConfig[];
  auth: AuthConfig;
  /** Model ids selected with --models; empty for every catalog model. */
  models: string[];
  /**
   * `--models listed` / `catalog+listed`: the ids each target's model list returns are tested too (ids not in the
   * catalog with no stated expectations). Absent: only `models` (or the catalog).
   */
  discover?: 'listed' | 'catalog+listed';
  /** Check ids or `prefix.*` patterns selected with --checks; empty for all. */
  checks: string[];
  /** @default 60000 @unit milliseconds */
  timeoutMs: number;
  /**
   * Longest silence between two reads of a body once it began (`--idle-timeout`): past it the answer is stalled,
   * a verdict of the stream checks. 0 disables it. @default 15000 @unit milliseconds
   */
  idleTimeoutMs: number;
  /** @default 8 MiB */
  maxBodyBytes: number;
  /** Global limit on requests in flight. @default 8 */
  concurrency: number;
  /** Limit on requests in flight per (target, model). @default 4 */
  modelConcurrency: number;
  /** Token budget per model per minute (prompt estimate + requested max tokens); 0 = none. */
  tpm: number;
  /** Retries for 429/5xx/timeouts/resets. @default 2 */
  retries: number;
  /** First retry backoff, doubled each retry (Retry-After wins). @default 500 @unit milliseconds */
  retryDelayMs: number;
  /** Stop sending after this many requests; 0 = no cap. */
  maxRequests: number;
  /** Stop sending after this many tokens (from usage); 0 = no cap. */
  maxTokensTotal: number;
  /**
   * Stop sending to a target after this many requests in a row ended with no answer at all (timeouts before any
   * status line, refused or reset connections); 0 = never (`--give-up-after`, transport/endpoint-breaker.ts). @default 20
   */
  giveUpAfter: number;
  /** A full OpenAI OpenAPI document for the schema.* checks (`--openapi`); default the project's schemas. */
  openapiFile?: string;
  /**
   * Record: replace a case's fixture even when its new exchanges hold an infrastructure failure (throttled, 5xx,
   * timeout, reset, a redirect); without it the previous fixture is kept (`--overwrite-failures`). @default false
   */
  overwriteFailures?: boolean;
  /** Source written into recorded fixtures' provenance. */
  recordSource: 'live' | 'emulator';
  harnessVersion: string;
  /**
   * Independent trials of every case whose checks depend on model behaviour (`--repeat`); checks that do not are
   * judged on the first trial only. @default 1
   */
  repeat: number;
  /** Errors of cells with no stated expectation the run accepts before the gate fails (`--max-errors`). @default 5 */
  maxErrors: number;
  /** Run id shared by every shard of a run when given; else generated. */
  runId: string;
}

// The transport's DEFAULT_* restated, not imported: `--help` reads these and must not load undici (a test holds
// the two equal).
export const DEFAULTS = {
  timeoutMs: 60_000,
  idleTimeoutMs: 15_000,
  maxBodyBytes: 8 * 1024 * 1024,
  concurrency: 8,
  modelConcurrency: 4,
  tpm: 0,
  retries: 2,
  retryDelayMs: 500,
  maxRequests: 0,
  maxTokensTotal: 0,
  giveUpAfter: 20,
  repeat: 1,
  maxErrors: 5,
  threads: 1,
  apiKeyEnv: 'AWS_BEARER_TOKEN_BEDROCK',
} as const;
