/**
 * @module report/junit-report
 * `junit.xml`: one testcase per (target, model, check), grouped in one testsuite per target and model. A result
 * that gates the run is a <failure> (fail; flaky with type="flaky") or an <error>; an error, fail or flaky cell that
 * does not gate (no stated expectation), inconclusive, unsupported and skipped cells are <skipped> with the reason:
 * only a pass shows as a pass, as in the vitest view (run/model-spec.ts). What fails the run as a whole (interrupted, partial, a model with nothing
 * observed, too many errors, a recording kept, new failures since the baseline) is a testsuite "gate" of its own, so
 * the CI test tab agrees with the exit code (each testcase named apart: a model with nothing observed once per target); a new failure's own cell fails too (type="new-failure"), its reason worded
 * for it (with no stated expectation it would not gate alone).
 * The cells a run did not select (filtered out, -t, another shard's; in a merge, not selected on a target) are not
 * testcases: a CI job publishes each shard's file, and every shard holding the whole matrix counted it once per
 * shard, mostly phantom skips. They are one skipped testcase, "not run here", counted as the coverage line counts
 * them; a shard's says the file is not the whole run. A cell a stop did not reach, or a merge's missing shard held,
 * was asked for: it stays, skipped, its reason naming the stop or the shard.
 * Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE, U+FFFF) are dropped.
 */
import { xmlAttribute, xmlText } from './inert-text.ts';
import { notAskedHere, UNOBSERVED_LABEL } from './gate.ts';
import { NOT_THE_WHOLE_RUN, shardOf } from './gate-line.ts';
import { unobservedPairs } from './observed-models.ts';
import { NEW_MODEL_NOTE, newModels } from './model-lists.ts';
import { asNewFailure, NEW_FAILURES_KIND, newFailureKeys, newFailuresLine } from './new-failures.ts';
import { pairKey, resultKey, resultsByCell, type Matrix, type MatrixResult } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

function detail(r: MatrixResult): string {
  const lines = [`observed: ${JSON.stringify(r.observed)}`, `expected: ${JSON.stringify(r.expected)}${r.expectedSource ? ` (${r.expectedSource})` : ''}`, `reason: ${r.reason}`];
  for (const e of r.evidence) {
    lines.push(`evidence: ${e.trial ? `trial ${e.trial}: ` : ''}${e.request}${e.status !== undefined ? ` -> ${e.status}` : ''}${e.requestId ? ` [${e.requestId}]` : ''}${e.error ? ` ${e.error}` : ''}${e.answeredBy ? ` (answered by ${JSON.stringify(e.answeredBy)})` : ''}${e.excerpt ? ` ${e.excerpt}` : ''}`);
  }
  for (const [i, t] of (r.trials ?? []).entries()) lines.push(`trial ${i + 1}: ${t.status} ${JSON.stringify(t.observed)}: ${t.reason}`);
  return xmlText(lines.join('\n'));
}

type Kind = 'failure' | 'flaky' | 'error' | 'new-failure' | 'skipped' | 'pass';

/** What a testcase is told of the run: its models with nothing observed, and the cells that newly fail since the baseline. */
interface Seen {
  unobserved: ReadonlySet<string>;
  fresh: ReadonlySet<string>;
}

/**
 * How a cell reads in JUnit. A cell of a model the gate found nothing of observed (`unobserved`, unobservedPairs) is
 * never a passing test: what it read was not the model's.
 */
function kindOf(r: MatrixResult, { unobserved, fresh }: Seen): Kind {
  if (r.gating && r.status === 'fail') return 'failure';
  if (r.gating && r.status === 'flaky') return 'flaky';
  // An n/a cell, or one the endpoint's answers left nothing to read in (skipped), gates against an entry of the
  // expectations file (build-matrix isGating): observed nothing, as an error.
  if (r.gating && (r.status === 'error' || r.status === 'unsupported' || r.status === 'skipped')) return 'error';
  if (fresh.has(resultKey(r))) return 'new-failure';
  // Any other cell that does not pass (n/a, skipped, inconclusive, an error, or a fail or flaky cell that does not
  // gate) is no pass either: skipped with its status, as the vitest view skips it.
  return r.status === 'pass' && !unobserved.has(pairKey(r.target, r.model)) ? 'pass' : 'skipped';
}

