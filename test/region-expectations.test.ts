/**
 * Per-region expectations: an entry may state what one target (a region) observes. It gates in that target only,
 * the others keep the model's entry (or the catalog and the reference); `bless` writes a target's own entry when
 * the run's targets disagree, and one entry for all when they agree (the targets' own entries then go).
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { ROOT, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'qwen.qwen3-32b';
let dir: string;
let fixtures: string;

/** The bundled recordings of MODEL as two regions; in `exponent` regions its chat answers send `created` as 1.7e9. */
async function regions(exponent: string[]): Promise<void> {
  await rm(fixtures, { recursive: true, force: true });
  for (const region of ['us-east-1', 'us-west-2']) {
    const to = join(fixtures, region, MODEL);
    await mkdir(to, { recursive: true });
    await cp(join(ROOT, 'fixtures/emulator', MODEL), to, { recursive: true });
    if (!exponent.includes(region)) continue;
    for (const name of await readdir(to)) {
      const text = await readFile(join(to, name), 'utf8');
      await writeFile(join(to, name), text.replace(/"created": \d+/g, '"created": 1.7e9'));
    }
  }
}

const run = (name: string, expectations?: string) =>
  cli(['run', '--fixtures', fixtures, '--models', MODEL, '--checks', 'created-at.chat,path-prefix', ...(expectations ? ['--expectations', expectations] : ['--no-expectations']), '--report-dir', join(dir, name), '--quiet']);
const matrixOf = async (name: string) => JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix;
const cell = (m: Matrix, target: string) => m.results.find((r) => r.target === target && r.check === 'created-at.chat')!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'region-expectations-'));
  fixtures = join(dir, 'fixtures');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an entry for one target', () => {
  const file = () => join(dir, 'regional.yaml');
  beforeAll(async () => {
    await writeFile(
      file(),
      `expectations: mantle\nmodels:\n  ${MODEL}:\n    created-at.chat:\n      targets:\n        us-west-2:\n          observed: exponent\n          reason: us-west-2 sends created as a float\n`,
    );
  });

  it('loads as that target\'s expectation', async () => {
    const loaded = await loadExpectations(file(), ALL_CHECKS);
    expect(loaded.byModel.get(MODEL)?.has('created-at.chat')).toBe(false);
    expect(loaded.byTarget.get('us-west-2')?.get(MODEL)?.get('created-at.chat')?.value).toBe('exponent');
  });

  it('gates in that region only', async () => {
    // Both regions send integers: us-west-2 fails its own entry, us-east-1 passes against the reference.
    await regions([]);
    const result = await run('integer-both', file());
    expect(result.code).toBe(1);
    const m = await matrixOf('integer-both');
    expect(cell(m, 'us-west-2')).toMatchObject({ status: 'fail', expected: 'exponent', gating: true, expectedSource: 'expectations (us-west-2): us-west-2 sends created as a float' });
    expect(cell(m, 'us-east-1')).toMatchObject({ status: 'pass', expected: 'integer', gating: false });
    expect(cell(m, 'us-east-1').expectedSource).toMatch(/^openai-reference/);
    expect(m.gate.gating.map((g) => g.target)).toEqual(['us-west-2']);

    // us-west-2 sends the exponent it is expected to: nothing gates.
    await regions(['us-west-2']);
    expect((await run('exponent-west', file())).code).toBe(0);
    // The same exponent in us-east-1 fails there, against the reference: the entry does not reach it.
    await regions(['us-east-1']);
    expect((await run('exponent-east', file())).code).toBe(1);
    const east = await matrixOf('exponent-east');
    expect(cell(east, 'us-east-1')).toMatchObject({ status: 'fail', gating: true });
    expect(cell(east, 'us-west-2')).toMatchObject({ status: 'fail', observed: 'integer', gating: true });
  });

  it.each([
    ['neither observed nor targets', '      reason: nothing stated\n', 'states neither observed nor targets'],
    ['a value outside the vocabulary', '      targets:\n        us-west-2: sideways\n', '"sideways" is not one of'],
    ['a target that is not a name', '      targets:\n        "../etc": integer\n', '"../etc" is not a target name'],
  ])('%s is exit 2 with the line', async (_name, body, message) => {
    const bad = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(bad, `expectations: mantle\nmodels:\n  ${MODEL}:\n    created-at.chat:\n${body}`);
    const result = await cli(['validate', '--expectations', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_EXPECTATIONS_INVALID');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/\.yaml:\d+:\d+/);
  });
});

