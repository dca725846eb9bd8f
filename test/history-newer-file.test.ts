/**
 * A history run file a newer mantle-conformance wrote (a later history-run format) is refused with the advice to
 * upgrade, as matrix.json's reader says of a newer format (the same rule, src/suite/format-version.ts), not as a file
 * `run --history` did not write; one with a field this version does not know says it may be a newer version's or a
 * hand edit. Both stay exit 2 (a refused input).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { parseRunFile } from '../src/history/read-history.ts';
import { newerVersion } from '../src/format-version.ts';
import { cli } from './helpers/harness.ts';
import { twoModelRun } from './helpers/history-files.ts';

const NAME = '20260101T000000Z-r1-abc.run.json.gz';
const run = () => twoModelRun('r1', '2026-01-01T00:00:00.000Z', { cellOf: () => ({ status: 'pass', observed: 'x' }) });
const packed = (value: unknown) => gzipSync(JSON.stringify(value));

function refusal(value: unknown): HarnessError {
  try {
    parseRunFile(packed(value), NAME);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('the run file was read');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-newer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a history run file of a newer version', () => {
  it('reads as before when it is this version\'s', () => {
    expect(parseRunFile(packed(run()), NAME).run.id).toBe('r1');
  });

  it('of a later format: a newer mantle-conformance wrote it, upgrade', () => {
    const error = refusal({ ...run(), format: 'mantle-conformance.history-run/2' });
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toBe(`${NAME}: format 2 was written by a newer mantle-conformance (this version reads mantle-conformance.history-run/1): upgrade mantle-conformance to read it (or move it out of the folder)`);
    // Not a later version: said as before.
    expect(refusal({ ...run(), format: 'mantle-conformance.history-run/0' }).message).toContain('give a file that `mantle-conformance run --history` wrote');
    expect(newerVersion('mantle-conformance.history-run/2', 'mantle-conformance.history-run/1')).toBe(2);
    expect(newerVersion('mantle-conformance.matrix/3', 'mantle-conformance.history-run/1')).toBeUndefined();
  });

  it('with a field this version does not know: a newer version\'s, or a hand edit', () => {
    const error = refusal({ ...run(), extra: 1 });
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toContain('unknown field "extra": a newer mantle-conformance may have written it (upgrade mantle-conformance to read it), or it was edited by hand');
  });

  it('stops `history` with exit 2 and that advice', async () => {
    const folder = join(dir, 'h');
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder);
    await writeFile(join(folder, NAME), packed({ ...run(), format: 'mantle-conformance.history-run/2' }));
    const result = await cli(['history', folder, '--report-dir', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('was written by a newer mantle-conformance');
    expect(result.stderr).toContain('upgrade mantle-conformance to read it');
    expect(result.stderr).not.toContain('give a file that');
  }, 60_000);
});
