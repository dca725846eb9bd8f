/**
 * @module checks/other-model-answers
 * The answers among a cell's (or a model's) evidence that came in another model's name (evidence `answeredBy`,
 * checks/answered-by.ts): counted, each exchange once, and their names quoted for a line a person reads. Shared by
 * the reasons of the cells and by the gate, and free of the transport: the report layer reads it too.
 */
import type { CheckResult } from './types.ts';

/** Model names an endpoint gave that a line quotes: a few, each cut short (they are endpoint text). */
const NAMES_QUOTED = 2;
const NAME_CHARS_QUOTED = 40;

export interface OtherModelAnswers {
  /** The 2xx answers, each exchange once (case, step, request, trial). */
  answers: number;
  /** Those of them in another model's name. */
  others: number;
  /** `"meta.llama-default", "b" and 2 more`: the names, sorted, quoted and cut short; empty when `others` is 0. */
  names: string;
  /** The names as they came (each already cut to 128 characters where recorded), sorted. */
  named: string[];
}

/** `"a", "b" and 2 more`: names quoted for a line a person reads, a few, each cut short (they are endpoint text). */
export function quoteNames(names: readonly string[]): string {
  const sorted = [...new Set(names)].sort();
  const quoted = sorted.slice(0, NAMES_QUOTED).map((n) => JSON.stringify(n.length > NAME_CHARS_QUOTED ? `${[...n].slice(0, NAME_CHARS_QUOTED).join('')}...` : n));
  return `${quoted.join(', ')}${sorted.length > NAMES_QUOTED ? ` and ${sorted.length - NAMES_QUOTED} more` : ''}`;
}

/** Whether a result's evidence (its trials' too) holds an answer in another model's name: most hold none. */
export function citesAnotherModel(result: Pick<CheckResult, 'evidence' | 'trials'>): boolean {
  const named = (evidence: CheckResult['evidence']) => evidence.some((e) => e.answeredBy !== undefined);
  return named(result.evidence) || (result.trials ?? []).some((trial) => named(trial.evidence));
}

/** The answers in results' evidence, their trials' too. */
export function otherModelAnswers(results: readonly Pick<CheckResult, 'evidence' | 'trials'>[]): OtherModelAnswers {
  const answers = new Set<string>();
  const others = new Set<string>();
  const names = new Set<string>();
  for (const e of results.flatMap((r) => [...r.evidence, ...(r.trials ?? []).flatMap((t) => t.evidence)])) {
    if (e.status === undefined || e.status < 200 || e.status >= 300) continue;
    const key = `${e.case} ${e.step} ${e.request} ${e.trial ?? 1}`;
    answers.add(key);
    if (e.answeredBy === undefined) continue;
    others.add(key);
    names.add(e.answeredBy);
  }
  const named = [...names].sort();
  return { answers: answers.size, others: others.size, names: quoteNames(named), named };
}