describe('bless across regions', () => {
  it('writes a target\'s own entry when the regions disagree, then one entry when they agree', async () => {
    const file = join(dir, 'blessed.yaml');
    await regions(['us-west-2']);
    expect((await run('disagree')).code).toBe(1);
    // No file yet: bless creates it. Only us-west-2 differs from what it was judged against.
    const blessed = await cli(['bless', join(dir, 'disagree', 'matrix.json'), '--expectations', file]);
    expect(blessed.code, blessed.stderr).toBe(0);
    expect(blessed.stdout).toContain(`${MODEL} created-at.chat (us-west-2 only): "integer" (openai-reference) -> "exponent"`);
    let loaded = await loadExpectations(file, ALL_CHECKS);
    expect(loaded.byTarget.get('us-west-2')?.get(MODEL)?.get('created-at.chat')?.value).toBe('exponent');
    expect(loaded.byModel.get(MODEL)?.has('created-at.chat')).toBe(false);
    expect(loaded.byTarget.get('us-east-1')).toBeUndefined();
    expect((await run('disagree-blessed', file)).code).toBe(0);

    // Both regions now send the exponent: one entry for every target, and us-west-2's own entry goes.
    await regions(['us-east-1', 'us-west-2']);
    expect((await run('agree', file)).code).toBe(1);
    const again = await cli(['bless', join(dir, 'agree', 'matrix.json'), '--expectations', file]);
    expect(again.stdout).toContain(`${MODEL} created-at.chat: "integer" (openai-reference) -> "exponent" (every target; the entries of us-west-2 go)`);
    loaded = await loadExpectations(file, ALL_CHECKS);
    expect(loaded.byModel.get(MODEL)?.get('created-at.chat')?.value).toBe('exponent');
    expect(loaded.byTarget.size).toBe(0);
    expect(await readFile(file, 'utf8')).not.toContain('targets');
    expect((await run('agree-blessed', file)).code).toBe(0);
  });
});

// A matrix of two regions built as runs build them (no replays): us-west-2 observed the exponent (a gating fail),
// us-east-1 observed what `east` says of the cell.
describe('bless when a target observed nothing', () => {
  const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
  const regionsMatrix = (east: Partial<MatrixResult>) =>
    mergeMatrices([
      smallMatrix([{ model: MODEL, check: 'created-at.chat', ...east }], [MODEL], CHECKS, { target: 'us-east-1', runId: 'east' }),
      smallMatrix([{ model: MODEL, check: 'created-at.chat', status: 'fail', observed: 'exponent' }], [MODEL], CHECKS, { target: 'us-west-2', runId: 'west' }),
    ]);
  const bless = async (name: string, matrix: Matrix) => {
    const file = join(dir, `${name}.json`);
    const expectations = join(dir, `${name}.yaml`);
    await writeFile(file, JSON.stringify(matrix));
    const result = await cli(['bless', file, '--expectations', expectations, '--all']);
    expect(result.code, result.stderr).toBe(0);
    return { stdout: result.stdout, loaded: await loadExpectations(expectations, ALL_CHECKS) };
  };

  const cases: [string, Partial<MatrixResult>][] = [
    ['errored', { status: 'error', observed: null, reason: 'HARNESS_RECORDING_MISSING: no recording' }],
    ['was inconclusive', { status: 'inconclusive', observed: null, reason: 'the budget hid it' }],
    ['was skipped', { status: 'skipped', observed: null, reason: 'HARNESS_BUDGET: cap reached' }],
    ['was not run', { status: 'skipped', observed: null, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [], notRun: true }],
  ];
  it.each(cases)('writes the other target\'s own entry, never one for every target, when one %s', async (name, east) => {
    const { stdout, loaded } = await bless(`nothing-${name.replace(/ /g, '-')}`, regionsMatrix(east));
    expect(stdout).toContain(`${MODEL} created-at.chat (us-west-2 only): "integer" (openai-reference) -> "exponent"`);
    expect(loaded.byModel.get(MODEL)?.has('created-at.chat') ?? false).toBe(false);
    expect(loaded.byTarget.get('us-west-2')?.get(MODEL)?.get('created-at.chat')?.value).toBe('exponent');
    expect(loaded.byTarget.get('us-east-1')).toBeUndefined();
  });

  it('writes one entry for every target when each observed the value', async () => {
    const { stdout, loaded } = await bless('both-observed', regionsMatrix({ status: 'fail', observed: 'exponent' }));
    expect(stdout).toContain(`${MODEL} created-at.chat: "integer" (openai-reference) -> "exponent"`);
    expect(loaded.byModel.get(MODEL)?.get('created-at.chat')?.value).toBe('exponent');
    expect(loaded.byTarget.size).toBe(0);
  });
});
