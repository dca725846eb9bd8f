/**
 * @module transport/whole-hex
 * The hex of each of the run's values' characters, found only in full, for the redactor (redactor.ts). An endpoint
 * that dumps the bytes it got (`65:64:35:31...`, `65 64 35 31...`, or unbroken) writes a value so; the hex scans
 * (secret-pieces.ts hexPiecesIn, separated-hex.ts) read the dump and look it up here. Pieces of a value's hex are
 * encoded-pieces.ts's, for the values pieced; this holds every value, those matched whole only too (a long query
 * value of another name, a proxy user, a value of 8 to 11 characters, which has no 12-character piece, a signature
 * the scan is given): they stay whole only, a find is all of the value's digits. One anchor a value: cheap to build
 * on every request, whose own signature is new.
 */
import { HexIndex } from './secret-pieces.ts';

const cache = new Map<string, HexIndex>();

/** The index of the hex of `values`' characters (UTF-8, as sent), each matched whole under its own kind; kept. */
export function wholeHexIndexOf(values: readonly { kind: string; value: string }[]): HexIndex[] {
  if (values.length === 0) return [];
  const key = values.map(({ kind, value }) => `${kind}\n${value}`).join('\n\n');
  let index = cache.get(key);
  if (!index) {
    index = new HexIndex('own');
    for (const { kind, value } of values) index.add(Buffer.from(value, 'utf8').toString('hex'), kind, true);
    if (cache.size >= 100) cache.clear();
    cache.set(key, index);
  }
  return [index];
}
