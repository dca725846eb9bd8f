/**
 * Expectations and bless: a regression planted by hand in the expectations file fails the run (exit 1) and every
 * report names it; bless accepts the observed value and the file's diff is exactly that change; the run then
 * passes. A known deviation that goes away fails too.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
let suites: string;
const EXPECTATIONS = `# yaml-language-server: $schema=./schema/expectations.schema.json
# Reviewed expectations for the tests.
expectations: mantle
models:
  openai.gpt-oss-120b:
    # Known: Mantle sends created_at in exponent form.
    created-at.responses:
      observed: exponent
      reason: Mantle sends created_at as a float in exponent form
      link: https://github.com/openai/openai-dotnet/issues/1006
  xai.grok-4.3:
    defaults.temperature: 0.7
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expectations-'));
  suites = join(dir, 'suites');
  await cp(join(ROOT, 'suites'), suites, { recursive: true });
  await writeFile(join(suites, 'expectations.yaml'), EXPECTATIONS);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// The Mantle target alone: the bundled bedrock-runtime recordings would repeat every verdict under a second target.
const run = (reports: string, extra: string[] = [], env = {}) => cli(['run', '--targets', 'mantle:emulator', '--suites', suites, '--models', 'xai.grok-4.3,openai.gpt-oss-120b', '--report-dir', reports, '--plain', ...extra], env);

describe('expectations', () => {
  it('pass when the run matches them', async () => {
    const result = await run(join(dir, 'clean'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const matrix = JSON.parse(await readFile(join(dir, 'clean', 'matrix.json'), 'utf8')) as Matrix;
    const cell = matrix.results.find((r) => r.model === 'openai.gpt-oss-120b' && r.check === 'created-at.responses')!;
    expect(cell.expectedSource).toBe('expectations: Mantle sends created_at as a float in exponent form (https://github.com/openai/openai-dotnet/issues/1006)');
  });

  it('a planted regression exits 1 and every report names it; bless makes it pass with a one-line diff', async () => {
    const file = join(suites, 'expectations.yaml');
    const planted = EXPECTATIONS.replace('defaults.temperature: 0.7', 'defaults.temperature: 0.5');
    await writeFile(file, planted);
    const reports = join(dir, 'planted');
    const failed = await run(reports);
    expect(failed.code).toBe(1);
    const named = /xai\.grok-4\.3.*defaults\.temperature|defaults\.temperature.*xai\.grok-4\.3/;
    expect(failed.stdout).toMatch(/gating: xai\.grok-4\.3 defaults\.temperature .*expected 0\.5, got 0\.7 \(expectations: accepted\)/);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.gate.gating).toEqual([expect.objectContaining({ model: 'xai.grok-4.3', check: 'defaults.temperature' })]);
    expect(await readFile(join(reports, 'matrix.md'), 'utf8')).toMatch(/## What fails the gate\n\n- ✗ `xai\.grok-4\.3` `defaults\.temperature`/);
    expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toMatch(/class="cell s-fail gating"[^>]*data-key="emulator\|xai\.grok-4\.3\|defaults\.temperature"/);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(await readFile(join(reports, 'junit.xml'), 'utf8')) as { testsuites: { testsuite: unknown } };
    type Case = Record<string, unknown>;
    const cases = ([junit.testsuites.testsuite].flat() as { testcase: Case | Case[] }[]).flatMap((s) => [s.testcase].flat());
    const failures = cases.filter((t) => t.failure);
    expect(failures.map((t) => `${String(t['@_classname'])} ${String(t['@_name'])}`)).toEqual(['emulator.xai.grok-4.3 defaults.temperature']);
    expect(JSON.stringify(failures)).toMatch(named);

    const bless = await cli(['bless', join(reports, 'matrix.json'), '--expectations', file]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).toContain('xai.grok-4.3 defaults.temperature: 0.5 (expectations) -> 0.7');
    const after = await readFile(file, 'utf8');
    const changed = planted.split('\n').map((line, i) => [line, after.split('\n')[i]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([['    defaults.temperature: 0.5', '    defaults.temperature: 0.7']]);
    expect(after.split('\n')).toHaveLength(planted.split('\n').length);

    const again = await run(join(dir, 'blessed'));
    expect(again.code, again.stdout).toBe(0);
  });

  it('a known deviation that goes away fails the gate too', async () => {
    await writeFile(join(suites, 'expectations.yaml'), EXPECTATIONS);
    const emulator = await catalogEmulator({ 'openai.gpt-oss-120b': { createdAt: { responses: 'integer' } } }, { apiKey: 'exp-key-0123456789' });
    try {
      const reports = join(dir, 'fixed-upstream');
      const result = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--suites', suites, '--models', 'openai.gpt-oss-120b', '--checks', 'created-at.*', '--report-dir', reports, '--plain'], {
        AWS_BEARER_TOKEN_BEDROCK: 'exp-key-0123456789',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/gating: openai\.gpt-oss-120b created-at\.responses .*expected "exponent", got "integer"/);
    } finally {
      await emulator.close();
    }
  });

  it('a broken expectations file stops the run with file:line:col', async () => {
    await writeFile(join(suites, 'expectations.yaml'), 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.responses: exponential\n');
    const result = await run(join(dir, 'broken'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expectations.yaml:4:5 created-at.responses: "exponential" is not one of "integer", "float", "exponent", "string", "missing"');
    await writeFile(join(suites, 'expectations.yaml'), EXPECTATIONS);
  });
});
