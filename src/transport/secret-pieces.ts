/**
 * @module transport/secret-pieces
 * Pieces of the run's own secrets in text, for the redactor (redactor.ts): any MIN_PIECE_LENGTH characters of a value
 * in a row (a truncated echo), and windows of the runs of a value's characters, found by hand; of the run's SigV4
 * signatures (thousands), any MIN_PIECE_LENGTH digits in a row, looked up by anchors (HexIndex).
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
  // Each piece filed under its first 4 characters (its anchor, one number), with a bit per anchor's hash: a window is
  // passed over on one bit unless a piece starts as it does, then compared in place with those pieces only. A list
  // per first character was ~900 comparisons a position for a session token: seconds for a 6 MB base64 body.
  const byAnchor = new Map<number, string[]>();
  const marked = new Uint32Array(1 << (ANCHOR_BITS - 5));
  for (const piece of kinds.keys()) {
    const anchor = pieceAnchor(piece, 0);
    const bit = anchorBit(anchor);
    marked[bit >>> 5]! |= 1 << (bit & 31);
    const held = byAnchor.get(anchor);
    if (held) held.push(piece);
    else byAnchor.set(anchor, [piece]);
  }
  const find = (lower: string, at: number) => {
    const anchor = pieceAnchor(lower, at);
    const bit = anchorBit(anchor);
    if ((marked[bit >>> 5]! & (1 << (bit & 31))) === 0) return undefined;
    for (const piece of byAnchor.get(anchor) ?? []) if (lower.startsWith(piece, at)) return kinds.get(piece);
    return undefined;
  };
  const pieces = kinds.size === 0 ? undefined : { find, chars: charSet([...kinds.keys()].join('')) };
  if (piecesCache.size >= 100) piecesCache.clear();
  piecesCache.set(key, pieces);
  return pieces;
}
type Pieces = { find: (lower: string, at: number) => string | undefined; chars: Set<number> };
const piecesCache = new Map<string, Pieces | undefined>();

/** Bits of an anchor's hash: 64 K bits, 8 KB, mostly clear for the few thousand pieces a run has. */
const ANCHOR_BITS = 16;

/** The 4 characters at `at` as one number (each character's low 8 bits: a collision costs a comparison, no more). */
function pieceAnchor(text: string, at: number): number {
  return ((text.charCodeAt(at) & 0xff) << 24) | ((text.charCodeAt(at + 1) & 0xff) << 16) | ((text.charCodeAt(at + 2) & 0xff) << 8) | (text.charCodeAt(at + 3) & 0xff);
}

function anchorBit(anchor: number): number {
  return Math.imul(anchor, 0x9e3779b1) >>> (32 - ANCHOR_BITS);
}

/** The character codes of `text`, in either letter case: what a run of a value's characters is made of. */
function charSet(text: string): Set<number> {
  return new Set([...text.toLowerCase(), ...text.toUpperCase()].map((c) => c.charCodeAt(0)));
}

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
  const known = publicPrefixLength(value);
  const pieces = new Set<string>();
  for (let at = Math.max(0, known - MIN_PIECE_LENGTH + 1); at + MIN_PIECE_LENGTH <= lower.length; at++) pieces.add(lower.slice(at, at + MIN_PIECE_LENGTH));
  return [...pieces];
}

/** How many leading characters of `value` are a public prefix (PUBLIC_PREFIXES, any case), which says nothing of it. */
export function publicPrefixLength(value: string): number {
  const lower = value.toLowerCase();
  return Math.max(0, ...PUBLIC_PREFIXES.filter((prefix) => lower.startsWith(prefix)).map((prefix) => prefix.length));
}

/**
 * Hex values (the run's SigV4 signatures, thousands of them) indexed for their pieces: where MIN_PIECE_LENGTH or
 * more of a value's digits in a row lie in a text. Each value is filed under its 7-digit runs at every 6th digit
 * (its anchors): any 12 digits of it in a row hold one, so a text is read once, its hex digits folded into a
 * number as they come, and only a digit run that is an anchor is compared further. Ten small integers a value:
 * every 12-digit piece of 50,000 signatures would be millions of strings. A value added `whole` (the hex of a value
 * matched whole only, whole-hex.ts) is found only in full: it is filed under its first anchor alone, any length.
 */
