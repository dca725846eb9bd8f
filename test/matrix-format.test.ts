/**
 * Every reader of a matrix.json recomputes its gate by its own rules. A version whose gate fails on something an
 * older one passes (a spent gateway budget, a typo of a listed id answered by another model) wrote the same format as
 * before, so an older reader read its failed run as a pass (exit 0), and rewrote it so. Such a rule takes a new
 * format, which an older reader refuses; a newer format is refused here with the fix (upgrade), not "give a
 * matrix.json written by mantle-conformance".
 */
import { describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { MATRIX_FORMAT, type GateProblemKind } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/**
 * The gate's problem kinds the current format was made for. Adding one (a rule that fails what an older reader
 * passes) does not typecheck here until it is listed: give the matrix a new format (src/suite/matrix-schema.ts
 * MATRIX_FORMATS) and list it under it.
 */
const KINDS_OF_FORMAT: Record<typeof MATRIX_FORMAT, Record<GateProblemKind, true>> = {
  'mantle-conformance.matrix/3': { interrupted: true, partial: true, 'unobserved-model': true, 'too-many-errors': true, 'recording-kept': true, 'budget-exceeded': true },
};

describe('the matrix format', () => {
  it('is version 3, whose gate kinds are listed for it', () => {
    expect(MATRIX_FORMAT).toBe('mantle-conformance.matrix/3');
    expect(Object.keys(KINDS_OF_FORMAT[MATRIX_FORMAT])).toContain('budget-exceeded');
  });

  it('a run writes it; files of formats 1 and 2 are read, as format 3', () => {
    const matrix = JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>;
    expect(matrix.format).toBe(MATRIX_FORMAT);
    for (const format of ['mantle-conformance.matrix/1', 'mantle-conformance.matrix/2']) expect(parseMatrix({ ...matrix, format }, 'x.json').format).toBe(MATRIX_FORMAT);
  });

  it('a newer format is refused, saying a newer mantle-conformance wrote it and to upgrade', () => {
    const matrix = { ...(JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>), format: 'mantle-conformance.matrix/4' };
    expect(() => parseMatrix(matrix, 'night/matrix.json')).toThrow(
      expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: 'night/matrix.json: format 4 was written by a newer mantle-conformance; this version reads formats 1 to 3, and would judge the run by older rules (a run that failed could read as a pass): upgrade mantle-conformance to read it' }),
    );
    // Not a version number: the schema's words, as before.
    expect(() => parseMatrix({ ...matrix, format: 'mantle-conformance.matrix/x' }, 'x.json')).toThrow(/format must be equal to constant|format/);
  });
});
