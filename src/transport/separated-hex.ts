/**
 * @module transport/separated-hex
 * Hex dumps with something between the bytes, for the redactor (redactor.ts): `42:65:61` (Python's
 * `bytes.hex(':')`), `42 65 61` (Wireshark, `hexdump`), `0x42,0x65` and `0x42, 0x65` (a C array), `42-65-61`, and
 * groups of 4 (`xxd`: `4265 6172`). A run of such groups is read as its digits alone and looked up as any hex run is
 * (secret-pieces.ts hexPiecesIn: any MIN_PIECE_LENGTH digits of a signature, any MIN_PIECE_LENGTH bytes of a value,
 * all the bytes of a value matched whole only or of a signature's text: whole-hex.ts), each find mapped back onto the
 * dump's own characters, separators included.
 *
 * A group is an even number of hex digits, after an optional `0x`; between two groups, at most one `:`, `-` or `,`
 * and up to four spaces, tabs and one line break (a dump's next line). MAC addresses, UUIDs and hex words in prose are read as runs too, but only the run's
 * secrets are looked up, and MIN_PIECE_LENGTH bytes of a random secret never occur in them by chance. One pass over
 * the text; a run without a separator is left to hexPiecesIn, which reads it anyway.
 */
import { hexPiecesIn, MIN_PIECE_LENGTH, type HexIndex } from './secret-pieces.ts';

/** Where a value of `indexes` lies, in pieces, in the separated hex runs of `text` (see the module's comment). */
export function separatedHexPiecesIn(text: string, indexes: readonly HexIndex[]): [number, number, string][] {
  const found: [number, number, string][] = [];
  // Most texts (every header value, most bodies) hold no two hex groups with a separator between them: the native
  // regex says so faster than the loop below, which then never runs (a live run redacts every exchange).
  if (!TWO_GROUPS.test(text)) return found;
  // The run being read: its digits (character codes), where each group's digits start in the text, and how many
  // digits came before each group. Typed arrays, grown as needed: a 6 MB dump is 2 million groups.
  let codes = new Uint8Array(1024);
  let starts = new Int32Array(256);
  let before = new Int32Array(256);
  let groups = 0;
  let digits = 0;
  const flush = () => {
    if (groups >= 2 && digits >= MIN_PIECE_LENGTH) {
      const joined = Buffer.from(codes.buffer, 0, digits).toString('latin1');
      const at = (d: number) => {
        const g = Math.max(0, upperBound(before, groups, d) - 1);
        return starts[g]! + d - before[g]!;
      };
      for (const [start, end, kind] of hexPiecesIn(joined, indexes)) found.push([at(start), at(end - 1) + 1, kind]);
    }
    groups = 0;
    digits = 0;
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isHex(code)) {
      i++;
      continue;
    }
    const p = code === 48 && (text.charCodeAt(i + 1) | 32) === 120 && isHex(text.charCodeAt(i + 2)) ? i + 2 : i;
    let q = p + 1;
    while (q < text.length && isHex(text.charCodeAt(q))) q++;
    // An odd group (a word, a number) ends the run; the text after it may start another.
    if ((q - p) % 2 === 1) {
      if (groups > 0) flush();
      i = q;
      continue;
    }
    const sep = separatorAt(text, q);
    const more = sep > 0 && isHex(text.charCodeAt(q + sep));
    // A group alone (most hex in a text: an id, a hash, a base64 stretch) is no run of this kind.
    if (groups === 0 && !more) {
      i = q;
      continue;
    }
    if (groups === starts.length) {
      starts = grown(starts);
      before = grown(before);
    }
    while (digits + q - p > codes.length) codes = grown(codes);
    starts[groups] = p;
    before[groups] = digits;
    groups++;
    for (let c = p; c < q; c++) codes[digits++] = text.charCodeAt(c);
    if (more) i = q + sep;
    else {
      flush();
      i = q;
    }
  }
  if (groups > 0) flush();
  return found;
}

/** The end of one group, a separator and the start of the next: every run this module reads holds it. */
const TWO_GROUPS = /[0-9a-f]{2}[:, \t\r\n-]{1,6}(?:0x)?[0-9a-f]{2}/i;

/** A typed array twice as long, holding what `array` held. */
function grown<T extends Uint8Array | Int32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * How many characters of a separator there are at `at`: at most one `:`, `-` or `,`, and up to four spaces, tabs and
 * one line break around it (`42 65`, `42:65`, `0x42, 0x65`, a dump's next line: `od -An`, `xxd -p`, `xxd -i`). A
 * line that starts with an offset or ends with a text column (`hexdump -C`, plain `xxd`) breaks the run.
 */
function separatorAt(text: string, at: number): number {
  let length = 0;
  let marks = 0;
  let breaks = 0;
  while (length < 6) {
    const code = text.charCodeAt(at + length);
    if (code === 58 || code === 45 || code === 44) {
      if (++marks > 1) break;
    } else if (code === 10) {
      if (++breaks > 1) break;
    } else if (code !== 32 && code !== 9 && code !== 13) break;
    length++;
  }
  return length;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** The first index of the sorted first `length` of `values` whose value is greater than `x`. */
function upperBound(values: Int32Array, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