const SKIP_WORDS: Partial<Record<MatrixResult['status'], string>> = {
  error: 'error, not gating (no stated expectation): nothing was observed',
  unsupported: 'n/a: the model does not serve the API',
  inconclusive: 'inconclusive',
  skipped: 'skipped',
  fail: 'fail (not gating)',
  flaky: 'flaky (not gating)',
};

/** Why a cell is skipped: its status, and first that it is not the model's when the gate found nothing of it observed. */
function skipWords(r: MatrixResult, unobserved: ReadonlySet<string>): string {
  const words = SKIP_WORDS[r.status] ?? r.status;
  return unobserved.has(pairKey(r.target, r.model)) ? `not of the model (${UNOBSERVED_LABEL}), ${words}` : words;
}

function testcase(r: MatrixResult, seen: Seen): string {
  const { unobserved } = seen;
  const open = `    <testcase classname="${xmlAttribute(`${r.target}.${r.model}`)}" name="${xmlAttribute(r.check)}" time="0">`;
  const message = xmlAttribute(r.reason);
  switch (kindOf(r, seen)) {
    case 'failure':
      return `${open}\n      <failure message="${message}" type="fail">${detail(r)}</failure>\n    </testcase>`;
    case 'flaky':
      return `${open}\n      <failure message="${message}" type="flaky">${detail(r)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}\n      <error message="${message}" type="error">${detail(r)}</error>\n    </testcase>`;
    case 'new-failure':
      return `${open}\n      <failure message="${xmlAttribute(`new failure since the baseline (${r.status}): ${asNewFailure(r.reason)}`)}" type="new-failure">${detail(r)}</failure>\n    </testcase>`;
    case 'skipped':
      return `${open}\n      <skipped message="${xmlAttribute(`${skipWords(r, unobserved)}: ${r.reason}`)}"/>\n    </testcase>`;
    default:
      return `${open}</testcase>`;
  }
}

/**
 * Whether a cell is one this run did not select (coverageOf's "not run here"), left out of the file. Never one that
 * gates or newly fails: what fails the run is never hidden (neither can be notRun as a run or a merge writes it). Nor
 * one a merge's missing shard held: asked for and never run, it stays a skipped testcase naming the shard, as the
 * whole run's file has it.
 */
function notSelected(r: MatrixResult, seen: Seen): boolean {
  return notAskedHere(r) && !r.gating && !seen.fresh.has(resultKey(r));
}

/** The testcase that stands for the cells not selected: how many, and for a shard that the file is not the whole run. */
function notRunHere(matrix: Matrix, cells: number): string {
  const shard = shardOf(matrix.run);
  const whole = shard === undefined ? '' : `; ${shard} ${NOT_THE_WHOLE_RUN}`;
  // A merge short of a shard holds that shard's cells as another shard's: they were asked for and never run. A run is
  // partial for other causes too (a model list not read whole): the gate testcase says which, so this does not guess.
  const missing = matrix.gate.problems.some((p) => p.kind === 'partial') ? '; the run is partial (the gate testcase says why): some of them may never have run' : '';
  const message = `${cells} cell(s) not run here (filtered out or another shard's), not listed in this file${whole}${missing}`;
  return [
    `  <testsuite name="not run here" tests="1" failures="0" errors="0" skipped="1" time="0">`,
    `    <testcase classname="run" name="not run here" time="0">\n      <skipped message="${xmlAttribute(message)}"/>\n    </testcase>`,
    '  </testsuite>',
  ].join('\n');
}

/**
 * The gate testcases' names, each unique (CI test tabs key on classname and name, and show two of one name as one
 * test): the kind, the model and the target it is of, and a number when the kind says no more (two partial reasons).
 */
