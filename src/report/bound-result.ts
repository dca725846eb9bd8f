/**
 * @module report/bound-result
 * Reports are bounded by cells, not by bodies: a reason or an excerpt that quotes a 6 MB error message keeps a few
 * KiB of it, the cut marked (`... (N bytes more)`); the whole body stays in the fixture, where --max-body-bytes
 * bounds it. The same bounds apply to results a run produced and to results read from a matrix.json.
 */
import type { Evidence, TrialResult } from '../checks/types.ts';
import { readListedOthers } from '../checks/listed-names.ts';
import { capText } from './inert-text.ts';
import type { MatrixResult } from './matrix.ts';

/** The bounds, in UTF-8 bytes (before JSON escaping) and entries. The README states them and the worst case per cell. */
export const RESULT_BOUNDS = {
  reason: 2048,
  excerpt: 1024,
  /** case, step, request line, request id, error code, the model that answered. */
  evidenceField: 256,
  evidencePerCell: 8,
  trialReason: 512,
  evidencePerTrial: 2,
  observed: 256,
} as const;

/** The entry that stands for the exchanges a cut left out. */
const moreEntry = (count: number): Evidence => ({ case: '', step: '', request: `... ${count} more exchange(s) not shown (see the fixtures)` });
const MORE = /^\.\.\. ([1-9]\d{0,8}) more exchange\(s\) not shown \(see the fixtures\)$/;
/** A count a forged matrix.json may make grow: it stays one the entry can carry on. */
const MOST_LEFT_OUT = 999_999_999;

/**
 * How many exchanges `entry` says a cut left out (0 when it is a real exchange). Results are bounded when a run
 * judges them and again when a matrix is built or read back: the second cut must carry the first one's count on,
 * not count the entry as one exchange more.
 */
const leftOutBy = (entry: Evidence | undefined): number => (entry?.case === '' && entry.step === '' ? Number(MORE.exec(entry.request)?.[1] ?? 0) : 0);

function boundEvidence(all: readonly Evidence[], max: number): Evidence[] {
  const b = RESULT_BOUNDS;
  const carried = leftOutBy(all.at(-1));
  const list = carried > 0 ? all.slice(0, -1) : all;
  const kept = list.slice(0, max).map((e): Evidence => {
    const out: Evidence = { ...e, case: capText(e.case, b.evidenceField), step: capText(e.step, b.evidenceField), request: capText(e.request, b.evidenceField) };
    if (e.requestId !== undefined) out.requestId = capText(e.requestId, b.evidenceField);
    if (e.error !== undefined) out.error = capText(e.error, b.evidenceField);
    if (e.answeredBy !== undefined) out.answeredBy = capText(e.answeredBy, b.evidenceField);
    if (e.excerpt !== undefined) out.excerpt = capText(e.excerpt, b.excerpt);
    return out;
  });
  const leftOut = Math.min(MOST_LEFT_OUT, carried + Math.max(0, list.length - max));
  if (leftOut > 0) kept.push(moreEntry(leftOut));
  return kept;
}

const boundObserved = <T>(value: T): T => (typeof value === 'string' ? (capText(value, RESULT_BOUNDS.observed) as T) : value);

function boundTrial(trial: TrialResult): TrialResult {
  return { ...trial, observed: boundObserved(trial.observed), reason: capText(trial.reason, RESULT_BOUNDS.trialReason), evidence: boundEvidence(trial.evidence, RESULT_BOUNDS.evidencePerTrial) };
}

/** The result with its reason, observed value, evidence and trials within RESULT_BOUNDS. */
export function boundResult<T extends Pick<MatrixResult, 'reason' | 'evidence' | 'observed' | 'otherModel' | 'listedOthers'> & { trials?: TrialResult[] }>(result: T): T {
  const out = {
    ...result,
    observed: boundObserved(result.observed),
    reason: capText(result.reason, RESULT_BOUNDS.reason),
    evidence: boundEvidence(result.evidence, RESULT_BOUNDS.evidencePerCell),
  };
  if (result.trials) out.trials = result.trials.map(boundTrial);
  // The names are endpoint text, and a matrix.json read from elsewhere may carry more of them than a run keeps.
  if (result.otherModel) {
    out.otherModel = { ...result.otherModel, names: result.otherModel.names.slice(0, 3).map((n) => capText(n, RESULT_BOUNDS.evidenceField)) };
    if (result.otherModel.catalogModel !== undefined) out.otherModel.catalogModel = capText(result.otherModel.catalogModel, RESULT_BOUNDS.evidenceField);
  }
  // Hashes the gate reads to tell a same-model listed id's vouch from a default model's answers: only well formed.
  if (result.listedOthers !== undefined) {
    const others = readListedOthers(result.listedOthers);
    if (others) out.listedOthers = others;
    else delete out.listedOthers;
  }
  return out;
}
