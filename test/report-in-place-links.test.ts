/**
 * `report <matrix.json>` rendered where it lies changes nothing in its input without a word:
 * - the input that is also one of the folder's other reports (matrix.json a link to matrix.md, or a hard link) is
 *   refused, exit 2, before anything is read or written: that report's rendering would replace the run's data;
 * - fields this version does not know (a newer version's) are not dropped from it: the input is left as it is, the
 *   other reports are written, and stderr names the fields; with --baseline (which would write it again) exit 2;
 * - a `listedOthers` the schema lets through but no run writes is refused naming its JSON path, not dropped;
 * - a matrix.json with more than one name (a hard link) is replaced under its own name only, and stderr says so.
 */
import { createHash } from 'node:crypto';
import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mantle-report-in-place-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** `m` (as a run writes it, plus `extra`) saved as `name` in a new folder; returns the folder and the file. */
async function saved(folder: string, name = 'matrix.json', edit: (m: Record<string, unknown>) => void = () => undefined): Promise<{ dir: string; file: string }> {
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  const m = smallMatrix() as unknown as Record<string, unknown>;
  edit(m);
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(m, null, 2)}\n`);
  return { dir, file };
}

describe("the input is one of report's own outputs under another name: refused before anything is read or written", () => {
  it('matrix.json a link to matrix.md: exit 2, the data stays in matrix.md', async () => {
    const { dir, file: data } = await saved('link-to-md', 'matrix.md');
    await symlink('matrix.md', join(dir, 'matrix.json'));
    const before = await digest(data);
    const result = await cli(['report', join(dir, 'matrix.json')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: --report-dir ${dir}: its matrix.md is the input ${join(dir, 'matrix.json')} (the same file, by a link or another name), and report writes its matrix.md there`);
    expect(result.stderr).toContain('Nothing was read or written.');
    expect(await digest(data)).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['matrix.json', 'matrix.md']);
  });

  it('junit.xml a hard link of the input: exit 2, nothing written', async () => {
    const { dir, file } = await saved('hard-link-junit');
    await link(file, join(dir, 'junit.xml'));
    const result = await cli(['report', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`its junit.xml is the input ${file}`);
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'matrix.json']);
  });
});

describe('fields this version does not know are not dropped from the input', () => {
  const newer = (m: Record<string, unknown>) => {
    (m.run as Record<string, unknown>).newerField = 'from a newer build';
    ((m.results as Record<string, unknown>[])[0]!).confidence = 0.9;
  };

  it('rendered in place: the input is left byte for byte, the other reports are written, stderr names the fields', async () => {
    const { dir, file } = await saved('newer-fields', 'matrix.json', newer);
    const before = await digest(file);
    const result = await cli(['report', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(await digest(file)).toBe(before);
    expect(result.stderr).toContain(`note: ${file}: it holds 2 fields this version does not know (run.newerField, results[0].confidence)`);
    expect(result.stderr).toContain('it is left as it is (written again, it would lose them)');
    expect(result.stdout).toContain(`wrote ${join(dir, 'matrix.md')}, ${join(dir, 'matrix.html')}, ${join(dir, 'junit.xml')}\n`);
    expect(result.stdout).not.toContain(`wrote ${file}`);
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
  });

  it('rendered in place with --baseline (which writes the comparison into it): exit 2 naming the fields; the input unchanged', async () => {
    const { file } = await saved('newer-fields-baseline', 'matrix.json', newer);
    const { file: baseline } = await saved('the-baseline', 'matrix.json', (m) => {
      (m.run as Record<string, unknown>).id = 'r0';
      (m.run as Record<string, unknown>).startedAt = '2026-11-23T08:00:00.000Z';
    });
    const before = await digest(file);
    const result = await cli(['report', file, '--baseline', baseline]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: report ${file} --baseline: it holds 2 fields this version does not know (run.newerField, results[0].confidence)`);
    expect(await digest(file)).toBe(before);
  });

  it('a file this version wrote has none: written again as before, no note', async () => {
    const { file } = await saved('own-file');
    const before = await digest(file);
    const result = await cli(['report', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`wrote ${file}, `);
    expect(await digest(file)).toBe(before);
  });
});

describe('a listedOthers no run writes is refused naming its JSON path, not dropped', () => {
  it('more hashed than listed: exit 2 HARNESS_REPORT_INVALID at results[0].listedOthers; the input unchanged', async () => {
    const { file } = await saved('listed-others', 'matrix.json', (m) => void (((m as unknown as Matrix).results[0] as unknown as Record<string, unknown>).listedOthers = { ids: 2, hashed: 3, names: '' }));
    const before = await digest(file);
    const result = await cli(['report', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_REPORT_INVALID: ${file}: results[0].listedOthers: not as a run writes it (3 hashed of 2 ids`);
    expect(await digest(file)).toBe(before);
  });
});

describe('a matrix.json with more than one name (a hard link)', () => {
  it('is replaced under the name given only, and stderr says the other names keep what they held', async () => {
    const { dir, file: real } = await saved(join('hard', 'runs', 'a'));
    await mkdir(join(root, 'hard', 'latest'));
    const other = join(root, 'hard', 'latest', 'matrix.json');
    await link(real, other);
    const result = await cli(['report', other]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`note: ${other} has 2 names (hard links): a new file takes the place of ${other} only, and its other names keep what they held`);
    expect((await stat(real)).nlink).toBe(1);
    expect(await readFile(real, 'utf8')).toBe(await readFile(other, 'utf8'));
    expect((await readdir(dir)).sort()).toEqual(['matrix.json']);
  });
});
