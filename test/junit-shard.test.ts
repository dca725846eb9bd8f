/**
 * A shard's junit.xml holds the cells the shard was asked to run, not every other shard's as <skipped>: a CI job
 * publishes each shard's file, and each counted the whole matrix (3 shards: the matrix 3 times, mostly phantom
 * skips). The cells not run here are one skipped testcase, counted as the coverage line counts them, and a shard's
 * says it is not the whole run. A cell a stop did not reach was asked for, and stays.
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ELSEWHERE_REASON, coverageOf } from '../src/report/gate.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import type { MatrixResult } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const elsewhere = (model: string): Partial<MatrixResult>[] => CHECKS.map((check) => ({ model, check, status: 'skipped', observed: null, reason: ELSEWHERE_REASON, evidence: [], notRun: true }));
// Grok's created-at.chat fails its stated expectation: it gates.
const failing: Partial<MatrixResult> = { model: GROK, check: 'created-at.chat', status: 'fail', observed: 'exponent', reason: 'exponent, expected integer' };

const testcases = (junit: string) => [...junit.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
const head = (junit: string) => /<testsuites [^>]*>/.exec(junit)![0];

describe('junit.xml of a shard', () => {
  const shard1 = smallMatrix([failing, ...elsewhere(QWEN)], undefined, undefined, { runId: 'R', shard: '1/2' });
  const shard2 = smallMatrix(elsewhere(GROK), undefined, undefined, { runId: 'R', shard: '2/2' });
  const whole = smallMatrix([failing]);

  it("holds its own cells, not the other shard's, and says in one skipped testcase that it is not the whole run", () => {
    const junit = renderJunit(shard1);
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(testcases(junit)).toEqual(['run not run here', ...CHECKS.map((c) => `emulator.${GROK} ${c}`)]);
    expect(junit).not.toContain(`<testsuite name="emulator / ${QWEN}"`);
    expect(junit).not.toContain('in another shard');
    // 3 cells of its own (1 failing) and the one testcase for the 3 not run here, as the coverage counts them.
    expect(coverageOf(shard1).notRun).toBe(3);
    expect(head(junit)).toMatch(/ tests="4" failures="1" errors="0" skipped="1" /);
    expect(junit).toContain('<skipped message="3 cell(s) not run here (filtered out or another shard\'s), not listed in this file; shard 1/2 of run R is not the whole run: gate on the merge of every shard"/>');
  });

  it('the shards together hold each cell of the whole run once', () => {
    const own = (junit: string) => testcases(junit).filter((t) => !t.startsWith('run '));
    expect([...own(renderJunit(shard1)), ...own(renderJunit(shard2))].sort()).toEqual(own(renderJunit(whole)).sort());
    expect(renderJunit(whole)).not.toContain('not run here');
    expect(head(renderJunit(whole))).toMatch(/ tests="6" failures="1" errors="0" skipped="0" /);
  });

  it('a shard that ran no cell holds only that testcase, and passes as its gate does', () => {
    const empty = smallMatrix([...elsewhere(GROK), ...elsewhere(QWEN)], undefined, undefined, { runId: 'R', shard: '2/2' });
    expect(empty.gate.verdict).toBe('pass');
    const junit = renderJunit(empty);
    expect(testcases(junit)).toEqual(['run not run here']);
    expect(head(junit)).toMatch(/ tests="1" failures="0" errors="0" skipped="1" /);
  });

  it('keeps the cells a stop did not reach, and the gate testsuite, as before', () => {
    const reached = { ...elsewhere(QWEN)[0]!, reason: 'not reached: interrupted (Ctrl-C)' };
    const cut = smallMatrix([failing, reached, ...elsewhere(QWEN).slice(1)], undefined, undefined, { runId: 'R', shard: '1/2' });
    const stopped = { ...cut, run: { ...cut.run, partial: true, partialReason: 'interrupted (Ctrl-C)', interrupted: true } };
    const junit = renderJunit({ ...stopped, gate: { ...stopped.gate, problems: [{ kind: 'interrupted', message: 'interrupted (Ctrl-C): cells not reached are skipped; the run proves nothing' }] } });
    expect(testcases(junit)).toEqual(['gate interrupted', 'run not run here', ...CHECKS.map((c) => `emulator.${GROK} ${c}`), `emulator.${QWEN} path-prefix`]);
    expect(junit).toContain('<skipped message="skipped: not reached: interrupted (Ctrl-C)"/>');
    expect(junit).toContain('<testsuite name="gate" tests="1" failures="1" errors="0" skipped="0" time="0">');
    // 4 cells, the gate's testcase and the one for the 2 not run here.
    expect(head(junit)).toMatch(/ tests="6" failures="2" errors="0" skipped="2" /);
    expect(junit).toContain('2 cell(s) not run here');
  });

  it('a filtered run (no shard) says only what it left out', () => {
    const filtered = smallMatrix(elsewhere(QWEN));
    const junit = renderJunit(filtered);
    expect(testcases(junit)).toEqual(['run not run here', ...CHECKS.map((c) => `emulator.${GROK} ${c}`)]);
    expect(junit).toContain('<skipped message="3 cell(s) not run here (filtered out or another shard\'s), not listed in this file"/>');
  });
});

describe('a merge short of a shard', () => {
  it('says its "not run here" cells include ones never run, as the gate testcase does', () => {
    const merged = smallMatrix(elsewhere(QWEN));
    merged.gate.problems.push({ kind: 'partial', message: 'partial: shard 2/2 of run R is missing', model: undefined } as (typeof merged.gate.problems)[number]);
    const junit = renderJunit(merged);
    expect(junit).toMatch(/cell\(s\) not run here \(filtered out or another shard(&#39;|')s\), not listed in this file; the run is partial \(the gate testcase says why\): some of them may never have run/);
    expect(renderJunit(smallMatrix(elsewhere(QWEN)))).not.toMatch(/the run is partial/);
  });
});
