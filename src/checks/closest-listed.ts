/**
 * @module checks/closest-listed
 * "Did you mean" from the endpoint's own model list: models.listed names, when the list does not hold the model, a
 * listed id that names the same model (another case, a date, an Ollama tag: it vouches for the id), else the listed
 * id closest to it, and the gate (report/observed-models.ts) reads that name back from the end of a `not-listed`
 * cell's reason (listedIdsIn). The closest id is never a name of the model asked for: "did you mean" it would be no fix.
 * The ids are endpoint text: only one that is an acceptable model id (src/names.ts: letters, digits and `. _ : / @ +
 * -`, no quote, no control character) is ever named, and read back only if it still is one.
 */
import { nameProblem } from '../names.ts';
import { closest } from '../suite/closest.ts';
import { namesAnotherModel } from './answered-by.ts';

/** How a models.listed reason names the closest listed id: `; the closest listed id is "b"`. */
const WORDS = '; the closest listed id is ';
/** How it names a listed id of the same model: `; the endpoint lists "Qwen3-32B", a name of the same model`. */
const SAME_WORDS = '; the endpoint lists ';
const SAME_NAMED = /; the endpoint lists "([^"]{1,300})", a name of the same model/;

/** An Ollama tag (`:7b`, `:latest`, `:7b-instruct-q4_K_M`): an id given without one is served under one of them. */
const TAG = /:[A-Za-z0-9][\w.-]*$/;

/**
 * Whether a listed id names the model `asked` names: no name of it is another model's (answered-by.ts, the rule the
 * evidence uses: case, dates, `-latest`, Bedrock versions), or `asked` has no tag and is the listed id without its
 * Ollama tag (`llama3` for `llama3:8b`). Only for vouching: answers from `qwen2.5:7b` to `qwen2.5:14b` are still
 * another model's.
 */
export function namesListedModel(asked: string, listed: string): boolean {
  if (!namesAnotherModel(asked, listed)) return true;
  return !TAG.test(asked) && TAG.test(listed) && !namesAnotherModel(asked, listed.replace(TAG, ''));
}

/** The words a models.listed reason adds for a model its list does not hold: a listed id of the same model, the closest listed id, or nothing. */
export function closestListedWords(model: string, listed: readonly unknown[]): string {
  const ids = listed.filter((id): id is string => typeof id === 'string' && id !== model && nameProblem(id, 'model id') === undefined);
  const same = ids.find((id) => namesListedModel(model, id));
  if (same) return `${SAME_WORDS}${JSON.stringify(same)}, a name of the same model`;
  const guess = closest(model, ids);
  return guess ? `${WORDS}${JSON.stringify(guess)}` : '';
}

/** The listed id of the same model a models.listed reason names, if it names an acceptable one. */
export function sameListedIn(reason: string): string | undefined {
  return acceptable(SAME_NAMED.exec(reason)?.[1]);
}

/** A path's count in a not-listed reason: `/v1/models: 3 models` (a list without the model, its last page). */
const COUNT = String.raw`[^\s;"]+: \d+ models`;
/**
 * The harness's own clause at the very end of a `not-listed` reason, right after the counts of the lists read (paths
 * and numbers, no endpoint text): `; /v1/models: 3 models; the closest listed id is "b"`. Anchored: an error's reason
 * that quotes the endpoint ("could not read a model list: ... (Forbidden; the endpoint lists "x", ...)") never matches.
 */
const TAIL = new RegExp(`(?:^|; )${COUNT}(?:; ${COUNT})*(?:; the closest listed id is "([^"]{1,300})"|; the endpoint lists "([^"]{1,300})", a name of the same model)$`);

/** The listed ids a `not-listed` reason ends by naming (the same model's, or the closest), if acceptable ones. */
export function listedIdsIn(reason: string): { same?: string; guess?: string } {
  const found = TAIL.exec(reason);
  const guess = acceptable(found?.[1]);
  const same = acceptable(found?.[2]);
  return { ...(same ? { same } : {}), ...(guess ? { guess } : {}) };
}

function acceptable(id: string | undefined): string | undefined {
  return id !== undefined && nameProblem(id, 'model id') === undefined ? id : undefined;
}
