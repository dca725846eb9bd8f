/**
 * @module report/check-definitions
 * What a check is, as a matrix.json states it beside its cells: its title (what it says it measures), its API, its
 * vocabulary (the words its cells may observe) and its reference (the spec-conformant word). Every build reports
 * version 0.1.0, so a file written by another build is told apart only by these: a check that grew a word (`other`,
 * `ignored`) or changed its meaning under one id and one word (`ignored` once meant "accepted", now "answered without
 * the first turn") is another check. Two files' cells of such a check are not one series: a merge would write words
 * its own reader refuses, and a comparison would blame the endpoint for what the harness changed. The group is left
 * out: it is a display heading derived from the id, not what the check measures. A title changed in wording only is
 * told apart too (the file cannot say which rewordings keep the meaning), once, at the upgrade.
 */
import { createHash } from 'node:crypto';
import { inertLine } from './inert-text.ts';
import type { MatrixCheck, MatrixComparison } from './matrix.ts';

/** The parts of a check that make it the same check in two files. */
export type CheckDefinition = Pick<MatrixCheck, 'id' | 'title' | 'api' | 'vocabulary' | 'reference'>;

const shown = (value: unknown, max = 200) => inertLine(JSON.stringify(value) ?? 'none', max);
const words = (v: CheckDefinition['vocabulary']) => (v === 'number-or-null' ? new Set<string>() : new Set(v));

/** How the vocabularies differ (a list compared as a set: its order is display), or undefined. */
function vocabularyDifference(a: CheckDefinition['vocabulary'], b: CheckDefinition['vocabulary'], names: readonly [string, string]): string | undefined {
  if (a === 'number-or-null' || b === 'number-or-null') return a === b ? undefined : `vocabulary (${names[0]}: ${a === 'number-or-null' ? 'a number' : 'words'}; ${names[1]}: ${b === 'number-or-null' ? 'a number' : 'words'})`;
  const [x, y] = [words(a), words(b)];
  const onlyA = [...x].filter((w) => !y.has(w));
  const onlyB = [...y].filter((w) => !x.has(w));
  if (!onlyA.length && !onlyB.length) return undefined;
  const list = (ws: string[]) => (ws.length ? inertLine(ws.map((w) => JSON.stringify(w)).join(', '), 300) : 'none');
  return `vocabulary (only in ${names[0]}: ${list(onlyA)}; only in ${names[1]}: ${list(onlyB)})`;
}

/**
 * How two definitions of one check id differ, in words naming `names` (the two files, or "the baseline" and "this
 * run"), or undefined when they are the same check. A file without a reference states none (as the reader reads it).
 */
export function definitionDifference(a: CheckDefinition, b: CheckDefinition, names: readonly [string, string]): string | undefined {
  const parts = [
    vocabularyDifference(a.vocabulary, b.vocabulary, names),
    (a.reference ?? null) === (b.reference ?? null) ? undefined : `reference (${names[0]}: ${shown(a.reference ?? null)}; ${names[1]}: ${shown(b.reference ?? null)})`,
    a.api === b.api ? undefined : `API (${names[0]}: ${shown(a.api)}; ${names[1]}: ${shown(b.api)})`,
    a.title === b.title ? undefined : `title (${names[0]}: ${shown(a.title)}; ${names[1]}: ${shown(b.title)})`,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * The definition as 16 hex digits, for a history run file (a year of them: the digest, not the words): two runs whose
 * digests differ measured a check differently. The vocabulary is a set, as definitionDifference reads it.
 */
export function definitionDigest(c: CheckDefinition): string {
  const vocabulary = c.vocabulary === 'number-or-null' ? c.vocabulary : [...new Set(c.vocabulary)].sort();
  return createHash('sha256').update(JSON.stringify([c.title, c.api, vocabulary, c.reference ?? null])).digest('hex').slice(0, 16);
}

/**
 * The baseline's words when `now` only added words to `was` (same title, API and reference): a cell that observed
 * one of those words on both sides measured the same thing, and is compared as ever; undefined otherwise.
 */
function grownFrom(was: CheckDefinition, now: CheckDefinition): ReadonlySet<string> | undefined {
  if (was.title !== now.title || was.api !== now.api || (was.reference ?? null) !== (now.reference ?? null)) return undefined;
  if (was.vocabulary === 'number-or-null' || now.vocabulary === 'number-or-null') return undefined;
  const [old, grown] = [words(was.vocabulary), words(now.vocabulary)];
  return [...old].every((w) => grown.has(w)) ? old : undefined;
}

/**
 * The checks both lists define, and defined differently: id and how, in the order of `b`, and `grownFrom`, `a`'s
 * words, when `b` only added words to them (see grownFrom).
 */
export function changedDefinitions(a: readonly CheckDefinition[], b: readonly CheckDefinition[], names: readonly [string, string]): { id: string; difference: string; grownFrom?: ReadonlySet<string> }[] {
  const before = new Map(a.map((c) => [c.id, c]));
  return b.flatMap((now) => {
    const was = before.get(now.id);
    const difference = was && definitionDifference(was, now, names);
    if (!difference) return [];
    const old = grownFrom(was!, now);
    return [{ id: now.id, difference, ...(old ? { grownFrom: old } : {}) }];
  });
}

/**
 * The comparison's checks whose definition changed with the harness since the baseline, a line each: their cells were
 * not compared (neither new failures nor fixes nor changed values). Ids and titles are run data: callers neutralise
 * each line for where it goes.
 */
export function changedCheckLines(comparison: Pick<MatrixComparison, 'changedChecks'>): string[] {
  return (comparison.changedChecks ?? []).map(
    (c) => `check ${c.check} changed with the harness since the baseline (its definition differs: ${c.difference}): its ${c.cells} cell${c.cells === 1 ? ' is' : 's are'} not compared, neither a new failure nor a fix (take this run's matrix.json as the next baseline)`,
  );
}
