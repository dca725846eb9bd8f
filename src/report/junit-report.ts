/**
 * @module report/junit-report
 * `junit.xml`: one testcase per (target, model, check), grouped in one testsuite per target and model. A result
 * that gates the run is a <failure> (fail) or an <error> (error); unsupported and skipped cells are <skipped>;
 * everything else passes, a non-gating deviation with a note in <system-out>. CI test tabs agree with the exit code.
 */
import type { Matrix, MatrixResult } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

export function xmlEscape(text: string): string {
  // XML 1.0 forbids most control characters outright; drop them rather than emit an unparsable file.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function detail(r: MatrixResult): string {
  const lines = [`observed: ${JSON.stringify(r.observed)}`, `expected: ${JSON.stringify(r.expected)}${r.expectedSource ? ` (${r.expectedSource})` : ''}`, `reason: ${r.reason}`];
  for (const e of r.evidence) lines.push(`evidence: ${e.request}${e.status !== undefined ? ` -> ${e.status}` : ''}${e.requestId ? ` [${e.requestId}]` : ''}${e.error ? ` ${e.error}` : ''}${e.excerpt ? ` ${e.excerpt}` : ''}`);
  return xmlEscape(lines.join('\n'));
}

function testcase(r: MatrixResult): string {
  const open = `    <testcase classname="${xmlEscape(`${r.target}.${r.model}`)}" name="${xmlEscape(r.check)}" time="0">`;
  if (r.gating && r.status === 'fail') return `${open}\n      <failure message="${xmlEscape(r.reason)}" type="fail">${detail(r)}</failure>\n    </testcase>`;
  if (r.gating && r.status === 'flaky') return `${open}\n      <failure message="${xmlEscape(r.reason)}" type="flaky">${detail(r)}</failure>\n    </testcase>`;
  if (r.gating && r.status === 'error') return `${open}\n      <error message="${xmlEscape(r.reason)}" type="error">${detail(r)}</error>\n    </testcase>`;
  if (r.status === 'unsupported' || r.status === 'skipped' || r.status === 'inconclusive') return `${open}\n      <skipped message="${xmlEscape(`${r.status}: ${r.reason}`)}"/>\n    </testcase>`;
  if (r.status !== 'pass') return `${open}\n      <system-out>${xmlEscape(`${r.status} (not gating): ${r.reason}`)}</system-out>\n    </testcase>`;
  return `${open}</testcase>`;
}

export function renderJunit(matrix: Matrix): string {
  const suites = new Map<string, MatrixResult[]>();
  for (const r of matrix.results) suites.set(`${r.target} / ${r.model}`, [...(suites.get(`${r.target} / ${r.model}`) ?? []), r]);
  const count = (rs: MatrixResult[]) => ({
    tests: rs.length,
    failures: rs.filter((r) => r.gating && (r.status === 'fail' || r.status === 'flaky')).length,
    errors: rs.filter((r) => r.gating && r.status === 'error').length,
    skipped: rs.filter((r) => r.status === 'unsupported' || r.status === 'skipped' || r.status === 'inconclusive').length,
  });
  const total = count(matrix.results);
  const seconds = (matrix.run.durationMs / 1000).toFixed(3);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mantle-conformance" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds}" timestamp="${matrix.run.startedAt}">`,
  ];
  for (const [name, results] of suites) {
    const c = count(results);
    out.push(`  <testsuite name="${xmlEscape(name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0">`);
    for (const r of results) out.push(testcase(r));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

export const junitReport: ReportWriter = {
  name: 'junit',
  render: (matrix) => [{ path: 'junit.xml', content: renderJunit(matrix) }],
};
