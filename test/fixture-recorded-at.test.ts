/**
 * A fixture's provenance.recordedAt is copied into matrix.json (targets[].provenance.recordedFrom/recordedTo), whose
 * reader holds it to "a time as a run writes it" (src/transport/recorded-time.ts). The fixture reader holds it to the same rule, so a
 * fixture with a time no reader takes (a month 13, a control character, a long text) is HARNESS_RECORDING_INVALID
 * naming the file and the field, and a replay of it writes a matrix.json that `report` reads back.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { parseFixture } from '../src/transport/fixture-file.ts';
import { isRunTime } from '../src/transport/recorded-time.ts';
import { cli, ROOT } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const BUNDLED = join(ROOT, 'fixtures', 'emulator', MODEL, 'params.stop.json');

let dir: string;
let text: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recorded-at-'));
  text = await readFile(BUNDLED, 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function withRecordedAt(recordedAt: string): string {
  const value = JSON.parse(text) as { provenance: { recordedAt: string } };
  value.provenance.recordedAt = recordedAt;
  return JSON.stringify(value, null, 2);
}

function refusal(source: string): HarnessError {
  try {
    parseFixture(source, '/fx/params.stop.json');
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('the fixture was read');
}

describe('a fixture\'s provenance.recordedAt', () => {
  it('is refused when the matrix reader would refuse it, naming the file, the field and the fix', () => {
    for (const bad of ['2026-13-01T00:00:00Z', '2026-01-01T00:00:00Z\u001b[31m', `2026-01-01T00:00:00.000Z${' '.repeat(40)}`, 'yesterday']) {
      expect(isRunTime(bad)).toBe(false);
      const error = refusal(withRecordedAt(bad));
      expect(error.code).toBe('HARNESS_RECORDING_INVALID');
      expect(error.message).toContain('/fx/params.stop.json is not a fixture: provenance.recordedAt: ');
      expect(error.message).toContain('is not a time as a run writes it');
      expect(error.message).toContain('record it again with --mode record');
      // eslint-disable-next-line no-control-regex
      expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('is read as before when it is a time as a run writes it', () => {
    expect(parseFixture(withRecordedAt('2026-01-31T12:00:00.000Z'), 'f.json').provenance.recordedAt).toBe('2026-01-31T12:00:00.000Z');
    expect(parseFixture(text, 'f.json').model).toBe(MODEL);
  });

  it('a replay of such a fixture writes a matrix.json that report reads back (the cell is an error naming the fixture)', async () => {
    const fixtures = join(dir, 'fx');
    await cp(join(ROOT, 'fixtures', 'emulator', MODEL), join(fixtures, 'emulator', MODEL), { recursive: true });
    await writeFile(join(fixtures, 'emulator', MODEL, 'params.stop.json'), withRecordedAt('2026-13-01T00:00:00Z'));
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--fixtures', fixtures, '--models', MODEL, '--checks', 'params.stop', '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: { check: string; status: string; reason: string }[] };
    const cell = matrix.results.find((r) => r.check === 'params.stop');
    expect(cell?.status).toBe('error');
    expect(cell?.reason).toContain('provenance.recordedAt');
    const report = await cli(['report', join(reports, 'matrix.json')]);
    expect(report.stderr).not.toContain('HARNESS_REPORT_INVALID');
    expect(report.code, report.stderr).toBe(1);
  }, 60_000);
});
