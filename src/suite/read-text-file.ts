/**
 * @module suite/read-text-file
 * A YAML input's text, read as untrusted: only a regular file (a FIFO waits for a writer, /dev/zero never ends), at
 * most MAX_YAML_BYTES, UTF-8 or refused naming the line; a file that cannot be read is never taken for one that is
 * missing.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { specialKind } from '../regular-file.ts';

/**
 * A file's text, or why there is none: `missing` only when nothing is there (ENOENT); anything else that stops the
 * read (a folder, no permission, a link loop, an I/O error) or bytes that are not UTF-8 is a `problem`, never
 * "missing", so no caller takes a file it cannot read for an absent one (and writes a fresh one over it).
 */
export async function readUtf8File(file: string): Promise<{ text: string } | { missing: Error } | { problem: string }> {
  let bytes: Buffer | { problem: string };
  try {
    bytes = await readRegularFile(file);
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    return error.code === 'ENOENT' ? { missing: error } : { problem: `cannot read it (${readErrorText(error)})` };
  }
  if (!Buffer.isBuffer(bytes)) return bytes;
  try {
    // Lossy decoding would turn a Latin-1 byte into U+FFFD silently, and a rewrite would keep the replacement.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { problem: `is not UTF-8 text (line ${firstNonUtf8Line(bytes)}); save it as UTF-8` };
  }
}

/** The most a YAML input may hold: the largest bundled one (the catalog) is under 50 KB. */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;


/** Why a file is not read as YAML, if it is not a regular file: opening a FIFO waits for a writer, /dev/zero never ends. */
function notRegular(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'cannot read it (EISDIR: a folder, not a file)';
  return `is not a regular file (${specialKind(info)}); point at a YAML file`;
}

/** A regular file's bytes, up to MAX_YAML_BYTES (read no further, should it grow after the check), or why not. */
async function readRegularFile(file: string): Promise<Buffer | { problem: string }> {
  const tooLarge = { problem: `is larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB, which no catalog, suite or expectations file is; point at the YAML file meant` };
  const before = await stat(file);
  const early = notRegular(before) ?? (before.size > MAX_YAML_BYTES ? tooLarge.problem : undefined);
  if (early) return { problem: early };
  // O_NONBLOCK: had a FIFO replaced the file since, opening it does not wait for a writer (and is refused below).
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const late = notRegular(await handle.stat());
    if (late) return { problem: late };
    const parts: Buffer[] = [];
    let total = 0;
    for (let read = -1; read !== 0 && total <= MAX_YAML_BYTES; total += read) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(before.size + 1, 65_536), MAX_YAML_BYTES + 1 - total));
      read = (await handle.read(chunk, 0, chunk.length, null)).bytesRead;
      parts.push(chunk.subarray(0, read));
    }
    return total > MAX_YAML_BYTES ? tooLarge : Buffer.concat(parts, total);
  } finally {
    await handle.close();
  }
}

/** `EACCES: permission denied`, without the path node repeats (the message names the file already). */
export function readErrorText(error: NodeJS.ErrnoException): string {
  if (error.code === 'EISDIR') return 'EISDIR: a folder, not a file';
  const text = error.message.replace(/, \w+ '.*'$/s, '');
  return error.code && !text.startsWith(error.code) ? `${error.code}: ${text}` : text;
}

/** The first line holding bytes that are not UTF-8 (a newline byte is never part of a multi-byte sequence). */
function firstNonUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}
