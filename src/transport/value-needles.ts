/**
 * @module transport/value-needles
 * How the redactor looks for one form of a value the run holds (the value, decoded, JSON-escaped, its hex): ASCII
 * letter case ignored, and a space and `+` the same (a form-encoded space). A case-insensitive RegExp for the
 * usual lengths (a few ms on 6 MB); a longer form is looked up with indexOf in a folded copy of the text instead.
 * V8 refuses a RegExp of some 32k characters ("Regular expression too large"), and a 16k-character key's hex is
 * that: the run crashed on every request, and the error quoted the pattern, which is the key.
 */

/** Forms longer than this are not made into a RegExp. Real keys and tokens are shorter; their hex may not be. */
const LONGEST_PATTERN = 2_000;

/** A form to look for: a RegExp, or the folded form for an indexOf. */
export type ValueNeedle = RegExp | { readonly folded: string };

/** ASCII letters lower-cased and a space made `+`: one character for one, so offsets in the copy are the text's. */
function folded(text: string): string {
  return text.replace(/[A-Z ]/g, (c) => (c === ' ' ? '+' : c.toLowerCase()));
}

export function valueNeedle(form: string): ValueNeedle {
  if (form.length > LONGEST_PATTERN) return { folded: folded(form) };
  return new RegExp(form.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&').replace(/\\\+| /g, '[+ ]'), 'gi');
}

/** Where `needle` is in `text`: [start, end) offsets, left to right, none overlapping. */
export function* valueMatches(needle: ValueNeedle, text: string): Generator<[number, number]> {
  if (needle instanceof RegExp) {
    for (const match of text.matchAll(needle)) yield [match.index, match.index + match[0].length];
    return;
  }
  const { folded: form } = needle;
  const hay = folded(text);
  for (let at = hay.indexOf(form); at !== -1; at = hay.indexOf(form, at + form.length)) yield [at, at + form.length];
}
