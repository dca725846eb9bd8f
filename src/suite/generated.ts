/**
 * @module suite/generated
 * Values a case asks for by name instead of storing them (`{{generated.png-green}}`, `{{generated.prose-5000}}`):
 * a tiny solid-colour PNG for the image cases and a long deterministic text for prompt caching. Both are made in
 * code, byte for byte the same on every platform and Node version (no zlib: the PNG uses stored deflate blocks),
 * so a recorded request matches its replay.
 */

/** Solid colours a case can send as an image, and the RGB each is drawn in (unambiguous hues). */
export const IMAGE_COLOURS = {
  red: [220, 20, 20],
  green: [20, 160, 40],
  blue: [30, 60, 220],
  yellow: [240, 210, 0],
} as const satisfies Record<string, readonly [number, number, number]>;
export type ImageColour = keyof typeof IMAGE_COLOURS;

/** Side of the square image in pixels: large enough for every vision encoder's smallest patch grid. */
export const IMAGE_SIZE = 64;

const NAME = /^(?:png-([a-z]+)|prose-(\d{1,6}))$/;
/** The longest prose a case may ask for, in (estimated) tokens. */
export const MAX_PROSE_TOKENS = 200_000;

/** Why a name is not a generated value, or undefined when it is one. */
export function generatedNameProblem(name: string): string | undefined {
  const match = NAME.exec(name);
  if (!match) {
    const forms = `png-<colour> (${Object.keys(IMAGE_COLOURS).join(', ')}: a ${IMAGE_SIZE}x${IMAGE_SIZE} PNG, base64) or prose-<tokens> (deterministic text of about that many tokens)`;
    return `unknown generated value "${name}": use ${forms}`;
  }
  if (match[1] !== undefined && !(match[1] in IMAGE_COLOURS)) return `unknown colour "${match[1]}": use one of ${Object.keys(IMAGE_COLOURS).join(', ')}`;
  if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > MAX_PROSE_TOKENS)) return `prose-${match[2]}: the length must be 1 to ${MAX_PROSE_TOKENS} tokens`;
  return undefined;
}

/** The value of a generated name (call `generatedNameProblem` first: an unknown name throws). */
export function generatedValue(name: string): string {
  const problem = generatedNameProblem(name);
  if (problem) throw new Error(problem);
  const match = NAME.exec(name)!;
  return match[1] !== undefined ? solidPngBase64(match[1] as ImageColour) : cachedProse(Number(match[2]));
}

/** The prose of each length asked for: a case sends it on every trial of every model, made the same each time. */
const proseCache = new Map<number, string>();
/** A case asks for one or two lengths; a suite that asks for many only makes the extra ones each time. */
const MAX_CACHED_PROSE = 8;

function cachedProse(tokens: number): string {
  let text = proseCache.get(tokens);
  if (text === undefined) {
    text = prose(tokens);
    if (proseCache.size < MAX_CACHED_PROSE) proseCache.set(tokens, text);
  }
  return text;
}

const pngCache = new Map<ImageColour, string>();

/** A square PNG of one colour, base64 (no data: prefix): 1-bit palette, stored deflate, about 660 bytes. */
export function solidPngBase64(colour: ImageColour): string {
  let cached = pngCache.get(colour);
  if (!cached) {
    cached = solidPng(IMAGE_COLOURS[colour]).toString('base64');
    pngCache.set(colour, cached);
  }
  return cached;
}

/** The colour of a PNG this module made, from its base64 (or a data URL holding it); undefined for any other image. */
export function colourOfPng(data: string): ImageColour | undefined {
  const base64 = data.startsWith('data:') ? data.slice(data.indexOf(',') + 1) : data;
  return (Object.keys(IMAGE_COLOURS) as ImageColour[]).find((colour) => solidPngBase64(colour) === base64);
}

function solidPng([r, g, b]: readonly [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(IMAGE_SIZE, 0);
  header.writeUInt32BE(IMAGE_SIZE, 4);
  header.set([1, 3, 0, 0, 0], 8); // bit depth 1, palette, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + IMAGE_SIZE / 8); // filter byte 0, then every pixel palette index 0
  const raw = Buffer.concat(Array.from({ length: IMAGE_SIZE }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from([r, g, b])),
    chunk('IDAT', storedZlib(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A zlib stream of one stored (uncompressed) deflate block: the same bytes whatever zlib a Node version ships. */
function storedZlib(data: Buffer): Buffer {
  const block = Buffer.alloc(5);
  block[0] = 1; // final block, stored
  block.writeUInt16LE(data.length, 1);
  block.writeUInt16LE(~data.length & 0xffff, 3);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(data));
  return Buffer.concat([Buffer.from([0x78, 0x01]), block, data, adler]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const WORDS = (
  'the harness sends this reference text twice so that the second request can read the cached prefix ' +
  'an endpoint that caches reports the tokens it read while one that does not reports none every clause ' +
  'below is numbered and made from a fixed list of words by a seeded generator so the bytes never change ' +
  'between runs regions or machines and a replay finds the recorded answer'
).split(' ');

/** Characters per token, the usual estimate for English text; real tokenizers differ by some percent. */
export const CHARS_PER_TOKEN = 4;

/** Tokens in a text by the usual estimate (4 characters per token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** About `tokens` tokens of numbered clauses from a fixed word list and a seeded generator (no randomness). */
export function prose(tokens: number): string {
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const clauses: string[] = [];
  let length = 0;
  for (let n = 1; length < tokens * CHARS_PER_TOKEN; n++) {
    const words = Array.from({ length: 8 + (next() % 9) }, () => WORDS[next() % WORDS.length]!);
    const clause = `Clause ${n}: ${words.join(' ')}.`;
    clauses.push(clause);
    length += clause.length + 1;
  }
  return clauses.join(' ').slice(0, tokens * CHARS_PER_TOKEN);
}
