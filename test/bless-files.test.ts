/**
 * bless and the file it writes: nothing the user wrote is lost. A file that cannot be read is refused (exit 2), never
 * taken for an absent one and replaced; a link is written through; an alias keeps what it shared; a missing or
 * folder path says so; CRLF stays CRLF, what bless did not change stays byte for byte, and bytes that are not UTF-8 are refused. Readers of YAML tell a missing
 * file from an unreadable one.
 */
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { main } from '../src/cli/main.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadExpectations, statedFor } from '../src/suite/load-expectations.ts';
import { readYamlSource } from '../src/suite/yaml-source.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bless-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const bless = async (matrix: Matrix, file: string, extra: string[] = []) => {
  const input = join(dir, `matrix-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(input, JSON.stringify(matrix));
  let text = '';
  const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  const code = await main(['bless', input, '--expectations', file, ...extra], { out: stream, err: stream });
  return { code, text };
};

/** xai.grok-4.3 created-at.chat was judged against the file's "exponent" and observed "integer" (it gates). */
const flipped = () => smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: x' }]);
const stated = async (file: string, model: string) => statedFor(await loadExpectations(file, ALL_CHECKS), 'emulator', model, 'created-at.chat')?.value;

describe('a file bless cannot read is refused, never replaced', () => {
  it('a link loop: exit 2 naming the flag and ELOOP; the link is still there', async () => {
    const file = join(dir, 'loop.yaml');
    await symlink('loop.yaml', file);
    const result = await bless(flipped(), file, ['--all']);
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/HARNESS_EXPECTATIONS_INVALID: --expectations .*loop\.yaml: cannot read it \(ELOOP.*\); nothing was written/);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: exit 2 naming EACCES; its text stays', async () => {
    const file = join(dir, 'private.yaml');
    await writeFile(file, 'expectations: mantle\n# mine\nmodels: {}\n', { mode: 0o200 });
    const result = await bless(flipped(), file, ['--all']);
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/cannot read it \(EACCES.*\); nothing was written/);
    await rm(file);
  });

  it('a folder: exit 2 naming --expectations, with or without --all; a file there blesses', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder);
    for (const extra of [[], ['--all']]) {
      const result = await bless(smallMatrix(), folder, extra);
      expect(result.code).toBe(2);
      expect(result.text).toMatch(/HARNESS_USAGE: --expectations .*folder: is a folder, not a file; name the expectations file \(e\.g\. .*folder\/expectations\.yaml\)/);
    }
    expect((await lstat(folder)).isDirectory()).toBe(true);
    expect((await bless(flipped(), join(folder, 'expectations.yaml'))).code).toBe(0);
  });

  it('readers of YAML: a missing file is HARNESS_FILE_NOT_FOUND, an unreadable one a problem naming it', async () => {
    await expect(readYamlSource(join(dir, 'absent.yaml'))).rejects.toMatchObject({ code: 'HARNESS_FILE_NOT_FOUND' });
    await mkdir(join(dir, 'dir.yaml'));
    expect(await readYamlSource(join(dir, 'dir.yaml'))).toEqual({ source: null, problems: [expect.stringMatching(/dir\.yaml: cannot read it \(EISDIR: a folder, not a file\)$/)] });
    await expect(loadExpectations(join(dir, 'dir.yaml'), ALL_CHECKS)).rejects.toMatchObject({ code: 'HARNESS_EXPECTATIONS_INVALID' });
  });
});

describe('a path with nothing there', () => {
  it('says it does not exist (and that --all creates it), not that everything matches; writes nothing', async () => {
    const file = join(dir, 'typo', 'expectation.yaml');
    const result = await bless(smallMatrix(), file);
    expect(result.code).toBe(0);
    expect(result.text).toContain(`nothing to bless: ${file} does not exist, and no cell of`);
    expect(result.text).toContain('(bless --all creates it with every observed value)');
    expect(result.text).not.toContain('already matches');
    await expect(lstat(file)).rejects.toThrow(/ENOENT/);
  });

  it('an existing file every cell matches still says so', async () => {
    const file = join(dir, 'matches.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: integer\n');
    const result = await bless(smallMatrix(), file);
    expect(result.text).toContain(`already matches ${file}`);
  });
});

describe('a link is written through', () => {
  it('the link stays a link and its target holds the blessed value', async () => {
    await mkdir(join(dir, 'shared'));
    const real = join(dir, 'shared', 'exp.yaml');
    await writeFile(real, 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent\n');
    const file = join(dir, 'linked.yaml');
    await symlink('shared/exp.yaml', file);
    const result = await bless(flipped(), file);
    expect(result.code, result.text).toBe(0);
    expect(await readlink(file)).toBe('shared/exp.yaml');
    expect(await readFile(real, 'utf8')).toBe('expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: integer\n');
  });

  it('a link to nothing: exit 2, the link stays', async () => {
    const file = join(dir, 'dangling.yaml');
    await symlink('nowhere/exp.yaml', file);
    const result = await bless(flipped(), file);
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/HARNESS_USAGE: --expectations .*dangling\.yaml: is a link to nowhere\/exp\.yaml, which does not exist/);
    expect(await readlink(file)).toBe('nowhere/exp.yaml');
  });
});

describe('an alias keeps what it shared', () => {
  it.each([
    {
      name: 'blessing the anchored entry leaves the alias\'s model as it was',
      yaml: 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: &v\n      observed: exponent\n      reason: shared\n  qwen.qwen3-32b:\n    created-at.chat: *v\n',
      observed: { 'xai.grok-4.3': 'integer', 'qwen.qwen3-32b': 'exponent' },
      kept: '  qwen.qwen3-32b:\n    created-at.chat:\n      observed: exponent\n      reason: shared\n',
    },
    {
      name: 'blessing through an alias (a model that aliases another\'s map) changes only that model',
      yaml: 'expectations: mantle\nmodels:\n  xai.grok-4.3: &m\n    created-at.chat: exponent\n  qwen.qwen3-32b: *m\n',
      observed: { 'xai.grok-4.3': 'exponent', 'qwen.qwen3-32b': 'integer' },
    },
  ])('$name', async ({ name, yaml, observed, kept }) => {
    const file = join(dir, `alias-${name.length}.yaml`);
    await writeFile(file, yaml);
    const matrix = smallMatrix(Object.entries(observed).map(([model, value]) => ({ model, check: 'created-at.chat', status: value === 'exponent' ? 'pass' : 'fail', observed: value, expected: 'exponent', expectedSource: 'expectations: shared' })));
    expect((await bless(matrix, file)).code).toBe(0);
    for (const [model, value] of Object.entries(observed)) expect(await stated(file, model), model).toBe(value);
    if (kept) expect(await readFile(file, 'utf8')).toContain(kept);
  });
});


describe('the file\'s encoding and line endings', () => {
  it('CRLF in, CRLF out: only the blessed line differs', async () => {
    const file = join(dir, 'crlf.yaml');
    const before = '# mine\r\nexpectations: mantle\r\nmodels:\r\n  xai.grok-4.3:\r\n    created-at.chat: exponent\r\n';
    await writeFile(file, before);
    expect((await bless(flipped(), file)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(before.replace('exponent', 'integer'));
  });

  it('a BOM, 4-space indentation and another model\'s flow map and folded reason: only the blessed line differs', async () => {
    const file = join(dir, 'hand-written.yaml');
    const before = '\uFEFF# mine\r\nexpectations: mantle\r\nmodels:\r\n    qwen.qwen3-32b:\r\n        created-at.chat: {observed: integer, reason: "seen"}\r\n        path-prefix:\r\n            observed: /v1\r\n            reason: >\r\n                folded\r\n                reason\r\n\r\n    # grok\r\n    xai.grok-4.3:\r\n        created-at.chat: exponent\r\n';
    await writeFile(file, before);
    expect((await bless(flipped(), file)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(before.replace('exponent', 'integer'));
  });

  it('bytes that are not UTF-8: exit 2 naming the file and the line, the file byte for byte as it was', async () => {
    const file = join(dir, 'latin1.yaml');
    const before = Buffer.concat([Buffer.from('expectations: mantle\n# caf'), Buffer.from([0xe9]), Buffer.from('\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent\n')]);
    await writeFile(file, before);
    const result = await bless(flipped(), file);
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/HARNESS_EXPECTATIONS_INVALID: --expectations .*latin1\.yaml: is not UTF-8 text \(line 2\); save it as UTF-8; nothing was written/);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect((await readYamlSource(file)).problems).toEqual([expect.stringMatching(/latin1\.yaml: is not UTF-8 text \(line 2\)/)]);
  });
});
