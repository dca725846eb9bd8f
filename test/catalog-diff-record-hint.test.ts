/**
 * Review r3b 5: `catalog diff --mode replay --target X` with no recordings of X hinted "or record it with --mode
 * record", a mode catalog diff refuses (its --mode is live or replay): recording is run's, so the hint names it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'mantle-record-hint-'));
});
afterAll(() => rm(empty, { recursive: true, force: true }));

describe('catalog diff: the record hint names run', () => {
  it('a target with no recordings: record it with mantle-conformance run --mode record', async () => {
    const result = await cli(['catalog', 'diff', '--mode', 'replay', '--target', 'bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --target: no recordings of target bogus');
    expect(result.stderr).toContain('or record it with mantle-conformance run --mode record');
    expect(result.stderr).not.toMatch(/(?<!run )--mode record/);
  });

  it('a fixtures folder with no recordings at all: the same', async () => {
    const result = await cli(['catalog', 'diff', '--mode', 'replay', '--fixtures', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mantle-conformance run --mode record');
    expect(result.stderr).not.toMatch(/(?<!run )--mode record/);
  });

  it('run keeps its own words', async () => {
    const result = await cli(['run', '--mode', 'replay', '--targets', 'mantle:bogus', '--report-dir', join(empty, 'r')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('; or record it with --mode record');
  });
});
