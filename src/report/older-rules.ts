/**
 * @module report/older-rules
 * What an older build's matrix.json may hold that this version judges otherwise, for the note `report` and `merge`
 * print beside it. Each format's entry in OLDER_RULES is what the next format changed, so a file is told every change
 * after its own: the gate judged here again applies them all (a format 2 file fails on unusable listed ids too).
 */
import { MATRIX_FORMATS } from '../suite/matrix-schema.ts';
import { OLDER_RULES, type WrittenFormat } from './matrix.ts';

/** Every rule change since `format`, oldest first, joined for one line; empty for this version's format. */
export function olderRules(format: WrittenFormat): string {
  const since = (MATRIX_FORMATS as readonly string[]).indexOf(format);
  return (Object.keys(OLDER_RULES) as (keyof typeof OLDER_RULES)[])
    .map((f) => ({ f, at: (MATRIX_FORMATS as readonly string[]).indexOf(f) }))
    .filter(({ at }) => at >= since)
    .sort((a, b) => a.at - b.at)
    .map(({ f }) => OLDER_RULES[f])
    .join('; ');
}
