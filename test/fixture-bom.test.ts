/**
 * A fixture an editor saved with a UTF-8 byte-order mark (Windows' "UTF-8") is the same recording: replay reads it,
 * and so do the rules record and `fixtures prune` keep or replace files by. Called "not valid JSON (truncated or
 * damaged); delete it and record it again", an intact recording was deleted and paid for again, live.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHarnessFixture, newerFixture, readFixture } from '../src/transport/fixture-file.ts';
import { recordedSuites } from '../src/transport/recorded-suites.ts';
import { cli, ROOT } from './helpers/harness.ts';

const MODEL = 'xai.grok-4.3';
const BUNDLED = join(ROOT, 'fixtures', 'emulator', MODEL);
const BOM = '\uFEFF';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-bom-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a fixture that starts with a byte-order mark', () => {
  it('reads as the same fixture, as written and re-saved compact (the lexeme path)', async () => {
    const original = join(BUNDLED, 'answer.chat.json');
    const text = await readFile(original, 'utf8');
    const expected = await readFixture(original);
    for (const [name, saved] of [
      ['indented.json', `${BOM}${text}`],
      ['compact.json', `${BOM}${JSON.stringify(JSON.parse(text))}\r\n`],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, saved, 'utf8');
      expect((await readFile(file)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(await readFixture(file)).toEqual(expected);
    }
  });

  it('is a recording the harness made (record, prune and fixtures keep or replace it as one), with its suites folder', async () => {
    const folder = join(dir, 'emu', MODEL);
    await cp(BUNDLED, folder, { recursive: true });
    const file = join(folder, 'answer.chat.json');
    const fixture = JSON.parse(await readFile(file, 'utf8')) as { format: string; provenance: Record<string, unknown> };
    fixture.format = 'mantle-conformance.fixture/2';
    fixture.provenance.suites = 'mantle-conformance:suites';
    await writeFile(file, `${BOM}${JSON.stringify(fixture, undefined, 2)}\n`);
    expect(await isHarnessFixture(file)).toBe(true);
    expect(await newerFixture(file)).toBeUndefined();
    expect(await recordedSuites(file)).toBe('mantle-conformance:suites');
  });

  it('replays with the verdicts of the file without it, no HARNESS_RECORDING_INVALID', async () => {
    const verdicts = async (name: string, bom: boolean) => {
      const root = join(dir, name);
      await cp(BUNDLED, join(root, 'emulator', MODEL), { recursive: true });
      if (bom) {
        for (const c of ['answer.chat.json', 'params.n.json']) {
          const file = join(root, 'emulator', MODEL, c);
          await writeFile(file, `${BOM}${await readFile(file, 'utf8')}`);
        }
      }
      const reports = join(dir, `${name}-reports`);
      const result = await cli(['run', '--fixtures', root, '--target-name', 'emulator', '--models', MODEL, '--report-dir', reports, '--quiet']);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: { check: string; status: string; reason?: string; observed?: unknown }[] };
      return { code: result.code, stderr: result.stderr, cells: matrix.results.map((c) => [c.check, c.status, c.observed, c.reason]) };
    };
    const plain = await verdicts('plain', false);
    const marked = await verdicts('marked', true);
    expect(JSON.stringify(marked.cells)).not.toContain('HARNESS_RECORDING_INVALID');
    expect(JSON.stringify(marked.cells)).not.toContain('byte-order');
    expect(marked.cells).toEqual(plain.cells);
    expect(marked.code, marked.stderr).toBe(plain.code);
  });
});
