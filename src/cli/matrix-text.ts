/**
 * @module cli/matrix-text
 * The text of a matrix.json's bytes, decoded strictly: bytes that are not UTF-8 (a file saved as Latin-1, or cut
 * inside a character) are refused naming where, as the expectations file's are (suite/read-text-file.ts), not read
 * as U+FFFD: a lossy decode would show text the file does not hold, and `report` would write it back over its input.
 */
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The byte at which `bytes` stop being UTF-8 (the first byte of the bad sequence), or -1 when they are UTF-8. */
export function firstNonUtf8Byte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const more = lead < 0x80 ? 0 : lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    // The second byte's range rules out overlong forms, surrogates (ED A0..BF) and code points past U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

/** Where byte `offset` is: `byte N (line L, column C)`, the column counted in characters of the line's UTF-8 before it. */
export function byteWhere(bytes: Uint8Array, offset: number): string {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  let line = 1;
  for (const byte of before) if (byte === 0x0a) line++;
  const column = [...new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset))].length + 1;
  return `byte ${offset} (line ${line}, column ${column})`;
}

/**
 * The matrix.json's text (a leading byte order mark left out: a Windows editor's, not the JSON's), or
 * HARNESS_REPORT_INVALID naming `file`, where the first byte that is not UTF-8 is, and `fix`.
 */
export function matrixText(bytes: Uint8Array, file: string, fix: string): string {
  try {
    return strict.decode(bytes).replace(/^\uFEFF/, '');
  } catch (cause) {
    const where = byteWhere(bytes, Math.max(0, firstNonUtf8Byte(bytes)));
    throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: not UTF-8 text at ${where}; a run writes UTF-8, so the file was changed since (saved in another encoding?): ${fix}`, { cause });
  }
}
