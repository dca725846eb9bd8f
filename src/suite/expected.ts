/**
 * @module suite/expected
 * What a cell is expected to observe, as the catalog, the expectations file and the references state it: one
 * value; a list of values, any of which may be observed (and which may alternate between trials: an intermittent
 * result, as web-platform-tests' expectations list them); or `"flaky"`, a cell known to vary, any value accepted.
 */
import { describeVocabulary, inVocabulary, type CheckSignature } from './check-signature.ts';

/** An observed value: a word from the check's vocabulary, a number, or null. */
export type Observed = string | number | null;

/** One value, a list of allowed values, or `"flaky"` (no check has the word in its vocabulary). */
export type Expected = Observed | Observed[];

/** The expectation of a cell known to vary from trial to trial, whatever the values. */
export const FLAKY = 'flaky';

export function sameValue(a: Observed, b: Observed): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return a === b;
}

/** Whether an observed value meets the expectation. */
export function meets(expected: Expected, observed: Observed): boolean {
  if (expected === FLAKY) return true;
  if (Array.isArray(expected)) return expected.some((value) => sameValue(value, observed));
  return sameValue(expected, observed);
}

/** Whether trials may disagree without failing the gate: a list of values or `"flaky"`. */
export function allowsVariation(expected: Expected): boolean {
  return expected === FLAKY || Array.isArray(expected);
}

/** `"integer"`, `one of "a", "b"`, `flaky (any value)`: for reasons and reports. */
export function describeExpected(expected: Expected): string {
  if (expected === FLAKY) return 'flaky (any value)';
  if (Array.isArray(expected)) return `one of ${expected.map((v) => JSON.stringify(v)).join(', ')}`;
  return JSON.stringify(expected);
}

/** Why an expected value does not fit the check's vocabulary, or undefined when it does. */
export function expectedProblem(check: CheckSignature, expected: Expected): string | undefined {
  if (expected === FLAKY) return undefined;
  const values = Array.isArray(expected) ? expected : [expected];
  if (Array.isArray(expected) && expected.length < 2) return 'a list states two or more values (use a single value otherwise)';
  // "flaky" says any value may be seen over the trials: as one of a list it would both widen and narrow the list.
  if (Array.isArray(expected) && expected.includes(FLAKY)) return `"${FLAKY}" cannot be an item of a list of accepted values: it is a verdict over trials (any value), stated alone (\`${FLAKY}\`); list the values instead`;
  // YAML's .inf and .nan, and a number too large for a double (1e400), are numbers no endpoint's JSON can carry:
  // JSON would write them as null, and the cell would be judged against a value nobody stated.
  const infinite = values.filter((v) => typeof v === 'number' && !Number.isFinite(v));
  if (infinite.length) return `${infinite.map(String).join(', ')} is not a finite number (.inf, .nan and numbers beyond a double, e.g. 1e400, cannot be observed); state the number the endpoint answers`;
  const bad = values.filter((v) => !inVocabulary(check, v));
  return bad.length ? `${bad.map((v) => JSON.stringify(v)).join(', ')} is not one of ${describeVocabulary(check)}, or "${FLAKY}"` : undefined;
}
