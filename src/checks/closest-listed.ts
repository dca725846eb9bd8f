/**
 * @module checks/closest-listed
 * "Did you mean" from the endpoint's own model list: models.listed names, when the list does not hold the model, the
 * listed id closest to it, and the gate (report/observed-models.ts) reads that name back from the cell's reason.
 * The ids are endpoint text: only one that is an acceptable model id (src/names.ts: letters, digits and `. _ : / @ +
 * -`, no quote, no control character) is ever named, and read back only if it still is one.
 */
import { nameProblem } from '../names.ts';
import { closest } from '../suite/closest.ts';

/** How a models.listed reason names the closest listed id: `; the closest listed id is "b"`. */
const WORDS = '; the closest listed id is ';
const NAMED = /; the closest listed id is "([^"]{1,300})"/;

/** The words a models.listed reason adds for a model its list does not hold: the closest listed id, or nothing. */
export function closestListedWords(model: string, listed: readonly unknown[]): string {
  const ids = listed.filter((id): id is string => typeof id === 'string' && id !== model && nameProblem(id, 'model id') === undefined);
  const guess = closest(model, ids);
  return guess ? `${WORDS}${JSON.stringify(guess)}` : '';
}

/** The closest listed id a models.listed reason names, if it names an acceptable one. */
export function closestListedIn(reason: string): string | undefined {
  const guess = NAMED.exec(reason)?.[1];
  return guess !== undefined && nameProblem(guess, 'model id') === undefined ? guess : undefined;
}