export class HexIndex {
  readonly kind: string;
  /** How many digits in a row make a find: MIN_PIECE_LENGTH, or twice it for the hex of a value's bytes (encoded-pieces.ts). */
  readonly minLength: number;
  /** The values, lower-cased, each once, and each one's kind (the index's, unless added with another). */
  readonly #values: string[] = [];
  readonly #kinds: string[] = [];
  /** Per value: how many of its digits in a row make a find (minLength, or all of them for a `whole` one). */
  readonly #needs: number[] = [];
  readonly #known = new Set<string>();
  /** Anchor (7 digits as a number) to where it is: value number * MAX_HEX_LENGTH + offset, or several such. */
  readonly anchors = new Map<number, number | number[]>();
  /** A bit per anchor's hash (markBit): a text's digits are passed over on one bit, not a map lookup an index. */
  readonly marks = new Uint32Array(1 << (MARK_BITS - 5));
  /** The set as this index was last brought up to date with it (hexIndexOf): its size (an AddedInOrder's count of values ever added) and first value. */
  state: { size: number; first?: string | undefined } = { size: -1 };

  constructor(kind: string, minLength = MIN_PIECE_LENGTH) {
    this.kind = kind;
    this.minLength = Math.max(MIN_PIECE_LENGTH, minLength);
  }

  get size(): number {
    return this.#values.length;
  }

  has(value: string): boolean {
    return this.#known.has(value) || this.#known.has(value.toLowerCase());
  }

