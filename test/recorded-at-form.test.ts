/**
 * A recording time (a fixture's provenance.recordedAt, matrix.json's recordedFrom/recordedTo) is held to the one form
 * a run writes, Date#toISOString's UTC ISO 8601: not whatever Date.parse guesses at ("foo 1", "March 7", "99999"),
 * which would show in every report as a date, nor a time with an offset, which breaks the string order the recorded
 * range is picked by. Every recording and matrix the builds wrote uses that form (the bundled fixtures too).
 */
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { parseFixture } from '../src/transport/fixture-file.ts';
import { isRunTime } from '../src/transport/recorded-time.ts';
import { cli, ROOT } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recorded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const GUESSES = ['foo 1', 'March 7', '99999', '1', '2026-12-05', '2026-01-01T01:00:00+09:00', '2026-01-01T00:00:00.000+00:00', '2026-01-01 00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:60Z', '2026-1-01T00:00:00Z'];

it('takes only the UTC ISO 8601 form a run writes, a real date', () => {
  for (const bad of GUESSES) expect(isRunTime(bad), bad).toBe(false);
  for (const good of ['2026-01-31T12:00:00.000Z', '2026-01-31T12:00:00Z', '2024-02-29T23:59:59.5Z', new Date(0).toISOString()]) expect(isRunTime(good), good).toBe(true);
});

it('a fixture with such a time is refused naming the field and the form expected', async () => {
  const text = await readFile(join(ROOT, 'fixtures/emulator/openai.gpt-oss-20b/params.stop.json'), 'utf8');
  const value = JSON.parse(text) as { provenance: { recordedAt: string } };
  value.provenance.recordedAt = 'foo 1';
  let error: unknown;
  try {
    parseFixture(JSON.stringify(value), '/fx/params.stop.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(HarnessError);
  expect((error as HarnessError).code).toBe('HARNESS_RECORDING_INVALID');
  expect((error as HarnessError).message).toContain('provenance.recordedAt: "foo 1" is not a time as a run writes it (UTC in ISO 8601: YYYY-MM-DDTHH:MM:SS.sssZ');
});

it('a matrix.json with such a recordedTo is refused by its reader, naming the form', async () => {
  const m = smallMatrix();
  m.targets[0]!.provenance.recordedTo = 'foo 1';
  await writeFile(join(dir, 'm.json'), JSON.stringify(m));
  const report = await cli(['report', join(dir, 'm.json'), '--report-dir', join(dir, 'out')]);
  expect(report.code).toBe(2);
  expect(report.stderr).toContain('HARNESS_REPORT_INVALID');
  expect(report.stderr).toContain('targets[0].provenance.recordedTo: "foo 1" is not a time as a run writes it (UTC in ISO 8601');
});

it('every bundled recording is in that form', async () => {
  const files = (await readdir(join(ROOT, 'fixtures'), { recursive: true })).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(100);
  for (const f of files) {
    const { provenance } = JSON.parse(await readFile(join(ROOT, 'fixtures', f), 'utf8')) as { provenance?: { recordedAt?: string } };
    if (provenance?.recordedAt !== undefined) expect(isRunTime(provenance.recordedAt), f).toBe(true);
  }
});
