/**
 * compare reads what each run selected: a model or check a run did not ask for (`--models` ids, `--checks`) is
 * neither new nor vanished but "not compared"; one it asked for and lost still vanished, and so does one a model
 * list (`--models listed`) stopped listing. A merge of a run that selected everything selects everything.
 */
import { describe, expect, it } from 'vitest';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];

/** `matrix` as selected with `--models` and `--checks`. */
function selected(matrix: Matrix, models: string[], checks: string[] = []): Matrix {
  return { ...matrix, run: { ...matrix.run, selection: { ...matrix.run.selection, models, checks } } };
}

describe('compare and what each run selected', () => {
  const full = smallMatrix([], [GROK, QWEN], CHECKS);

  it('a model or check this run did not select is not compared; one it selected and lost vanished', () => {
    const grokOnly = selected(smallMatrix([], [GROK], CHECKS), [GROK]);
    expect(compareMatrices(full, grokOnly)).toMatchObject({ vanishedModels: [], newModels: [], notSelected: { models: [QWEN], checks: [] } });
    // The same matrix without a selection: Qwen was asked for and is gone.
    const lostQwen = smallMatrix([], [GROK], CHECKS);
    expect(compareMatrices(full, lostQwen)).toMatchObject({ vanishedModels: [QWEN] });
    expect(compareMatrices(full, lostQwen).notSelected).toBeUndefined();
    // --checks 'defaults.*': the other checks are not compared; a defaults check that is gone vanished.
    const defaultsOnly = selected(smallMatrix([], [GROK, QWEN], ['defaults.temperature']), [], ['defaults.*']);
    expect(compareMatrices(full, defaultsOnly)).toMatchObject({ vanishedChecks: [], notSelected: { models: [], checks: ['path-prefix', 'created-at.chat'] } });
    const withTopP = smallMatrix([], [GROK, QWEN], [...CHECKS, 'defaults.top-p']);
    expect(compareMatrices(withTopP, defaultsOnly)).toMatchObject({ vanishedChecks: ['defaults.top-p'] });
  });

  it('a model the baseline did not select is not new; one a model list stopped listing vanished', () => {
    const grokBaseline = selected(smallMatrix([], [GROK], CHECKS), [GROK]);
    expect(compareMatrices(grokBaseline, full)).toMatchObject({ newModels: [], notSelected: { models: [QWEN] } });
    expect(compareMatrices(smallMatrix([], [GROK], CHECKS), full)).toMatchObject({ newModels: [QWEN] });
    // `--models listed,xai.grok-4.3`: the selection names Grok, but the list chose the others, so Qwen vanished.
    const grokListed = selected(smallMatrix([], [GROK], CHECKS), [GROK]);
    grokListed.targets = grokListed.targets.map((t) => ({ ...t, modelList: { source: 'GET /v1/models', listed: 1, new: [], notListed: [QWEN], refused: [] } }));
    expect(compareMatrices(full, grokListed)).toMatchObject({ vanishedModels: [QWEN] });
  });

  it('the step summary and a merge keep what was not compared; a merge with an unfiltered run is unfiltered', () => {
    const grokOnly = selected(smallMatrix([], [GROK], CHECKS, { runId: 'now' }), [GROK]);
    const compared = { ...grokOnly, comparison: compareMatrices(full, grokOnly) };
    expect(renderStepSummary(compared, { runUrl: undefined })).toContain('**Not compared, one run did not select them (models)**: `qwen.qwen3-32b`');
    const other = smallMatrix([], [GROK, QWEN], CHECKS, { target: 'us-west-2', runId: 'west' });
    const merged = mergeMatrices([compared, other]);
    // The other region was run without a baseline: nothing of it was compared, and it says so.
    expect(merged.comparison?.notSelected).toEqual({ models: [QWEN, 'us-west-2: every model'], checks: [], byShard: true });
    expect(merged.run.selection.models).toEqual([]);
    expect(mergeMatrices([grokOnly, selected(other, [QWEN])]).run.selection.models).toEqual([GROK, QWEN]);
  });

  it('a merge lists a model one input lost and another did not select as vanished only', () => {
    const grokOnly = selected(smallMatrix([], [GROK], CHECKS, { runId: 'now' }), [GROK]);
    const notAsked = { ...grokOnly, comparison: compareMatrices(full, grokOnly) };
    const west = smallMatrix([], [GROK], CHECKS, { target: 'us-west-2', runId: 'west' });
    const lost = { ...west, comparison: compareMatrices(smallMatrix([], [GROK, QWEN], CHECKS, { target: 'us-west-2' }), west) };
    expect(lost.comparison.vanishedModels).toEqual([QWEN]);
    const merged = mergeMatrices([notAsked, lost]).comparison;
    expect(merged?.vanishedModels).toEqual([QWEN]);
    expect(merged?.notSelected).toBeUndefined();
  });

  it('a merge lists a check one input found new and another did not select as new only', () => {
    const defaultsOnly = selected(smallMatrix([], [GROK], ['defaults.temperature'], { runId: 'now' }), [], ['defaults.*']);
    const notAsked = { ...defaultsOnly, comparison: compareMatrices(smallMatrix([], [GROK], CHECKS), defaultsOnly) };
    expect(notAsked.comparison.notSelected?.checks).toEqual(['path-prefix', 'created-at.chat']);
    const west = smallMatrix([], [GROK], CHECKS, { target: 'us-west-2', runId: 'west' });
    const gained = { ...west, comparison: compareMatrices(smallMatrix([], [GROK], ['defaults.temperature', 'path-prefix'], { target: 'us-west-2' }), west) };
    expect(gained.comparison.newChecks).toEqual(['created-at.chat']);
    const merged = mergeMatrices([notAsked, gained]).comparison;
    expect(merged?.newChecks).toEqual(['created-at.chat']);
    expect(merged?.notSelected).toEqual({ models: [], checks: ['path-prefix'] });
  });
});
