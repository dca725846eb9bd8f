/**
 * The catalog's surface claims meet the expectations file: on a surface, a target's own reviewed entry wins, then
 * any reviewed entry (observed where the run's targets agreed), then what the surface is documented to lack, then
 * the model's claims. `bless` after a run of both surfaces that disagree writes the differing target's own entry,
 * so the other surface keeps its expectation and the next run passes.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { buildPlan, plannedOn } from '../src/plan/plan.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { ROOT, cli, projectSuites } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECK = 'responses.web-search';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'surface-expectations-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('what a cell on a surface is judged against', () => {
  const expectationOn = async (yaml: string | null, surface: 'mantle' | 'runtime', target: string) => {
    const { suites, catalog } = await projectSuites();
    let expectations;
    if (yaml !== null) {
      const file = join(dir, `e-${Math.random().toString(36).slice(2)}.yaml`);
      await writeFile(file, `expectations: mantle\nmodels:\n  ${MODEL}:\n    ${CHECK}:\n${yaml}`);
      expectations = await loadExpectations(file, ALL_CHECKS);
    }
    const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: [MODEL], checks: [CHECK], ...(expectations ? { expectations } : {}) });
    const check = plannedOn(plan.models[0]!, { id: target, surface }).checks[0]!;
    return [check.expectation?.value, check.expectation?.source.split(':')[0]];
  };

  it('nothing reviewed: the surface\'s documented lack on runtime, the reference on Mantle', async () => {
    expect(await expectationOn(null, 'runtime', 'runtime.east')).toEqual([['rejected', 'ignored'], 'catalog']);
    expect(await expectationOn(null, 'mantle', 'east')).toEqual(['supported', 'openai-reference']);
  });

  it('a target\'s own entry wins there over the surface\'s lack, and reaches no other target', async () => {
    const own = '      targets:\n        runtime.east:\n          observed: supported\n          reason: east serves it\n';
    expect(await expectationOn(own, 'runtime', 'runtime.east')).toEqual(['supported', 'expectations (runtime.east)']);
    expect(await expectationOn(own, 'runtime', 'runtime.west')).toEqual([['rejected', 'ignored'], 'catalog']);
  });

  it('an entry for every target wins over the surface\'s lack (bless wrote it where the targets agreed)', async () => {
    expect(await expectationOn('      observed: supported\n      reason: both surfaces serve it\n', 'runtime', 'runtime.east')).toEqual(['supported', 'expectations']);
  });
});

describe('bless after a run of both surfaces', () => {
  // A check both surfaces observe in the bundled recording (web_search is `inconclusive` on Mantle there: the
  // emulator's model never searches).
  const CHECK = 'responses.background';
  it('writes the differing surface\'s own entry when they disagree; the next run passes and the other surface keeps its expectation', async () => {
    // A catalog that does not document runtime's lack of background responses: runtime's answer fails the gate.
    const suites = join(dir, 'suites');
    await cp(join(ROOT, 'suites'), suites, { recursive: true });
    const catalog = await readFile(join(suites, 'models.yaml'), 'utf8');
    const lack = /^ {6}- \{ feature: background responses, check: responses\.background.*\n/m;
    expect(catalog).toMatch(lack);
    await writeFile(join(suites, 'models.yaml'), catalog.replace(lack, ''));
    const expectations = join(suites, 'expectations.yaml');
    await writeFile(expectations, 'expectations: mantle\nmodels: {}\n');
    const run = (name: string) => cli(['run', '--suites', suites, '--models', MODEL, '--checks', CHECK, '--report-dir', join(dir, name), '--quiet']);
    const cells = async (name: string) => (JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix).results.map((r) => [r.target, r.status, r.observed]);

    expect((await run('before')).code).toBe(1);
    expect(await cells('before')).toEqual([['emulator', 'pass', 'completed'], ['runtime.emulator', 'fail', 'returned-completed']]);
    const blessed = await cli(['bless', join(dir, 'before', 'matrix.json'), '--expectations', expectations]);
    expect(blessed.code, blessed.stderr).toBe(0);
    expect(blessed.stdout).toContain(`${MODEL} ${CHECK} (runtime.emulator only): "completed" (openai-reference) -> "returned-completed"`);
    const loaded = await loadExpectations(expectations, ALL_CHECKS);
    expect(loaded.byModel.get(MODEL)?.has(CHECK)).toBe(false);
    expect(loaded.byTarget.get('runtime.emulator')?.get(MODEL)?.get(CHECK)?.value).toBe('returned-completed');

    expect((await run('after')).code).toBe(0);
    expect(await cells('after')).toEqual([['emulator', 'pass', 'completed'], ['runtime.emulator', 'pass', 'returned-completed']]);
    expect((await cli(['bless', join(dir, 'after', 'matrix.json'), '--expectations', expectations])).stdout).toContain('nothing to bless');
  });
});
