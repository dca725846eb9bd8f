/**
 * A run's gate in the history: the run file keeps the verdict and the run-level problems (a model with nothing
 * observed), so history names a model the endpoint said does not exist, does not count it as seen in that run (nor
 * its "not listed" as an observation of it), and does not read "0 failing the latest run's gate" of a failed run. A
 * latest run that lost the shard holding a target's cells says so, not "an unknown model or an outage".
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { historyRunOf } from '../src/history/history-file.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import { runSchemaErrors } from '../src/history/validate-run.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'acme.new-model';
const PROBLEM = { kind: 'unobserved-model', target: 'local', model: MODEL, message: `${MODEL} (local): nothing observed, 3 of 4 cells are errors (HARNESS_MODEL_NOT_FOUND): is the id right?` };

function run(id: string, day: number, cells: Record<string, HistoryCell>, extra: Partial<HistoryRun['run']> = {}, target = 'local'): HistoryRun {
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2026-12-0${day}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: true, ...extra },
    targets: [{ id: target, mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: MODEL, family: null, inCatalog: false }],
    checks: Object.keys(cells).map((c) => ({ id: c, group: 'G', api: null })),
    cells: Object.keys(cells).length ? { [`${target}/${MODEL}`]: cells } : {},
  };
}

function build(runs: HistoryRun[]) {
  const builder = new HistoryBuilder();
  runs.forEach((r, i) => builder.add(`f${i}`, r));
  return builder.build({ last: 10, now: new Date('2026-12-31T00:00:00Z') });
}

const answered = { 'models.listed': { status: 'pass', observed: 'not-listed' }, 'created-at.chat': { status: 'pass', observed: 'integer' }, 'defaults.temperature': { status: 'pass', observed: 1 } } as const;
const refused = { 'models.listed': { status: 'pass', observed: 'not-listed' }, 'created-at.chat': { status: 'error', observed: null }, 'defaults.temperature': { status: 'error', observed: null } } as const;

describe('the run gate in history', () => {
  it('the writer keeps the gate verdict and its run-level problems; a file without them still reads', () => {
    const matrix = smallMatrix();
    matrix.gate.verdict = 'fail';
    matrix.gate.exitCode = 1;
    matrix.gate.problems = [{ ...PROBLEM, kind: 'unobserved-model' }];
    const file = historyRunOf(matrix);
    expect(file.run.gate).toEqual({ verdict: 'fail', problems: [PROBLEM] });
    expect(runSchemaErrors(JSON.parse(JSON.stringify(file)))).toBeUndefined();
    const older = JSON.parse(JSON.stringify(file)) as HistoryRun;
    delete older.run.gate;
    expect(runSchemaErrors(older)).toBeUndefined();
  });

  it('a model the gate found nothing of is not seen in that run, and the digest names it and the failed gate', () => {
    const report = build([run('r1', 1, { ...answered }, { gate: { verdict: 'pass', problems: [] } }), run('r2', 2, { ...refused }, { gate: { verdict: 'fail', problems: [PROBLEM] } })]);
    expect(report.models).toEqual([expect.objectContaining({ model: MODEL, firstSeen: 0, lastSeen: 0 })]);
    const md = renderDigest(report);
    expect(md).toContain('### Latest run failed its gate (1)');
    expect(md).toContain('nothing observed, 3 of 4 cells are errors');
    expect(md).toContain('### Latest run observed nothing (1)');
    expect(md).toMatch(/gate found nothing observed of acme\\?\.new-model/);
    expect(md).toContain("the latest run's gate failed on 1 run-level problem");
    expect(renderHistoryHtml(report, { script: '', style: '' })).toContain('failed its gate (fail)');
  });

  it('without a recorded gate, a check that needs no model does not make the model seen', () => {
    const report = build([run('r1', 1, { 'models.listed': { status: 'pass', observed: 'not-listed' }, 'created-at.chat': { status: 'error', observed: null } })]);
    expect(report.models[0]).toMatchObject({ firstSeen: null, lastSeen: null });
  });

  it('a latest run that lost the shard with a target\'s cells names the shard, not an unknown model', () => {
    const whole = { 'created-at.chat': { status: 'pass', observed: 'integer' } } as const;
    const report = build([run('n1', 1, { ...whole }, { shard: '1/2' }), run('n1', 1, {}, { shard: '2/2' }), run('n2', 2, {}, { shard: '1/2' })]);
    const md = renderDigest(report);
    expect(md).toContain('### Latest run observed nothing (1)');
    expect(md).toContain('shard 2/2 is missing, and the shard read (1/2) observed nothing of local');
    expect(md).not.toContain('a model id the endpoint does not know');
  });
});
