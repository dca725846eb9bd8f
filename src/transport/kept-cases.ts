/**
 * @module transport/kept-cases
 * The cases a record run kept unrecorded (HARNESS_RECORDING_KEPT: a file at the case's path it cannot read, an
 * outage, a key's scope or a spent budget refusing the model, another model's answers, a newer version's recording),
 * noted by the run itself. The gate learns of each from here (matrix.json `targets[].recordingKept`), not only from
 * the reasons of error cells: a check that reads every case (schema.*) judges the others, and its cell alone did not
 * say that a case was left as it was, so a re-record job passed over a fixture set the next replay refuses.
 */
import { shownPath } from '../shown-path.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { fixturePath, readFixture, trialsIn } from './fixture-file.ts';
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

/**
 * Why a record run kept a case some of whose trials were not sent (its start, `2 of 3 trial(s) not sent (`, is
 * report/kept-unshown.ts's to word the fix apart: no flag records such a case) (a stop, a spend cap, a target that stopped
 * answering): a recording of fewer trials than asked would replay as a verdict on fewer, a flaky cell as a pass.
 */
export function trialsCutWhy(cut: TrialsCut, recorded: boolean): string {
  const what = recorded ? 'kept the previous recording whole, not replaced by fewer trials than asked' : 'wrote no recording of the case, as one of fewer trials than asked would replay as a verdict on fewer';
  return `${cut.notSent} of ${cut.asked} trial(s) not sent (${cut.why}): ${what} (a flaky cell would replay as a pass); record it again in a run nothing cuts short`;
}

/** How the why of a recording kept for holding more trials than the run made starts (report/kept-unshown.ts words it apart). */
export const FEWER_TRIALS_KEPT = /^the recording holds \d+ trial\(s\), this run made \d+: /;

/**
 * Why a record run keeps a case's recording that holds more trials than the run made (`--repeat 1` over a
 * `--repeat 3` recording), or undefined: replay judges a case on the trials its file holds, so a flaky cell would
 * replay as a pass. No flag replaces it (`--overwrite-failures` records failures, not fewer trials): as many trials do.
 * The counts and the fix come first and the path not at all: the kept entry names the file, and the gate's line cuts
 * a why at 160 characters (report/kept-unshown.ts).
 */
export async function fewerTrialsWhy(file: string, exchanges: readonly Exchange[]): Promise<string | undefined> {
  const made = trialsIn(exchanges);
  // A file this version cannot read is another check's to keep or replace (record-target.ts).
  const held = trialsIn((await readFixture(file).catch(() => null))?.exchanges ?? []);
  if (made >= held) return undefined;
  return `the recording holds ${held} trial(s), this run made ${made}: run with --repeat ${held} to replace it; kept it whole, not replaced by fewer trials (a flaky cell would replay as a pass)`;
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
