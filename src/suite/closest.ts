/**
 * @module suite/closest
 * "Did you mean" for misspelt ids: the known id with the smallest edit distance, if it is close enough.
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
