/**
 * @module cli/project
 * Where the harness is installed, its version, its output streams, and its exit codes.
 */
import { readFileSync } from 'node:fs';
import { packageRoot } from '../package-root.ts';
import { INTERRUPTED_EXIT } from '../signals.ts';

export const PROJECT_ROOT = packageRoot(import.meta.url);
export const VERSION = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }).version;

export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WriteStream;
}

/** 0 nothing gates, 1 a result gates (or a regression since the baseline), 2 usage/config/credentials, 3 harness bug, 130 Ctrl-C. */
export const EXIT = { ok: 0, gate: 1, usage: 2, internal: 3, interrupted: INTERRUPTED_EXIT } as const;