  /** `whole`: found only in full, never by a piece (its offset is always 0, so it may be longer than MAX_HEX_LENGTH). */
  add(value: string, kind = this.kind, whole = false): void {
    if (this.#known.has(value)) return;
    const lower = value.toLowerCase();
    if (this.#known.has(lower) || lower.length < (whole ? ANCHOR : this.minLength) || (!whole && lower.length > MAX_HEX_LENGTH) || !/^[0-9a-f]+$/.test(lower)) return;
    this.#known.add(lower);
    const base = this.#values.push(lower) - 1;
    this.#kinds.push(kind);
    this.#needs.push(whole ? lower.length : this.minLength);
    for (let at = 0; at + ANCHOR <= lower.length && (at === 0 || !whole); at += ANCHOR_STEP) {
      const key = Number.parseInt(lower.slice(at, at + ANCHOR), 16);
      const bit = markBit(key);
      this.marks[bit >>> 5]! |= 1 << (bit & 31);
      const entry = base * MAX_HEX_LENGTH + at;
      const held = this.anchors.get(key);
      if (held === undefined) this.anchors.set(key, entry);
      else if (typeof held === 'number') this.anchors.set(key, [held, entry]);
      else held.push(entry);
    }
  }

  /** The value, offset, kind and digits needed for a find of an anchor's entry. */
  entry(entry: number): [string, number, string, number] {
    const value = Math.floor(entry / MAX_HEX_LENGTH);
    return [this.#values[value]!, entry % MAX_HEX_LENGTH, this.#kinds[value]!, this.#needs[value]!];
  }
}
const ANCHOR = 7;
/** Bits of an anchor's hash in HexIndex.marks: 256 K bits, 32 KB, a few percent set by 2,000 signatures' anchors. */
const MARK_BITS = 18;
function markBit(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - MARK_BITS);
}
/** ANCHOR + ANCHOR_STEP - 1 <= MIN_PIECE_LENGTH: every piece holds an anchor. */
const ANCHOR_STEP = 6;
/** Longer values are not indexed (a signature is 64 digits); bounds the entry numbers. */
export const MAX_HEX_LENGTH = 1024;

const setIndexes = new WeakMap<ReadonlySet<string>, HexIndex>();
/** The same sets' values as text, hex of their characters (`65643531...` for a signature `ed51...`), matched whole. */
const textIndexes = new WeakMap<ReadonlySet<string>, HexIndex>();

/**
 * A set of values that grows at its end and lets its oldest go (sigv4.ts's signatures): it counts what was ever
 * added, so an index catches up with the values added since it last looked, in order, however many came between
 * two looks (several requests signed at once) and whatever went at the other end.
 */
export class AddedInOrder extends Set<string> {
  /** The values held, oldest first, from `#head` on (what went before it was let go). */
  #order: string[] = [];
  #head = 0;
  /** How many values were let go from the front. */
  #dropped = 0;

  /** How many values were ever added. */
  get added(): number {
    return this.#dropped + this.#order.length - this.#head;
  }

  override add(value: string): this {
    if (!this.has(value)) {
      super.add(value);
      this.#order.push(value);
    }
    return this;
  }

  /** Lets the oldest value go. */
  dropOldest(): void {
    const oldest = this.#order[this.#head];
    if (oldest === undefined) return;
    super.delete(oldest);
    this.#head += 1;
    this.#dropped += 1;
    // The array's front is cut now and then, not at every drop (a shift copies the whole array).
    if (this.#head > 4096 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The values added from the `from`-th on that are still held, oldest first. */
  since(from: number): string[] {
    const at = Math.max(0, from - this.#dropped);
    return this.#order.slice(this.#head + at);
  }
}

/**
 * The index of a set of hex values, kept per set. An AddedInOrder set (the run's signatures, thousands) is caught up
 * with the values added since the last look, however many; another set (a request's own signature, a few values)
 * is read whole when it changed. Values a set let go stay indexed (still secrets) until the index is twice the set.
 * `asText`: the index of the hex of each value's characters, each matched whole (a byte dump of an Authorization
 * header holds its signature so: one anchor a value, the digits' index above keeps the pieces).
 */
export function hexIndexOf(values: ReadonlySet<string>, kind: string, asText = false): HexIndex {
  const indexes = asText ? textIndexes : setIndexes;
  let index = indexes.get(values);
  if (!index || index.kind !== kind || index.size > 2 * values.size + 1_000) {
    index = new HexIndex(kind);
    indexes.set(values, index);
  }
  const add = asText ? (value: string) => index!.add(Buffer.from(value, 'utf8').toString('hex'), kind, true) : (value: string) => index!.add(value);
  if (values instanceof AddedInOrder) {
    const added = values.added;
    if (index.state.size !== added) for (const value of values.since(index.state.size < 0 ? 0 : index.state.size)) add(value);
    index.state = { size: added };
    return index;
  }
  const first = values.values().next().value;
  if (index.state.size === values.size && index.state.first === first) return index;
  for (const value of values) add(value);
  index.state = { size: values.size, first };
  return index;
}

/**
 * Where MIN_PIECE_LENGTH or more digits in a row of a value of `indexes` lie in `text`, in either letter case: a
 * range per echo, as long as the digits go on matching the value.
 */
export function hexPiecesIn(text: string, indexes: readonly HexIndex[]): [number, number, string][] {
  const found: [number, number, string][] = [];
  let run = 0;
  let key = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? HEX_DIGITS[code]! : -1;
    if (digit < 0) {
      run = 0;
      continue;
    }
    key = ((key << 4) | digit) & 0xfffffff;
    if (++run < ANCHOR) continue;
    const bit = markBit(key);
    for (const index of indexes) {
      if ((index.marks[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      const held = index.anchors.get(key);
      if (held !== undefined) extend(text, i - ANCHOR + 1, index, held, found);
    }
  }
  return found;
}

/** The matches of the values whose anchor the digits at `start` are, as far as the text goes on matching each value. */
function extend(text: string, start: number, index: HexIndex, held: number | number[], found: [number, number, string][]): void {
  for (const entry of typeof held === 'number' ? [held] : held) {
    const [value, offset, kind, need] = index.entry(entry);
    let left = 0;
    while (left < offset && left < start && lowerHex(text.charCodeAt(start - left - 1)) === value.charCodeAt(offset - left - 1)) left++;
    let right = ANCHOR;
    while (offset + right < value.length && lowerHex(text.charCodeAt(start + right)) === value.charCodeAt(offset + right)) right++;
    const last = found.at(-1);
    // Every anchor of one echo finds the same range: kept once.
    if (left + right >= need && !(last && start - left >= last[0] && start + right <= last[1])) found.push([start - left, start + right, kind]);
  }
}

/** Each ASCII character's value as a hex digit, or -1. */
const HEX_DIGITS = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code >= 65 && code <= 70 ? code - 55 : -1));

/** An upper-case hex digit's lower-case code; any other character's own. */
function lowerHex(code: number): number {
  return code >= 65 && code <= 70 ? code + 32 : code;
}
