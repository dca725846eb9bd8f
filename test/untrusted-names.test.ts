/**
 * Names that become paths (run id, target name, model id) cannot escape their folder or collide, and the harness
 * removes only the folders it made itself: a bad name is exit 2 naming the flag, with every other file untouched.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderName, nameFromFolder, nameProblem } from '../src/names.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli, scratchReportDir } from './helpers/harness.ts';

describe('folderName', () => {
  it('keeps the ids Mantle uses as they are', () => {
    for (const id of ['google.gemma-4-e2b', 'anthropic.claude-opus-4-7', 'emulator', 'us-east-1', 'responses.store-false']) expect(folderName(id)).toBe(id);
  });

  it('maps distinct ids to distinct folders, also on case-insensitive file systems, and back', () => {
    const ids = ['x:y', 'x_y', 'x/y', 'x.y', 'X.y', 'x.Y', 'x_3Ay', '.x', '..', '.', 'x..', 'a\u00e9', 'x@1+2'];
    const folders = ids.map(folderName);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(ids.length);
    for (const [i, folder] of folders.entries()) {
      expect(folder).not.toMatch(/[/\\:]|^\.\.?$|^\./);
      expect(nameFromFolder(folder)).toBe(ids[i]);
    }
    expect(nameFromFolder('x_zz')).toBeUndefined();
    expect(nameFromFolder('Upper')).toBeUndefined();
  });

  it('encodes Windows device names in any letter case and a trailing dot, which Windows would take or change', () => {
    const ids = ['con', 'nul', 'com1', 'lpt9', 'aux.json', 'prn.x', 'x.', 'a.b.', 'CON', 'Nul', 'con.', '_63on'];
    const folders = ids.map(folderName);
    expect(folders.slice(0, 8)).toEqual(['_63on', '_6Eul', '_63om1', '_6Cpt9', '_61ux.json', '_70rn.x', 'x_2E', 'a.b_2E']);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(ids.length);
    for (const [i, folder] of folders.entries()) {
      expect(folder).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)|[. ]$/i);
      expect(nameFromFolder(folder)).toBe(ids[i]);
    }
    // A folder an older version made under the raw name is no longer one folderName makes.
    expect(nameFromFolder('con')).toBeUndefined();
    expect(nameFromFolder('x.')).toBeUndefined();
    // Names that only look alike keep their folders.
    for (const id of ['console', 'com10', 'auxiliary', 'nullable', 'x.y', 'lpt']) expect(folderName(id)).toBe(id);
  });

  it('refuses empty, dot, separator, control and over-long names', () => {
    expect(nameProblem('', 'run id')).toMatch(/empty/);
    expect(nameProblem('.', 'run id')).toBeDefined();
    expect(nameProblem('..', 'target name')).toBeDefined();
    expect(nameProblem('a/b', 'run id')).toBeDefined();
    expect(nameProblem('a\nb', 'model id')).toMatch(/control/);
    expect(nameProblem('m'.repeat(300), 'model id')).toMatch(/at most/);
    expect(nameProblem('x/y', 'model id')).toBeUndefined();
    expect(nameProblem('20261203T092411-abcd1234', 'run id')).toBeUndefined();
  });
});

describe('bad names on the command line', () => {
  let tmp: string;
  let sentinel: string;
  beforeAll(async () => {
    // The child's temp folder holds a file of "another program": a bad run id must not touch it.
    tmp = await mkdtemp(join(tmpdir(), 'names-tmp-'));
    sentinel = join(tmp, 'someone-elses-file.txt');
    await mkdir(join(tmp, 'mantle-conformance-other-run'), { recursive: true });
    await writeFile(sentinel, 'keep me');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it.each([
    [['--run-id', '..'], '--run-id'],
    [['--run-id', '.'], '--run-id'],
    [['--run-id', ''], '--run-id'],
    [['--run-id', 'a/b'], '--run-id'],
    [['--target-name', '..'], '--target-name'],
    [['--models', 'm'.repeat(300)], '--models'],
    [['--models', 'bad\u001bid'], '--models'],
  ])('%j is exit 2 naming %s, and the temp folder is untouched', async (args, flag) => {
    const run = await cli(['run', ...args, '--quiet', '--report-dir', join(tmp, 'reports')], { TMPDIR: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: ${flag}`);
    expect(await readFile(sentinel, 'utf8')).toBe('keep me');
    expect((await readdir(tmp)).filter((f) => !f.startsWith('tsx-')).sort()).toEqual(['mantle-conformance-other-run', 'someone-elses-file.txt']);
  });

  it('a path quoted in an error is printed inert: no escape reaches the terminal, no line reads as a CI command', async () => {
    const run = await cli(['run', '--expectations', '/tmp/x\u001b[2J\u0007\n::error::forged\n##[set-output name=a]b', '--quiet', '--report-dir', await scratchReportDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^HARNESS_FILE_NOT_FOUND: --expectations: \/tmp\/x/);
    expect(run.stderr).not.toMatch(/[\u001b\u0007]/);
    for (const line of run.stderr.split('\n')) expect(line).not.toMatch(/^\s*(::|##\[)/);
  });

  it('a good run leaves nothing behind in the temp folder', async () => {
    const run = await cli(['run', '--models', 'zai.glm-5', '--checks', 'created-at.chat', '--quiet', '--report-dir', join(tmp, 'reports')], { TMPDIR: tmp });
    expect(run.code).toBe(0);
    expect((await readdir(tmp)).filter((f) => !f.startsWith('tsx-')).sort()).toEqual(['mantle-conformance-other-run', 'reports', 'someone-elses-file.txt']);
    await rm(join(tmp, 'reports'), { recursive: true });
  });
});

describe('model ids that used to share a fixture folder', () => {
  it('x:y, x_y and x/y record into three folders and replay as three models', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'names-record-'));
    const emulator = await catalogEmulator({}, { unknownModels: 'generic' });
    const models = 'x:y,x_y,x/y';
    const flags = ['--models', models, '--checks', 'created-at.chat,api.chat-completions', '--fixtures', join(dir, 'fixtures'), '--target-name', 'local', '--quiet'];
    try {
      const record = await cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--auth', 'none', ...flags, '--report-dir', join(dir, 'record')]);
      expect(record.stderr).toBe('');
      expect(record.code).toBe(0);
    } finally {
      await emulator.close();
    }
    expect((await readdir(join(dir, 'fixtures', 'local'))).sort()).toEqual(['x_2Fy', 'x_3Ay', 'x_5Fy']);
    const replay = await cli(['run', ...flags, '--report-dir', join(dir, 'replay')]);
    expect(replay.code).toBe(0);
    const matrix = JSON.parse(await readFile(join(dir, 'replay', 'matrix.json'), 'utf8')) as Matrix;
    const created = matrix.results.filter((r) => r.check === 'created-at.chat');
    expect(created.map((r) => [r.model, r.status, r.observed])).toEqual([
      ['x:y', 'pass', 'integer'],
      ['x_y', 'pass', 'integer'],
      ['x/y', 'pass', 'integer'],
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
