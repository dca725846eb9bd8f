/**
 * vitest's `--outputFile` after `--` is refused (exit 2, before anything is sent or read) on a recording a replay reads
 * (its --fixtures, and the bundled fixtures of a replay without it: the next replay would fail on vitest's JSON), and
 * on the GITHUB_STEP_SUMMARY file the run appends its gate to (earlier steps' text would be lost). Another file is
 * written as before.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

let dir: string;
let emulator: RunningEmulator;
const md5 = async (file: string) => createHash('md5').update(await readFile(file)).digest('hex');
const live = () => ['--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'created-at.*'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-output-file-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('--outputFile after -- on a file the run reads or writes', () => {
  it("on a recording of the replay's --fixtures: refused, the recording kept; outside them it is written", async () => {
    const fixtures = join(dir, 'fx');
    const record = await cliProcess(['run', '--mode', 'record', ...live(), '--fixtures', fixtures, '--target-name', 'local', '--report-dir', join(dir, 'rec'), '--quiet'], { TMPDIR: dir });
    expect(record.code, record.stderr).toBe(0);
    const folder = join(fixtures, 'local', 'xai.grok-4.3');
    const file = join(folder, (await readdir(folder)).find((f) => f.endsWith('.json'))!);
    const before = await md5(file);
    const replay = (reports: string, out: string) => cliProcess(['run', '--mode', 'replay', '--fixtures', fixtures, '--target-name', 'local', '--models', 'xai.grok-4.3', '--checks', 'created-at.*', '--report-dir', join(dir, reports), '--quiet', '--', '--reporter=json', `--outputFile=${out}`], { TMPDIR: dir });
    const refused = await replay('rep1', file);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`--output-file=${file} after --: it is in the --fixtures folder ${fixtures}, where this replay reads its recordings; name a file outside it. Nothing was sent.`);
    expect(await md5(file)).toBe(before);
    const written = await replay('rep2', join(dir, 'vitest.json'));
    expect(written.code, written.stderr).toBe(0);
    expect(await readFile(join(dir, 'vitest.json'), 'utf8')).toContain('numTotalTestSuites');
    expect(await md5(file)).toBe(before);
  }, 120_000);

  it('in the bundled fixtures a replay without --fixtures reads: refused, nothing written there', async () => {
    // A new file's name, never a bundled recording's: the bundled folder may be the checkout's own.
    const file = join(inject('packageRoot'), 'fixtures', 'emulator', 'xai.grok-4.3', 'mantle-output-file-vitest.json');
    try {
      const run = await cliProcess(['run', '--models', 'grok-4.3', '--checks', 'created-at.*', '--report-dir', join(dir, 'rep3'), '--quiet', '--', '--reporter=json', `--outputFile=${file}`], { TMPDIR: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('where this replay reads its recordings; name a file outside it. Nothing was sent.');
      await expect(readFile(file)).rejects.toThrow();
    } finally {
      await rm(file, { force: true });
    }
  }, 60_000);

  it('on the GITHUB_STEP_SUMMARY file, by a relative name: refused, the job summary kept', async () => {
    const summary = join(dir, 'summ.md');
    await writeFile(summary, "# earlier steps' summary\n");
    const run = await cliProcess(['run', '--mode', 'live', ...live(), '--report-dir', 'out', '--quiet', '--', '--reporter=json', '--outputFile=summ.md'], { TMPDIR: dir, GITHUB_STEP_SUMMARY: summary }, dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--output-file=summ.md after --: it is the GITHUB_STEP_SUMMARY file ${summary}, the job summary the run appends its gate to, which vitest would write over`);
    expect(await readFile(summary, 'utf8')).toBe("# earlier steps' summary\n");
  }, 60_000);
});
