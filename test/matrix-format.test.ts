/**
 * Every reader of a matrix.json recomputes its gate by its own rules. A version whose gate fails on something an
 * older one passes (a spent gateway budget, a typo of a listed id answered by another model) wrote the same format as
 * before, so an older reader read its failed run as a pass (exit 0), and rewrote it so. Such a rule takes a new
 * format, which an older reader refuses; a newer format is refused here with the fix (upgrade), not "give a
 * matrix.json written by mantle-conformance".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { MATRIX_FORMAT, type GateProblemKind } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/**
 * The gate's problem kinds the current format was made for. Adding one (a rule that fails what an older reader
 * passes) does not typecheck here until it is listed: give the matrix a new format (src/suite/matrix-schema.ts
 * MATRIX_FORMATS) and list it under it.
 */
const KINDS_OF_FORMAT: Record<typeof MATRIX_FORMAT, Record<GateProblemKind, true>> = {
  // Format 5: a --baseline that compared nothing fails the gate (a format 4 reader passed it). Format 6 added the kind
  // baseline-unfinished; a replayed cell whose recording is missing or unusable gates on its own (a format 5 reader counted it against --max-errors),
  // and comparison.lostModels regresses a --baseline; comparison.baselineUnreached (a baseline that stopped) fails it.
  'mantle-conformance.matrix/6': { interrupted: true, partial: true, 'unobserved-model': true, 'too-many-errors': true, 'recording-kept': true, 'budget-exceeded': true, 'unusable-listed-ids': true, 'nothing-compared': true, 'baseline-unfinished': true },
};

describe('the matrix format', () => {
  it('is version 6, whose gate kinds are listed for it', () => {
    expect(MATRIX_FORMAT).toBe('mantle-conformance.matrix/6');
    expect(Object.keys(KINDS_OF_FORMAT[MATRIX_FORMAT])).toContain('nothing-compared');
  });

  it('a run writes it; files of formats 1 and 2 are read and keep format 2, of formats 3 and 4 keep theirs: an older build judged their cells', () => {
    const matrix = JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>;
    expect(matrix.format).toBe(MATRIX_FORMAT);
    for (const format of ['mantle-conformance.matrix/1', 'mantle-conformance.matrix/2']) expect(parseMatrix({ ...matrix, format }, 'x.json').format).toBe('mantle-conformance.matrix/2');
    for (const format of ['mantle-conformance.matrix/3', 'mantle-conformance.matrix/4', 'mantle-conformance.matrix/5']) expect(parseMatrix({ ...matrix, format }, 'x.json').format).toBe(format);
    expect(parseMatrix(matrix, 'x.json').format).toBe(MATRIX_FORMAT);
  });

  it('report and merge of a run an older build judged keep its format and say so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matrix-format-'));
    try {
      const older = join(dir, 'older.json');
      const newer = join(dir, 'newer.json');
      await writeFile(older, JSON.stringify({ ...(JSON.parse(JSON.stringify(smallMatrix([], undefined, undefined, { runId: 'R', target: 'region-a' }))) as object), format: 'mantle-conformance.matrix/2' }));
      await writeFile(newer, JSON.stringify(smallMatrix([], undefined, undefined, { runId: 'R2', target: 'region-b' })));
      const reported = await cli(['report', older, '--report-dir', join(dir, 'report')]);
      expect(reported.code, reported.stderr).toBe(0);
      expect(reported.stderr).toContain(`note: ${older} was judged by an older mantle-conformance (format 2): its cells stand as that build judged them`);
      expect(JSON.parse(await readFile(join(dir, 'report', 'matrix.json'), 'utf8')).format).toBe('mantle-conformance.matrix/2');
      // With a file of this version's: refused (either format would misread one side's cells), nothing written.
      const merged = await cli(['merge', newer, older, '--report-dir', join(dir, 'merged')]);
      expect(merged.code, merged.stderr).toBe(2);
      expect(merged.stderr).toContain(`merge: ${newer} is format 6 and ${older} format 2: they were judged by different versions of mantle-conformance`);
      // Nothing said about what would be written: nothing is.
      expect(merged.stderr).not.toContain('what is written from it');
      await expect(readFile(join(dir, 'merged', 'matrix.json'), 'utf8')).rejects.toThrow();
      // Older files alone keep their format.
      const older2 = join(dir, 'older2.json');
      await writeFile(older2, JSON.stringify({ ...(JSON.parse(JSON.stringify(smallMatrix([], undefined, undefined, { runId: 'R3', target: 'region-c' }))) as object), format: 'mantle-conformance.matrix/2' }));
      const oldOnly = await cli(['merge', older, older2, '--report-dir', join(dir, 'merged-old')]);
      expect(oldOnly.code, oldOnly.stderr).toBe(0);
      expect(oldOnly.stderr).toContain(`note: ${older} was judged by an older mantle-conformance (format 2): its cells stand as that build judged them`);
      expect(JSON.parse(await readFile(join(dir, 'merged-old', 'matrix.json'), 'utf8')).format).toBe('mantle-conformance.matrix/2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a newer format is refused, saying a newer mantle-conformance wrote it and to upgrade', () => {
    const matrix = { ...(JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>), format: 'mantle-conformance.matrix/7' };
    expect(() => parseMatrix(matrix, 'night/matrix.json')).toThrow(
      expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: 'night/matrix.json: format 7 was written by a newer mantle-conformance; this version reads formats 1 to 6, and would judge the run by older rules (a run that failed could read as a pass): upgrade mantle-conformance to read it' }),
    );
    // Not a version number: the schema's words, as before.
    expect(() => parseMatrix({ ...matrix, format: 'mantle-conformance.matrix/x' }, 'x.json')).toThrow(/format must be equal to constant|format/);
  });
});
