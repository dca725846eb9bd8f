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
 * `us-west2`), or one letter added, dropped or changed in a name of six characters or more (`emulatr`). A changed
 * digit is another version or region (`claude-opus-4-9` is no slip of `-4-7`), and short names differ by design.
 */
export function slipOf(word: string, known: readonly string[]): string | undefined {
  return respellingOf(word, known) ?? known.find((name) => Math.min(name.length, word.length) >= 6 && oneLetterApart(word.toLowerCase(), name.toLowerCase()));
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
