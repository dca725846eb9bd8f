/**
 * @module transport/secret-pieces
 * Pieces of the run's own secrets in text, for the redactor (redactor.ts): any MIN_PIECE_LENGTH characters of a value
 * in a row (a truncated echo), and windows of the runs of a value's characters, found by hand.
 */

/** Pieces this long of a run's own value are the value: 12 characters of a random key never occur by chance. */
export const MIN_PIECE_LENGTH = 12;
/**
 * Starts every key of a kind shares: a piece wholly inside one says nothing of the key (`bedrock-api-key-` in an
 * error text). `ABSKQmVkcm9ja0FQSUtleS` is a long-term Bedrock API key's `ABSK` and base64 of `BedrockAPIKey-`,
 * whose decoded text (derived-secrets.ts) starts `BedrockAPIKey-`.
 */
const PUBLIC_PREFIXES = ['bedrock-api-key-', 'bedrockapikey-', 'abskqmvkcm9ja0fqsutles', 'sk-proj-', 'sk-test-', 'sk-live-', 'sk-ant-', 'sk-', 'akia', 'asia'];

/**
 * Every piece of the values with its kind, for a truncated echo (`Invalid key sk-abc123def456...`, the last 14
 * characters), and `chars`: the characters the values are made of (a piece lies in a run of them).
 * Built once: every text of a run asks with the same values.
 */
export function piecesOf(searched: readonly { kind: string; value: string; pieces: readonly string[] }[]): Pieces | undefined {
  const key = searched.map(({ kind, value }) => `${kind}\n${value}`).join('\n\n');
  if (piecesCache.has(key)) return piecesCache.get(key);
  const kinds = new Map<string, string>();
  for (const { kind, pieces } of searched) for (const piece of pieces) if (!kinds.has(piece)) kinds.set(piece, kind);
  const byFirst = new Map<number, string[]>();
  for (const piece of kinds.keys()) byFirst.set(piece.charCodeAt(0), [...(byFirst.get(piece.charCodeAt(0)) ?? []), piece]);
  // A window is compared only with the pieces that start as it does, in place: no string made per position.
  const find = (lower: string, at: number) => {
    for (const piece of byFirst.get(lower.charCodeAt(at)) ?? []) if (lower.startsWith(piece, at)) return kinds.get(piece);
    return undefined;
  };
  const pieces = kinds.size === 0 ? undefined : { find, chars: charSet([...kinds.keys()].join('')) };
  if (piecesCache.size >= 100) piecesCache.clear();
  piecesCache.set(key, pieces);
  return pieces;
}
type Pieces = { find: (lower: string, at: number) => string | undefined; chars: Set<number> };
const piecesCache = new Map<string, Pieces | undefined>();

/** The character codes of `text`, in either letter case: what a run of a value's characters is made of. */
function charSet(text: string): Set<number> {
  return new Set([...text.toLowerCase(), ...text.toUpperCase()].map((c) => c.charCodeAt(0)));
}
export const HEX_CHARS = charSet('0123456789abcdef');

/**
 * Where windows of `width` characters that `kindOf` knows (lower-cased) lie in the runs of `chars` in `text`,
 * overlapping ones as one range. The runs are found by hand: a regular expression's `[...]{12,}` over a run of
 * megabytes (a base64 image) overflows the stack.
 */
export function* windowsIn(text: string, chars: Set<number>, width: number, kindOf: (lower: string, at: number) => string | undefined): Generator<[number, number, string]> {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && chars.has(text.charCodeAt(i))) continue;
    if (i - start >= width) yield* windowsOfRun(text, start, i, width, kindOf);
    start = i + 1;
  }
}

/** `kindOf` is asked of the run lower-cased, at each window's start (`lower.startsWith(value, at)`, no copies). */
function* windowsOfRun(text: string, from: number, to: number, width: number, kindOf: (lower: string, at: number) => string | undefined): Generator<[number, number, string]> {
  const lower = text.slice(from, to).toLowerCase();
  let open: [number, number, string] | undefined;
  for (let at = 0; at + width <= lower.length; at++) {
    const kind = kindOf(lower, at);
    if (!kind) continue;
    if (open && from + at <= open[1]) open[1] = from + at + width;
    else {
      if (open) yield open;
      open = [from + at, from + at + width, kind];
    }
  }
  if (open) yield open;
}

/** A value's pieces of MIN_PIECE_LENGTH characters, lower-cased, but those wholly within a public prefix. */
export function piecesOfValue(value: string): string[] {
  const lower = value.toLowerCase();
  const known = Math.max(0, ...PUBLIC_PREFIXES.filter((prefix) => lower.startsWith(prefix)).map((prefix) => prefix.length));
  const pieces = new Set<string>();
  for (let at = Math.max(0, known - MIN_PIECE_LENGTH + 1); at + MIN_PIECE_LENGTH <= lower.length; at++) pieces.add(lower.slice(at, at + MIN_PIECE_LENGTH));
  return [...pieces];
}
