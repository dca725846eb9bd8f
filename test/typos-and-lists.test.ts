/**
 * Typos users make (hostile review of the CI path): an expectations model id with a digit typed as the letter it
 * looks like (`openai.gpt-oss-2ob`) or two neighbouring letters swapped (`openai.gtp-oss-20b`) applied to nothing
 * without a word, while `-20` and `-20bb` were warned about; a changed digit is still another version. And
 * `--checks 'stream.*,'` took an empty id that `--expect-targets 'emulator,'` refuses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slipOf } from '../src/suite/closest.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-typos-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const KNOWN = ['openai.gpt-oss-20b', 'openai.gpt-oss-120b', 'anthropic.claude-opus-4-7', 'us-west-1'];

describe('slips of a known name', () => {
  it.each([
    ['openai.gpt-oss-2ob', 'openai.gpt-oss-20b'],
    ['openai.gpt-oss-12ob', 'openai.gpt-oss-120b'],
    ['openai.gtp-oss-20b', 'openai.gpt-oss-20b'],
    ['openai.gpt-oss-2b0', 'openai.gpt-oss-20b'],
    ['anthropic.claude-opsu-4-7', 'anthropic.claude-opus-4-7'],
    ['us-west-l', 'us-west-1'],
  ])('%s is a slip of %s', (word, meant) => {
    expect(slipOf(word, KNOWN)).toBe(meant);
  });

  it.each(['anthropic.claude-opus-4-9', 'openai.gpt-oss-210b', 'openai.gpt-oss-21b', 'openai.gpt-oss-02b', 'acme.other-model'])('%s is none (another version, or another name)', (word) => {
    expect(slipOf(word, KNOWN)).toBeUndefined();
  });
});

describe('validate --expectations warns about them', () => {
  it.each(['openai.gpt-oss-2ob', 'openai.gtp-oss-20b'])('%s: "did you mean openai.gpt-oss-20b", exit 0', async (id) => {
    const file = join(dir, `${id}.yaml`);
    await writeFile(file, `expectations: mantle\nmodels:\n  ${id}:\n    reasoning.chat-field:\n      observed: message.reasoning\n      reason: test\n`);
    const run = await cli(['validate', '--expectations', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${file}:3:3 model "${id}" is not in the catalog (did you mean "openai.gpt-oss-20b"?)`);
  });
});

describe('an empty id among a list flag\'s ids is exit 2 naming the flag', () => {
  it.each([
    [['--checks', 'stream.*,'], '--checks: "stream.*," has an empty id'],
    [['--checks', 'stream.*,,created-at.*'], '--checks: "stream.*,,created-at.*" has an empty id'],
    [['--models', 'openai.gpt-oss-20b, '], '--models: "openai.gpt-oss-20b, " has an empty id'],
    [['--region', ',us-east-1'], '--region: ",us-east-1" has an empty id'],
  ])('%j', async (args, said) => {
    const run = await cli(['run', ...args, '--quiet', '--report-dir', join(dir, 'never')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: ${said}`);
  });

  it('ids with spaces after the commas still read', async () => {
    const run = await cli(['run', '--checks', 'path-prefix, created-at.chat', '--models', 'openai.gpt-oss-20b', '--quiet', '--report-dir', join(dir, 'ok')]);
    expect(run.stderr).not.toContain('HARNESS_USAGE');
    expect(run.code, run.stderr).toBe(0);
  });
});
