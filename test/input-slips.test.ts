/**
 * Slips a user makes with files a CI job downloads (hostile review of CI use, 2026-12-05): `--baseline baseline` (the
 * folder an artifact was downloaded into) was "does not exist"; a matrix.json saved with a byte-order mark was "not
 * valid JSON at line 1, column 1"; a shard count past the bound was "not i/n with 1 <= i <= n", which it was.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
let matrix: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'input-slips-'));
  const run = await cli(['run', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--report-dir', join(dir, 'r'), '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  matrix = join(dir, 'r', 'matrix.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('files and flags a CI job gets slightly wrong', () => {
  it('--baseline naming a folder says it is one, and the file to give', async () => {
    const folder = join(dir, 'baseline');
    await mkdir(folder);
    const run = await cli(['run', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--baseline', folder, '--report-dir', join(dir, 'b'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --baseline: ${folder} is a folder, not a file; give a matrix.json from an earlier run (${folder}/matrix.json, if that is the run)`);
  });

  it('a matrix.json with a byte-order mark reads as the same file without it', async () => {
    const bom = join(dir, 'bom.json');
    await writeFile(bom, `\uFEFF${await readFile(matrix, 'utf8')}`);
    const report = await cli(['report', bom, '--report-dir', join(dir, 'bom')]);
    expect(report.code, report.stderr).toBe(0);
    // Read as the very run it copies: compare refuses the pair as one run (not as JSON it cannot read).
    const compare = await cli(['compare', matrix, bom]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toContain('the baseline is the same run as the newer one');
  });

  it('a shard past the bound says the bound', async () => {
    const run = await cli(['run', '--shard', '1/999999999999', '--report-dir', join(dir, 's'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not i/n with 1 <= i <= n <= 9999');
  });
});

describe('a run compared with itself', () => {
  it('compare and report --baseline refuse it (exit 2): it can never show a change, and would replace the comparison the run recorded', async () => {
    const copy = join(dir, 'same.json');
    await writeFile(copy, await readFile(matrix));
    const compare = await cli(['compare', copy, matrix]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(/^HARNESS_USAGE: compare .*: the baseline is the same run as the newer one, \S+ \(started [^)]+\): a run compared with itself never shows a change; give the matrix\.json of an earlier run as the baseline$/m);
    const report = await cli(['report', matrix, '--baseline', copy, '--report-dir', join(dir, 'self')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('the baseline is the same run as the newer one');
    // Another run is no refusal.
    const other = await cli(['run', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--report-dir', join(dir, 'r2'), '--quiet']);
    expect(other.code).toBe(0);
    const compared = await cli(['compare', matrix, join(dir, 'r2', 'matrix.json')]);
    expect(compared.code).toBe(0);
    expect(compared.stderr).not.toContain('same run');
  });
});

describe('a matrix.json that lost a model it was asked for', () => {
  it('is refused, naming run.selection.models', async () => {
    const run = await cli(['run', '--models', 'openai.gpt-oss-20b,xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', join(dir, 'two'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(join(dir, 'two', 'matrix.json'), 'utf8');
    const edited = JSON.parse(text) as { models: { id: string }[]; results: { model: string }[]; totals: { perModel: Record<string, unknown> } };
    edited.models = edited.models.filter((m) => m.id !== 'xai.grok-4.3');
    edited.results = edited.results.filter((r) => r.model !== 'xai.grok-4.3');
    for (const key of Object.keys(edited.totals.perModel)) if (key.endsWith('/xai.grok-4.3')) delete edited.totals.perModel[key];
    const file = join(dir, 'dropped.json');
    await writeFile(file, JSON.stringify(edited));
    const report = await cli(['report', file, '--report-dir', join(dir, 'dropped')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('run.selection.models[1]: "xai.grok-4.3" was asked for, but models[] has no entry of it');
  });
});

describe('compare with a run of models the baseline did not select', () => {
  it('lists them as not compared only, never as new failures', async () => {
    const base = await cli(['run', '--models', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--report-dir', join(dir, 'base'), '--quiet']);
    expect(base.code).toBe(0);
    const typo = await cli(['run', '--models', 'openai.gpt-oss-20x', '--checks', 'path-prefix', '--report-dir', join(dir, 'typo'), '--quiet']);
    expect(typo.code).toBe(1);
    const compare = await cli(['compare', join(dir, 'base', 'matrix.json'), join(dir, 'typo', 'matrix.json')]);
    // Never a new failure; and with no model in common no cell was compared: said, and exit 1 (no green on nothing).
    expect(compare.stdout).not.toMatch(/^new failures: [1-9]/m);
    expect(compare.stdout).toContain('nothing was compared: no model of this run is one the baseline ran');
    expect(compare.stdout).toMatch(/not compared, one run did not select them \(--models, --checks\): models: openai\.gpt-oss-20x/);
    expect(compare.code).toBe(1);
  });
});

describe('bless in a repository with no ./suites folder', () => {
  it('asks for the folder (run reads ./suites/expectations.yaml from there) rather than making one; made, it writes there', async () => {
    const repo = join(dir, 'repo');
    await mkdir(repo);
    const refused = await cli(['bless', '--all', matrix], {}, repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('there is no ./suites folder here; to bless into ./suites/expectations.yaml, which `run` reads from there, make the folder first (mkdir suites)');
    await mkdir(join(repo, 'suites'));
    const bless = await cli(['bless', '--all', matrix], {}, repo);
    expect(bless.code, bless.stderr).toBe(0);
    expect(await readFile(join(repo, 'suites', 'expectations.yaml'), 'utf8')).toMatch(/^expectations: mantle$/m);
  });
});
