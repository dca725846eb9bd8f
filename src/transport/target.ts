/**
 * @module transport/target
 * Where requests go. `live` sends them, `record` sends them and writes fixtures, `replay` answers from fixtures.
 * All three produce the same `Exchange`, parsed by the same body and SSE code.
 */
import type { Surface } from '../surfaces.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import type { RecordingKept } from './kept-cases.ts';

export type TargetMode = 'live' | 'record' | 'replay';

/** Identifies the request being sent, for fixture lookup, scheduling and messages. */
export interface SendContext {
  model: string;
  caseId: string;
  step: string;
  prefix: string;
  signal?: AbortSignal;
  /** Requested output tokens, for the token budget (prompt estimate is derived from the body). */
  maxTokens?: number;
  /** Which trial of a repeated case (from 1); replay answers each trial from its own recording. @default 1 */
  trial?: number;
  /** A retry of a request already sent (retrying-target.ts): a permit denied to it leaves no request unsent. */
  retry?: boolean;
}

/** The trials of a case a stop, a spend cap or a target that stopped answering left unsent, when some were sent. */
export interface TrialsCut {
  /** The trials the run asked for (`--repeat`). */
  asked: number;
  /** How many of them were not sent, wholly or in part. */
  notSent: number;
  /** Why the first of them was not sent, as its outcome says it. */
  why: string;
}

/** What a case's trials were for, as the run that made them knows it. */
export interface CaseTrials {
  /**
   * Whether a check reads the case trial by trial, so its trials follow `--repeat`; a case none reads so is whole
   * in one trial, and a recording of more trials of it is replaced like any other (record-target.ts).
   */
  perTrial: boolean;
}

export interface Target {
  readonly id: string;
  readonly mode: TargetMode;
  /**
   * The endpoint surface the target speaks (unset: mantle, as everywhere). A gateway's key may be scoped to some
   * models (run/session-target.ts reads a 401 in those words only on `custom`; Mantle and bedrock-runtime have no such
   * keys, and any 401 there stops the run).
   */
  readonly surface?: Surface | undefined;
  send(request: ExchangeRequest, context: SendContext): Promise<Exchange>;
  /**
   * Called once per (model, case) when the case has finished, with every exchange it made. Record writes here, and
   * writes nothing when `cut` says some of the trials asked were not sent (record-target.ts). `trials` unset: as if
   * the case were read per trial (a recording of more trials is kept).
   */
  caseFinished(model: string, caseId: string, exchanges: readonly Exchange[], cut?: TrialsCut, trials?: CaseTrials): Promise<void>;
  close(): Promise<void>;
  /** Replay only: how many trials of a case were recorded (1 for a fixture without trials). */
  trialsRecorded?(model: string, caseId: string): Promise<number>;
  /**
   * Called when every check of a model on this target has its result: replay forgets that model's fixtures, so a
   * run holds the models in progress, not every recording it has read.
   */
  modelFinished?(model: string): void;
  /** Record only: the cases this run kept unrecorded (kept-cases.ts), for the gate. */
  readonly recordingKept?: RecordingKept;
  /** Replay only: where the recording of a case came from. */
  provenanceOf?(model: string, caseId: string): Promise<{ source: 'live' | 'emulator'; recordedAt: string; harnessVersion: string } | null>;
}
