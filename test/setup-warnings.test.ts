/**
 * Input that loaded and then meant nothing: a typo'd model id or target name in the expectations file (a warning
 * with "did you mean"), claims on checks no loaded suite runs, non-finite numbers (exit 2 with the line), "flaky"
 * inside a list, a catalog --check of a file that does not load (exit 2), bless of a run that did not finish or of
 * a shard (said), a changed value's stale link (dropped), and a matrix.json's free text (region, family, times,
 * a widened vocabulary) checked when read.
 */
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { main } from '../src/cli/main.ts';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { blessedText, loadExpectations } from '../src/suite/load-expectations.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { slipOf } from '../src/suite/closest.ts';
import { setupWarnings } from '../src/suite/setup-warnings.ts';
import { recordedTargets } from '../src/cli/target-options.ts';
import { ROOT, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'input-checks-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const write = async (name: string, text: string) => {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
};

describe('setup warnings', () => {
  const warningsFor = async (expectations: string, suitesDir = join(ROOT, 'suites')) => {
    const [suites, catalog] = await Promise.all([loadSuites(suitesDir, ALL_CHECKS), loadCatalog(join(ROOT, 'suites', 'models.yaml'), ALL_CHECKS)]);
    const file = await write(`e-${Math.random().toString(36).slice(2)}.yaml`, expectations);
    return setupWarnings({ suites, catalog, expectations: await loadExpectations(file, ALL_CHECKS), checks: ALL_CHECKS, targets: await recordedTargets(join(ROOT, 'fixtures')) });
  };

  it('the bundled suites, catalog and expectations have none', async () => {
    expect(await warningsFor(await readFile(join(ROOT, 'suites', 'expectations.yaml'), 'utf8'))).toEqual([]);
  });

  it('a model id one typo from a catalog id, and target names one typo from known ones, say "did you mean" at their line', async () => {
    const warnings = await warningsFor(
      'expectations: mantle\nmodels:\n  xai.grok-4-3:\n    defaults.temperature: 0.7\n  acme.brand-new-model:\n    defaults.temperature: 0.7\n  xai.grok-4.3:\n    created-at.chat:\n      targets:\n        us-west2: integer\n        emulatr: integer\n        us-west-1: integer\n',
    );
    expect(warnings).toEqual([
      expect.stringMatching(/e-\w+\.yaml:3:3 model "xai\.grok-4-3" is not in the catalog \(did you mean "xai\.grok-4\.3"\?\)/),
      expect.stringMatching(/e-\w+\.yaml:10:9 target "us-west2" is no known target \(did you mean "us-west-2"\?\)/),
      expect.stringMatching(/e-\w+\.yaml:11:9 target "emulatr" is no known target \(did you mean "emulator"\?\)/),
    ]);
  });

  it('a slip is one of case, separators or one letter; a changed digit (another version) or a short name is none', () => {
    const known = ['xai.grok-4.3', 'anthropic.claude-opus-4-7', 'us-west-2', 'emulator', 'gw-a'];
    expect(slipOf('xai.grok-4-3', known)).toBe('xai.grok-4.3');
    expect(slipOf('XAI.GROK-4.3', known)).toBe('xai.grok-4.3');
    expect(slipOf('us-west2', known)).toBe('us-west-2');
    expect(slipOf('emulatr', known)).toBe('emulator');
    expect(slipOf('emulators', known)).toBe('emulator');
    expect(slipOf('anthropic.claude-opus-4-9', known)).toBeUndefined();
    expect(slipOf('anthropic.claude-opus-4-70', known)).toBeUndefined();
    expect(slipOf('gw-b', known)).toBeUndefined();
    expect(slipOf('acme.brand-new-model', known)).toBeUndefined();
    expect(slipOf('emulator', known)).toBeUndefined();
  });

  it('claims on checks no loaded suite runs are named, with their models', async () => {
    const suites = join(dir, 'suites-no-tools');
    await cp(join(ROOT, 'suites'), suites, { recursive: true });
    await unlink(join(suites, 'tools.suite.yaml'));
    const warnings = await warningsFor('expectations: mantle\nmodels:\n  xai.grok-4.3:\n    defaults.temperature: 0.7\n', suites);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\d+ claim\(s\) on \d+ check\(s\) no suite in .*suites-no-tools runs: tools\.chat\.forced-call \([^)]*google\.gemma[^)]*\).*\(a suite file missing from --suites\?\)$/);
  });

  it('names at most ten checks on its one line, and counts the rest', async () => {
    const suites = join(dir, 'suites-routes-only-validate');
    await mkdir(suites, { recursive: true });
    await cp(join(ROOT, 'suites', 'routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
    await cp(join(ROOT, 'suites', 'models.yaml'), join(suites, 'models.yaml'));
    const [warning] = (await warningsFor('expectations: mantle\nmodels: {}\n', suites)).filter((w) => w.includes('no suite in'));
    const listed = /runs: (.*) and (\d+) more check\(s\); they are never judged/.exec(warning ?? '');
    expect(listed, warning).not.toBeNull();
    expect(listed![1]!.split(/\), /)).toHaveLength(10);
    expect(warning!.length).toBeLessThan(1500);
  });
});