function gateNames(problems: readonly { kind: string; model?: string | undefined; target?: string | undefined }[]): string[] {
  const names = problems.map((p) => `${p.kind}${p.model ? `: ${p.model}` : ''}${p.target ? ` (${p.target})` : ''}`);
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 && names.indexOf(name) === names.lastIndexOf(name) ? name : `${name} #${n}`;
  });
}

function count(rs: readonly MatrixResult[], seen: Seen) {
  const kinds = rs.map((r) => kindOf(r, seen));
  return {
    tests: rs.length,
    failures: kinds.filter((k) => k === 'failure' || k === 'flaky' || k === 'new-failure').length,
    errors: kinds.filter((k) => k === 'error').length,
    skipped: kinds.filter((k) => k === 'skipped').length,
  };
}

/**
 * What fails the run as a whole, one testcase each (the `gate` testsuite; the vitest view shows the same as failing
 * tests): the gate's problems and the new failures since the baseline, each named apart.
 */
export function gateTestcases(matrix: Matrix): { name: string; kind: string; message: string }[] {
  // New failures since the baseline fail the run as a whole (gate.ts), beside its problems.
  const regressed = newFailuresLine(matrix);
  const problems = [...matrix.gate.problems, ...(regressed ? [{ kind: NEW_FAILURES_KIND, message: regressed, model: undefined }] : [])];
  const names = gateNames(problems);
  return problems.map((p, i) => ({ name: names[i]!, kind: p.kind, message: p.message }));
}

export function renderJunit(matrix: Matrix): string {
  return [...junitPieces(matrix)].join('');
}

/** The file in pieces, a testsuite at a time (about 14k testcases in a full run: never one string for all). */
function* junitPieces(matrix: Matrix): Generator<string> {
  const seen = { unobserved: unobservedPairs(matrix.gate), fresh: newFailureKeys(matrix) };
  const selected = matrix.results.filter((r) => !notSelected(r, seen));
  const elsewhere = matrix.results.length - selected.length;
  const suites = resultsByCell(selected);
  const problems = gateTestcases(matrix);
  const fresh = new Set(newModels(matrix));
  const total = count(selected, seen);
  const apart = elsewhere ? 1 : 0;
  const seconds = (matrix.run.durationMs / 1000).toFixed(3);
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mantle-conformance" tests="${total.tests + problems.length + apart}" failures="${total.failures + problems.length}" errors="${total.errors}" skipped="${total.skipped + apart}" time="${seconds}" timestamp="${xmlAttribute(matrix.run.startedAt)}">`,
  ];
  if (problems.length) {
    head.push(`  <testsuite name="gate" tests="${problems.length}" failures="${problems.length}" errors="0" skipped="0" time="0">`);
    for (const p of problems) head.push(`    <testcase classname="gate" name="${xmlAttribute(p.name)}" time="0">\n      <failure message="${xmlAttribute(p.message)}" type="${p.kind}">${xmlText(p.message)}</failure>\n    </testcase>`);
    head.push('  </testsuite>');
  }
  if (elsewhere) head.push(notRunHere(matrix, elsewhere));
  yield head.join('\n');
  for (const results of suites.values()) {
    const c = count(results, seen);
    const name = `${results[0]!.target} / ${results[0]!.model}`;
    const lines = [`  <testsuite name="${xmlAttribute(name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0">`];
    if (fresh.has(results[0]!.model)) lines.push(`    <properties><property name="note" value="${xmlAttribute(NEW_MODEL_NOTE)}"/></properties>`);
    for (const r of results) lines.push(testcase(r, seen));
    lines.push('  </testsuite>');
    // Each line after the first has a line break before it, as the lines of the whole file joined.
    yield `\n${lines.join('\n')}`;
  }
  yield '\n</testsuites>\n';
}

export const junitReport: ReportWriter = {
  name: 'junit',
  render: (matrix) => [{ path: 'junit.xml', content: junitPieces(matrix) }],
};
