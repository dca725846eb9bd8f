/**
 * A report the harness wrote, saved again with a UTF-8 byte order mark (a Windows editor: Notepad, PowerShell 5's
 * Set-Content), is still its own: the next run in that folder replaces it rather than stopping with "not a report
 * mantle-conformance wrote". history's own files are read by the same start rule, and likewise.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { foreignReport, readHead } from '../src/cli/earlier-reports.ts';
import { cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bom-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('each report re-saved with a BOM is its own: the next run replaces it', async () => {
  const reports = join(dir, 'reports');
  const first = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', reports, '--quiet']);
  expect(first.code, first.stderr).toBe(0);
  for (const name of REPORTS) await writeFile(join(reports, name), `\uFEFF${await readFile(join(reports, name), 'utf8')}`);
  expect((await readFile(join(reports, 'matrix.md'))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(await foreignReport(reports)).toBeUndefined();
  expect((await readHead(join(reports, 'matrix.md')))?.startsWith('# ')).toBe(true);
  const again = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', reports, '--quiet']);
  expect(again.code, again.stderr).toBe(0);
  expect((await readFile(join(reports, 'matrix.md'))).subarray(0, 1).toString()).toBe('#');
  // A file that is not a report stays refused, BOM or not.
  await writeFile(join(reports, 'matrix.md'), '\uFEFF# my notes\n');
  expect(await foreignReport(reports)).toEqual({ name: 'matrix.md', what: 'a file' });
}, 60_000);