describe('setup warnings reach the console, and leave the exit code alone', () => {
  const typo = 'expectations: mantle\nmodels:\n  xai.grok-4-3:\n    defaults.temperature: 0.7\n';

  it('validate prints them on stderr and exits 0', async () => {
    const file = await write('typo-validate.yaml', typo);
    const run = await cli(['validate', '--expectations', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: .*typo-validate\.yaml:3:3 model "xai\.grok-4-3" is not in the catalog \(did you mean "xai\.grok-4\.3"\?\)/m);
    expect(run.stdout).toMatch(/^ok: /);
  });

  it('a run knows the recordings\' targets (by their names, not their folders\'), and says unrun claims in one short line', async () => {
    const fixtures = join(dir, 'fx-gateways');
    await mkdir(join(fixtures, 'custom.gateway_5Fb'), { recursive: true });
    // The target run must have a folder (a replay of an unrecorded target is exit 2 before anything loads).
    await mkdir(join(fixtures, 'custom.gateway_5Fc'), { recursive: true });
    const file = await write('gateways.yaml', 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    path-prefix:\n      targets:\n        custom.gateway_b: /v1\n');
    const suites = join(dir, 'suites-routes-only');
    await mkdir(suites, { recursive: true });
    await cp(join(ROOT, 'suites', 'routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
    await cp(join(ROOT, 'suites', 'models.yaml'), join(suites, 'models.yaml'));
    const run = await cli(['run', '--fixtures', fixtures, '--targets', 'custom:gateway_c', '--suites', suites, '--expectations', file, '--report-dir', join(dir, 'gateways'), '--quiet']);
    expect(run.stderr).not.toMatch(/gateway_b/);
    const unrun = run.stderr.split('\n').filter((line) => line.includes('no suite in'));
    expect(unrun).toHaveLength(1);
    expect(unrun[0]).toMatch(/^warning: \d+ claim\(s\) on \d+ check\(s\) no suite in .*suites-routes-only runs: they are never judged \(a suite file missing from --suites\? mantle-conformance validate lists them\)$/);
  });

  it('a run prints them before it starts, and its gate is the run\'s', async () => {
    const file = await write('typo-run.yaml', typo);
    const run = await cli(['run', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--expectations', file, '--report-dir', join(dir, 'typo-run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: .*typo-run\.yaml:3:3 model "xai\.grok-4-3" is not in the catalog/m);
  });
});

describe('a suite whose request holds a number JSON cannot send', () => {
  it.each(['.inf', '-.inf', '.nan', '1e400'])('%s is exit 2 at its line (it would have gone as null)', async (value) => {
    const suites = join(dir, `suites-${value.replace(/\W/g, '_')}`);
    await mkdir(suites, { recursive: true });
    await cp(join(ROOT, 'suites', 'models.yaml'), join(suites, 'models.yaml'));
    await writeFile(join(suites, 'one.suite.yaml'), `suite: one\ncases:\n  - id: one.chat\n    title: t\n    api: chat-completions\n    request:\n      body:\n        messages: [{ role: user, content: hi }]\n        temperature: ${value}\n    checks: [api.chat-completions]\n`);
    const run = await cli(['validate', '--suites', suites]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/one\.suite\.yaml:9:22 -?(Infinity|NaN) is not a finite number: JSON cannot send it/);
  });
});

describe('values the file states', () => {
  for (const [name, value] of [
    ['.inf', '.inf'],
    ['.nan', '.nan'],
    ['1e400', '1e400'],
  ] as const) {
    it(`${name} in the expectations file is exit 2 with the line`, async () => {
      const file = await write(`inf-${name}.yaml`, `expectations: mantle\nmodels:\n  xai.grok-4.3:\n    defaults.top-p: ${value}\n`);
      const result = await cli(['validate', '--expectations', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/inf-.*\.yaml:4:5 defaults\.top-p: (Infinity|NaN) is not a finite number/);
    });
  }

  it('"flaky" in a list says it cannot be an item of one, not that it is not one of the words', async () => {
    const file = await write('flaky-list.yaml', 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    stream.chat-completions: [conformant, flaky]\n');
    const result = await cli(['validate', '--expectations', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/flaky-list\.yaml:4:5 stream\.chat-completions: "flaky" cannot be an item of a list of accepted values/);
    expect(result.stderr).not.toMatch(/"flaky" is not one of/);
  });
});

const CATALOG = `catalog: mantle
sources:
  card: "AWS model card (https://example.test/card)"
  spare: "never cited (https://example.test/spare)"
regions:
  us-east-1: card
families:
  - id: fam
    title: A family
models:
  - id: acme.one
    family: fam
    source: card
    regions: [us-east-1]
    expect:
      defaults.temperature: { value: 1, source: card }
`;

describe('catalog --check exit codes', () => {
  it('a catalog that loads, with review findings, is exit 1', async () => {
    const result = await cli(['catalog', '--check', '--catalog', await write('lint.yaml', CATALOG)]);
    expect(result.stdout).toMatch(/source "spare" is cited by nothing/);
    expect(result.code).toBe(1);
  });

  it.each([
    ['a .nan claim', CATALOG.replace('value: 1,', 'value: .nan,'), /:16:\d+ defaults\.temperature: NaN is not a finite number/],
    ['an unknown family', CATALOG.replace('family: fam', 'family: fma'), /unknown family "fma" \(did you mean "fam"\?\)/],
    ['a duplicate model id', `${CATALOG}  - id: acme.one\n    family: fam\n    source: card\n`, /duplicate model id "acme\.one"/],
  ])('%s is exit 2 (HARNESS_CATALOG_INVALID) as validate says, with the finding listed', async (_name, text, finding) => {
    const file = await write(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
    const result = await cli(['catalog', '--check', '--catalog', file]);
    expect(result.stdout).toMatch(finding);
    expect(result.stderr).toContain('HARNESS_CATALOG_INVALID');
    expect(result.code).toBe(2);
    expect((await cli(['validate', '--catalog', file])).code).toBe(2);
  });
});

describe('bless', () => {
  const NOTE = 'blessed from run r2';
  it('drops the link of a value it changes, also through an alias, and keeps it where the value stays', () => {
    const text = [
      'expectations: mantle',
      'models:',
      '  xai.grok-4.3:',
      '    defaults.temperature: &t',
      '      observed: 0.7',
      '      reason: the model card says 0.7',
      '      link: https://example.test/card#temperature',
      '  qwen.qwen3-32b:',
      '    defaults.temperature: *t',
      '  google.gemma-4-31b:',
      '    defaults.temperature:',
      '      observed: 1',
      '      link: https://example.test/gemma',
      '',
    ].join('\n');
    const after = blessedText(text, 'e.yaml', [{ model: 'qwen.qwen3-32b', check: 'defaults.temperature', from: 0.7, to: 0.9 }], NOTE);
    expect(after).toContain('  qwen.qwen3-32b:\n    defaults.temperature:\n      observed: 0.9\n      reason: "blessed from run r2: observed 0.9"\n  google');
    expect(after).toContain('      link: https://example.test/card#temperature\n');
    const grok = blessedText(text, 'e.yaml', [{ model: 'xai.grok-4.3', check: 'defaults.temperature', from: 0.7, to: 0.9 }], NOTE);
    // qwen keeps what the alias shared (0.7 and its link); grok's own entry loses the link with the old value.
    expect(grok).toMatch(/ {2}xai\.grok-4\.3:\n {4}defaults\.temperature:( &t)?\n {6}observed: 0\.9\n {6}reason: "blessed from run r2: observed 0\.9"\n {2}qwen/);
    expect(grok.match(/example\.test\/card/g)).toHaveLength(1);
    const target = blessedText(
      'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    defaults.temperature:\n      targets:\n        us-west-2: { observed: 0.7, link: https://example.test/x }\n',
      'e.yaml',
      [{ model: 'xai.grok-4.3', check: 'defaults.temperature', from: 0.7, to: 0.9, target: 'us-west-2' }],
      NOTE,
    );
    expect(target).not.toContain('example.test/x');
    const same = blessedText(text, 'e.yaml', [{ model: 'google.gemma-4-31b', check: 'defaults.temperature', from: 1, to: 1, dropTargets: [] }], NOTE);
    expect(same).toContain('https://example.test/gemma');
  });

  const bless = async (matrix: Matrix) => {
    const input = await write(`m-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(matrix));
    let text = '';
    const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
    const code = await main(['bless', input, '--all', '--expectations', join(dir, `x-${Math.random().toString(36).slice(2)}.yaml`)], { out: stream, err: stream });
    return { code, text };
  };
  const failing = (shard?: string) => smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent', expected: 'integer', expectedSource: 'openai-reference: x' }], undefined, undefined, shard ? { shard } : {});

  it('of a run that did not finish says so, naming why; what it observed is still blessed', async () => {
    const matrix = failing();
    const partial = { ...matrix, run: { ...matrix.run, partial: true, partialReason: 'the spend cap was reached' } };
    const { code, text } = await bless(partial);
    expect(code).toBe(0);
    expect(text).toMatch(/^blessed \d+ value\(s\)/m);
    expect(text).toMatch(/^not blessed: the cells run r1 did not reach; it did not finish \(the spend cap was reached\)/m);
    expect((await bless(matrix)).text).not.toMatch(/did not finish/);
  });

  it('of a shard says only its models were observed', async () => {
    const { code, text } = await bless(failing('1/2'));
    expect(code).toBe(0);
    expect(text).toMatch(/^not blessed: the other shards' models; .* is shard 1\/2 of run r1 \(bless the merged matrix\.json/m);
  });
});

describe('matrix.json free text', () => {
  type Json = Record<string, unknown>;
  const valid = () => JSON.parse(JSON.stringify(smallMatrix())) as Json & { targets: Json[]; models: Json[]; checks: Json[]; results: Json[] };
  it.each([
    ['a region that is not a region', (m: ReturnType<typeof valid>) => void (m.targets[0]!.region = 'us-east-1\u001b[31m'), /targets\[0\]\.region: a region cannot hold control characters/],
    ['a family of a megabyte', (m: ReturnType<typeof valid>) => void (m.models[0]!.family = 'f'.repeat(1_000_000)), /models\[0\]\.family: .* is not a family id/],
    ['a recording time that is not a time', (m: ReturnType<typeof valid>) => void ((m.targets[0]!.provenance as Json).recordedTo = 'yesterday, roughly'), /targets\[0\]\.provenance\.recordedTo: "yesterday, roughly" is not a time/],
  ])('%s is HARNESS_REPORT_INVALID naming the member', (_name, mutate, message) => {
    const m = valid();
    mutate(m);
    expect(() => parseMatrix(m, 'x.json')).toThrow(expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(message) }));
  });
});
