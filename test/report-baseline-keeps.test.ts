/**
 * `report` of an input rendered where it lies keeps that input's renderings when it refuses a bad --baseline
 * (seventh review, finding 4): a --baseline path that does not exist, one that cannot be read as a matrix, and one of
 * the same run each exit 2 and leave the folder's matrix.md, matrix.html and junit.xml byte for byte, as README says
 * of every refusal of an input rendered in place. A CI re-render step with a typo'd --baseline keeps what it uploads.
 * An input that cannot itself be read still takes the renderings (stale-reports.test.ts), and so does a refused
 * report into another folder, whose renderings are another run's.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const RENDERINGS = ['matrix.md', 'matrix.html', 'junit.xml'];
const ALL = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];
const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const digests = async (dir: string) => Object.fromEntries(await Promise.all([...RENDERINGS, 'matrix.json'].map(async (name) => [name, await digest(join(dir, name))])));
const save = (file: string, m: unknown) => writeFile(file, `${JSON.stringify(m, null, 2)}\n`);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mantle-baseline-keeps-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A folder holding a run's matrix.json, rendered once where it lies (as a CI artifact has it). */
async function rendered(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await save(join(dir, 'matrix.json'), smallMatrix([], undefined, undefined, { runId: 't-new' }));
  const first = await cli(['report', join(dir, 'matrix.json')]);
  expect(first.code, first.stderr).toBe(0);
  expect((await readdir(dir)).sort()).toEqual(ALL);
  return dir;
}

describe('report in place with a bad --baseline keeps the renderings byte for byte', () => {
  it('a --baseline that does not exist: exit 2, HARNESS_FILE_NOT_FOUND', async () => {
    const dir = await rendered('missing');
    const before = await digests(dir);
    const result = await cli(['report', join(dir, 'matrix.json'), '--baseline', join(root, 'nope.json')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('HARNESS_FILE_NOT_FOUND');
    expect((await readdir(dir)).sort()).toEqual(ALL);
    expect(await digests(dir)).toEqual(before);
  });

  it('a --baseline that is not a matrix: exit 2', async () => {
    const dir = await rendered('invalid');
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{"format": "mantle-conformance.matrix/5", "run": ');
    const before = await digests(dir);
    const result = await cli(['report', join(dir, 'matrix.json'), '--baseline', bad]);
    expect(result.code, result.stderr).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(ALL);
    expect(await digests(dir)).toEqual(before);
  });

  it('a --baseline of the same run (a copy of the input): exit 2, "the same run"', async () => {
    const dir = await rendered('same-run');
    const copy = join(root, 'same-run-copy.json');
    await cp(join(dir, 'matrix.json'), copy);
    const before = await digests(dir);
    const result = await cli(['report', join(dir, 'matrix.json'), '--baseline', copy]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_USAGE: --baseline .*same run/);
    expect((await readdir(dir)).sort()).toEqual(ALL);
    expect(await digests(dir)).toEqual(before);
  });

  it('a good --baseline still replaces them', async () => {
    const dir = await rendered('good');
    const baseline = join(root, 'good-baseline.json');
    await save(baseline, smallMatrix([], undefined, undefined, { runId: 't-old' }));
    const before = await digests(dir);
    const result = await cli(['report', join(dir, 'matrix.json'), '--baseline', baseline]);
    expect(result.code, result.stderr).toBe(0);
    expect((await digests(dir))['matrix.md']).not.toBe(before['matrix.md']);
    expect(await readFile(join(dir, 'matrix.md'), 'utf8')).toContain('t-old');
  });

  it("into another folder, a bad --baseline still takes that folder's renderings (another run's), never its matrix.json", async () => {
    const other = await rendered('other');
    const input = join(root, 'input.json');
    await save(input, smallMatrix([], undefined, undefined, { runId: 't-input' }));
    const data = await digest(join(other, 'matrix.json'));
    const result = await cli(['report', input, '--baseline', join(root, 'nope.json'), '--report-dir', other]);
    expect(result.code, result.stderr).toBe(2);
    expect(await readdir(other)).toEqual(['matrix.json']);
    expect(await digest(join(other, 'matrix.json'))).toBe(data);
  });
});
