/**
 * @module suite/closest
 * "Did you mean" for misspelt ids: the known id with the smallest edit distance, if it is close enough (closest);
 * and the stricter slip (slipOf), for names that may rightly be new (a model version, a gateway) unless they are
 * a known one written differently (respellingOf: case and separators alone).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Letter case is no edit: `OPENAI.GPT-OSS-20B` means `openai.gpt-oss-20b`, said as the candidate spells it.
  const lower = word.toLowerCase();
  // A truncated id ("defaults.temp") means the one it starts.
  const extended = candidates.filter((c) => c.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length)[0];
  if (extended) return extended;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name `word` is a slip of, if any: the same up to letter case and separators (`xai.grok-4-3`,
 * `us-west2`), or, in a name of six characters or more, one letter added, dropped or changed (`emulatr`), a digit
 * typed as the letter it looks like (`gpt-oss-2ob`: 0/o, 1/l) or two neighbouring characters swapped (`gtp-oss`).
 * A changed digit is another version or region (`claude-opus-4-9` is no slip of `-4-7`), and so are two digits
 * swapped (`-12b`, `-21b`); short names differ by design.
 */
export function slipOf(word: string, known: readonly string[]): string | undefined {
  const near = (a: string, b: string) => oneLetterApart(a, b) || lookalikeDigit(a, b) || swapped(a, b);
  return respellingOf(word, known) ?? known.find((name) => Math.min(name.length, word.length) >= 6 && near(word.toLowerCase(), name.toLowerCase()));
}

/**
 * The known name `word` is written otherwise, if any: the same up to letter case and separators (`xai.grok-4-3`,
 * `XAI.GROK-4.3`): the part of slipOf a `--models` id is refused on (cli/respelt-models.ts).
 */
export function respellingOf(word: string, known: readonly string[]): string | undefined {
  const bare = (name: string) => name.toLowerCase().replace(/[.\-_:/\s]/g, '');
  const plain = bare(word);
  return known.find((name) => name !== word && bare(name) === plain);
}

/** Whether `a` and `b` differ by one letter (not a digit) added, dropped or changed. */
function oneLetterApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const letter = (c: string | undefined) => c !== undefined && !/[0-9]/.test(c);
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) && letter(a[i]) && letter(b[i]);
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i) && letter(long[i]);
}

/** Digits and the letters typed for them: the same glyph to a reader, no other version. */
const LOOKALIKE: Record<string, string> = { '0': 'o', o: '0', '1': 'l', l: '1' };

/** The index of the first character at which `a` and `b` (of one length) differ, or -1 when they are equal. */
function firstDifference(a: string, b: string): number {
  if (a.length !== b.length || a === b) return -1;
  let i = 0;
  while (a[i] === b[i]) i++;
  return i;
}

/** Whether `a` and `b` differ only in one character that is a digit in one and its look-alike letter in the other. */
function lookalikeDigit(a: string, b: string): boolean {
  const i = firstDifference(a, b);
  return i >= 0 && LOOKALIKE[a[i]!] === b[i] && a.slice(i + 1) === b.slice(i + 1);
}

/** Whether `b` is `a` with two neighbouring characters swapped, not both digits (`12` and `21` are two numbers). */
function swapped(a: string, b: string): boolean {
  const i = firstDifference(a, b);
  if (i < 0 || i + 1 >= a.length) return false;
  const digits = /[0-9]/.test(a[i]!) && /[0-9]/.test(a[i + 1]!);
  return !digits && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
