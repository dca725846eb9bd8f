/**
 * @module transport/kept-cases
 * The cases a record run kept unrecorded (HARNESS_RECORDING_KEPT: a file at the case's path it cannot read, an
 * outage, a key's scope or a spent budget refusing the model, another model's answers, a newer version's recording,
 * trials a stop, a cap or a target that stopped answering left unsent, a recording of more trials than the run made:
 * the last two worded in kept-whys.ts), noted by the run itself. The gate learns of each from here (matrix.json `targets[].recordingKept`), not only from
 * the reasons of error cells: a check that reads every case (schema.*) judges the others, and its cell alone did not
 * say that a case was left as it was, so a re-record job passed over a fixture set the next replay refuses.
 */
import { shownPath } from '../shown-path.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { fixturePath } from './fixture-file.ts';
import type { CaseTrials, SendContext, Target, TrialsCut } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';

/** One case a record run did not record, and why (the start of its error). */
export interface KeptCase {
  model: string;
  case: string;
  /** The fixture path, as the run shows paths. */
  file: string;
  why: string;
}

/** The cases a record run kept: how many, and the first of them (matrix.json stays bounded). */
export interface RecordingKept {
  count: number;
  cases: KeptCase[];
}

/** How much of a case's error is kept as its why. */
const WHY_CHARS = 300;

/** The record target, noting each case whose recording it refused to replace (record-target.ts throws HARNESS_RECORDING_KEPT). */
export class KeptCasesTarget extends TargetDecorator {
  readonly recordingKept: RecordingKept = { count: 0, cases: [] };
  readonly #fixturesDir: string;
  readonly #listed: number;

  /** `listed`: how many kept cases are listed (matrix.json's bound, report/merge-targets.ts KEPT_LISTED); the rest are counted. */
  constructor(inner: Target, fixturesDir: string, listed: number) {
    super(inner);
    this.#fixturesDir = fixturesDir;
    this.#listed = listed;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return this.inner.send(request, context);
  }

  override async caseFinished(model: string, caseId: string, exchanges: readonly Exchange[], cut?: TrialsCut, trials?: CaseTrials): Promise<void> {
    try {
      await this.inner.caseFinished(model, caseId, exchanges, cut, trials);
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (code === 'HARNESS_RECORDING_KEPT') {
        this.recordingKept.count += 1;
        if (this.recordingKept.cases.length < this.#listed) {
          const why = String(message);
          this.recordingKept.cases.push({ model, case: caseId, file: shownPath(fixturePath(this.#fixturesDir, this.id, model, caseId)), why: why.length > WHY_CHARS ? `${why.slice(0, WHY_CHARS - 3)}...` : why });
        }
      }
      throw error;
    }
  }
}
