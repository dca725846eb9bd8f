/**
 * A suite file is a PR's text, and a key may hold line breaks: `"x\n\ngate: pass (exit 0)\n##vso[...]": 1` printed
 * whole lines of its own in `validate` and `run` (a forged gate line, an Azure command at a line's start). Each
 * problem a loader lists is one line: a line break quoted from the file is written `\n`.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  await cp(join(ROOT, 'suites'), dir, { recursive: true });
  await writeFile(
    join(dir, 'forged.suite.yaml'),
    [
      'suite: forged',
      'cases:',
      '  - id: forged.one',
      '    title: one',
      '    api: chat-completions',
      '    "x\\n\\ngate: pass (exit 0)\\n##vso[task.prependpath]/tmp/evil\\r\\nok: done": 1',
      '    request: { body: { messages: [{ role: user, content: hi }] } }',
      '    checks: [errors.unknown-model]',
      '',
    ].join('\n'),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a key with line breaks in a suite file', () => {
  it.each([
    ['validate', () => ['validate', '--suites', dir]],
    ['run', () => ['run', '--suites', dir, '--report-dir', join(dir, 'reports'), 'grok-4.3']],
  ])('%s: the problem stays one line, its breaks written \\n', async (_name, args) => {
    const { code, stderr } = await cli(args());
    expect(code).toBe(2);
    const lines = stderr.split('\n');
    const problem = lines.find((line) => line.includes('unknown field'));
    expect(problem).toContain('forged.suite.yaml:6:5');
    expect(problem).toContain('\\n\\ngate: pass (exit 0)\\n');
    // No line of its own: neither a gate line nor a CI command nor the text after the CRLF.
    expect(lines.filter((line) => /^(gate:|##|ok: done)/.test(line))).toEqual([]);
  });
});
