/**
 * bless with no --expectations, of a run that read another suites folder (`run --suites custom`): it blesses into that
 * folder's expectations.yaml only when that is the very file the run judged with (its digest), and names it; else it
 * writes nothing and asks for --expectations. It never writes ./suites/expectations.yaml, which that run never reads.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const STATED = 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: { observed: exponent, reason: seen in eu-north-1 }\n';
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-bless-default-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A project with ./suites (its own expectations file) and custom/, and a matrix of a run that read custom/. */
async function project(name: string, judgedText: string): Promise<{ proj: string; custom: string; matrix: string }> {
  const proj = join(dir, name);
  const custom = join(proj, 'custom');
  await mkdir(join(proj, 'suites'), { recursive: true });
  await mkdir(custom);
  await writeFile(join(proj, 'suites', 'expectations.yaml'), STATED);
  await writeFile(join(custom, 'expectations.yaml'), STATED);
  const built = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: seen in eu-north-1' }]);
  const matrix: Matrix = { ...built, run: { ...built.run, suites: custom, judging: { expectations: digest(judgedText), catalog: '0123456789abcdef' } } };
  const file = join(proj, 'matrix.json');
  await writeFile(file, JSON.stringify(matrix));
  return { proj, custom, matrix: file };
}

describe('bless with no --expectations, of a run of another suites folder', () => {
  it('blesses into that folder\'s expectations file when it is the one the run judged with, and names it', async () => {
    const { proj, custom, matrix } = await project('same', STATED);
    const bless = await cli(['bless', matrix], {}, proj);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).toContain(`judged with ${join(custom, 'expectations.yaml')}: blessing into that file`);
    expect(await readFile(join(custom, 'expectations.yaml'), 'utf8')).toMatch(/created-at\.chat:\n\s+observed: integer/);
    expect(await readFile(join(proj, 'suites', 'expectations.yaml'), 'utf8')).toBe(STATED);
  });

  it('writes nothing and names --expectations when that file is not the one the run judged with', async () => {
    const { proj, custom, matrix } = await project('changed', `${STATED}# edited since\n`);
    const bless = await cli(['bless', matrix], {}, proj);
    expect(bless.code).toBe(2);
    expect(bless.stderr).toContain(`read the suites folder ${custom} (--suites), and ${join(custom, 'expectations.yaml')} is not the file it judged with`);
    expect(bless.stderr).toContain(`--expectations ${join(custom, 'expectations.yaml')} when that is the file the next run of those suites reads`);
    expect(await readFile(join(custom, 'expectations.yaml'), 'utf8')).toBe(STATED);
    expect(await readFile(join(proj, 'suites', 'expectations.yaml'), 'utf8')).toBe(STATED);
  });

  it('writes nothing and names --expectations when that folder is gone', async () => {
    const { proj, custom, matrix } = await project('gone', STATED);
    await rm(custom, { recursive: true });
    const bless = await cli(['bless', matrix], {}, proj);
    expect(bless.code).toBe(2);
    expect(bless.stderr).toContain(`read the suites folder ${custom} (--suites), and that folder is not here`);
    expect(await readFile(join(proj, 'suites', 'expectations.yaml'), 'utf8')).toBe(STATED);
    // Named, the file is written as ever.
    const named = await cli(['bless', matrix, '--expectations', 'suites/expectations.yaml'], {}, proj);
    expect(named.code, named.stderr).toBe(0);
    expect(await readFile(join(proj, 'suites', 'expectations.yaml'), 'utf8')).toMatch(/observed: integer/);
  });
});
