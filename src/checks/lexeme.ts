/**
 * @module checks/lexeme
 * The lexical form of a JSON value, read from the lossless parse: JSON.parse turns `1.7635E9` into 1763500000 and
 * hides exactly what strict SDKs (.NET, Go) choke on.
 */
import { isLosslessNumber } from '../transport/body.ts';

export const LEXEME_KINDS = ['integer', 'float', 'exponent', 'string', 'missing', 'other'] as const;
export type LexemeKind = (typeof LEXEME_KINDS)[number];

/**
 * `integer` (digits only), `float` (has a `.`), `exponent` (has e/E), `string`, `missing` (absent or null), or `other`
 * (a boolean, object or array: no number at all).
 */
export function lexemeKind(value: unknown): { kind: LexemeKind; lexeme: string | null } {
  if (value === undefined || value === null) return { kind: 'missing', lexeme: null };
  if (typeof value === 'string') return { kind: 'string', lexeme: JSON.stringify(value) };
  if (isLosslessNumber(value)) {
    const lexeme = value.value;
    if (/[eE]/.test(lexeme)) return { kind: 'exponent', lexeme };
    if (lexeme.includes('.')) return { kind: 'float', lexeme };
    return { kind: 'integer', lexeme };
  }
  // A plain number only comes from outside the lossless parser; a boolean, object or array is no number at all.
  if (typeof value === 'number') return { kind: Number.isInteger(value) ? 'integer' : 'float', lexeme: String(value) };
  return { kind: 'other', lexeme: JSON.stringify(value) ?? String(value) };
}
