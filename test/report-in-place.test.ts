/**
 * `report <matrix.json>` renders the input where it lies without changing what it says: a matrix.json that is a link
 * (latest/matrix.json -> ../runs/a/matrix.json) stays a link, written through to the file it points at; a value over
 * the bounds a run writes within is refused naming its JSON path, not cut without a word; bytes that are not UTF-8
 * are refused naming where, by every command that reads a matrix.json (one reader), not read as U+FFFD.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_BOUNDS } from '../src/report/bound-result.ts';
import { capText } from '../src/report/inert-text.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { overBoundsProblem } from '../src/report/over-bounds.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-report-in-place-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const text = (m: Matrix) => `${JSON.stringify(m, null, 2)}\n`;

/** Writes `m` (changed by `edit`) as `name` in a folder of its own; returns its path. */
async function saved(name: string, edit: (m: Matrix) => void = () => undefined): Promise<string> {
  const m = smallMatrix();
  edit(m);
  await mkdir(join(dir, name), { recursive: true });
  const file = join(dir, name, 'matrix.json');
  await writeFile(file, text(m));
  return file;
}

describe('report renders a linked matrix.json through the link', () => {
  it('the link stays a link, the file it points at is written, the renderings go beside the link', async () => {
    const real = await saved(join('runs', 'a'));
    await mkdir(join(dir, 'latest'));
    const link = join(dir, 'latest', 'matrix.json');
    await symlink('../runs/a/matrix.json', link);
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../runs/a/matrix.json');
    expect((await lstat(real)).isFile()).toBe(true);
    expect(JSON.parse(await readFile(real, 'utf8')).results).toEqual(smallMatrix().results);
    expect(result.stdout).toContain(`wrote ${real}, ${join(dir, 'latest', 'matrix.md')}`);
    expect((await lstat(join(dir, 'latest', 'junit.xml'))).isFile()).toBe(true);
  });
});

describe('a value over the bounds a run writes within is refused, naming its JSON path; the input is not changed', () => {
  const cases: [string, (m: Matrix) => void, string][] = [
    ['a reason', (m) => void (m.results[0]!.reason = `${'R'.repeat(5000)}TAIL-EVIDENCE`), `results[0].reason: 5013 UTF-8 bytes, more than the ${RESULT_BOUNDS.reason} a run writes`],
    ['an excerpt', (m) => void (m.results[1]!.evidence[0]!.excerpt = 'E'.repeat(RESULT_BOUNDS.excerpt + 1)), `results[1].evidence[0].excerpt: ${RESULT_BOUNDS.excerpt + 1} UTF-8 bytes`],
    ['more evidence than a cell keeps', (m) => void (m.results[2]!.evidence = Array.from({ length: 9 }, (_, i) => ({ case: 'c', step: 's', request: `POST /v1/x ${i}` }))), 'results[2].evidence: 9 entries, more than a run writes (8 exchanges'],
    ['a trial reason', (m) => void (m.results[0]!.trials = [{ status: 'pass', observed: '/v1', reason: 'T'.repeat(600), evidence: [] }, { status: 'pass', observed: '/v1', reason: '', evidence: [] }]), `results[0].trials[0].reason: 600 UTF-8 bytes, more than the ${RESULT_BOUNDS.trialReason} a run writes`],
  ];
  for (const [what, edit, said] of cases) {
    it(what, async () => {
      const file = await saved(`over-${what.replace(/\W+/g, '-')}`, edit);
      const before = await digest(file);
      const result = await cli(['report', file]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`HARNESS_REPORT_INVALID: ${file}: ${said}`);
      expect(await digest(file)).toBe(before);
      expect((await cli(['table', file])).stderr).toContain(said);
    });
  }

  it('a file of format 1 or 2 (builds that did not bound every cell yet) is read cut to the bounds, as before', () => {
    const m = smallMatrix();
    m.results[0]!.reason = 'R'.repeat(5000);
    expect(overBoundsProblem(m)).toMatch(/^results\[0\]\.reason: /);
    for (const format of ['mantle-conformance.matrix/1', 'mantle-conformance.matrix/2']) expect(overBoundsProblem({ ...m, format } as unknown as Matrix)).toBeUndefined();
  });

  it('a run cuts any text within its bound, however much was cut (an 8-digit count too), so its own file reads back', async () => {
    const cut = capText('x'.repeat(20_000_000), RESULT_BOUNDS.reason);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(RESULT_BOUNDS.reason);
    expect(cut).toMatch(/\.\.\. \(\d{8} bytes more\)$/);
    expect(capText(cut, RESULT_BOUNDS.reason)).toBe(cut);
    const file = await saved('cut-by-a-run', (m) => void (m.results[0]!.reason = cut));
    const before = await digest(file);
    const result = await cli(['report', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(await digest(file)).toBe(before);
  });
});

describe('a matrix.json that is not UTF-8 is refused by every command that reads one, naming where', () => {
  let bad: string;
  let where: string;
  let good: string;
  beforeAll(async () => {
    good = await saved('good');
    const bytes = Buffer.from(text(smallMatrix()));
    const at = bytes.indexOf('"reason": "ok"') + '"reason": "o'.length;
    const lineStart = bytes.lastIndexOf(0x0a, at) + 1;
    const line = bytes.subarray(0, at).toString().split('\n').length;
    where = `not UTF-8 text at byte ${at} (line ${line}, column ${at - lineStart + 1})`;
    await mkdir(join(dir, 'latin1'));
    bad = join(dir, 'latin1', 'matrix.json');
    await writeFile(bad, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe]), bytes.subarray(at)]));
  });

  it('report, table, compare, merge, bless and run --baseline: exit 2 naming the file and the byte; the input unchanged', async () => {
    const before = await digest(bad);
    const calls = [
      ['report', bad],
      ['table', bad],
      ['compare', good, bad],
      ['merge', bad, '--report-dir', join(dir, 'merged')],
      ['bless', bad, '--expectations', join(dir, 'expectations.yaml')],
      ['run', '--quiet', '--checks', 'api.chat-completions', '--baseline', bad, '--report-dir', join(dir, 'run')],
    ];
    for (const args of calls) {
      const result = await cli(args);
      expect(result.code, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args[0]).toContain(`HARNESS_REPORT_INVALID: ${bad}: ${where}`);
    }
    expect(await digest(bad)).toBe(before);
    expect((await readFile(bad)).includes(Buffer.from('\uFFFD'))).toBe(false);
  });
});
