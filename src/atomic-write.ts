/**
 * @module atomic-write
 * A file is replaced whole or not at all: written to a temp file beside it, then renamed over it. The temp file is
 * removed on every failure path, and a full disk is HARNESS_DISK_FULL naming the file (`writeError`).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeError } from './errors.ts';

/** The file operations a write uses; tests pass ones that fail as a full disk does. */
export type FileWriter = Pick<typeof fs, 'mkdir' | 'writeFile' | 'rename' | 'rm'>;

export async function writeFileAtomic(file: string, text: string | Uint8Array, io: FileWriter = fs): Promise<void> {
  const { mkdir, rename, rm, writeFile } = io;
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (cause) {
    throw writeError(file, cause);
  }
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeError(file, cause);
  }
}
