/**
 * A flaky or failing cell that does not gate is no pass in either view of one run: junit.xml skips it with its status
 * and reason, as the vitest view does (run/model-spec.ts), so the two count passes alike.
 */
import { XMLValidator } from 'fast-xml-parser';
import { expect, it } from 'vitest';
import { renderJunit } from '../src/report/junit-report.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const head = (junit: string) => /<testsuites [^>]*>/.exec(junit)![0];

it('a flaky or failing cell with no stated expectation is <skipped> with its status, never a passing testcase', () => {
  const matrix = smallMatrix([
    { model: GROK, check: 'defaults.temperature', status: 'flaky', observed: null, reason: 'trials disagree: 0.7, 1' },
    { model: QWEN, check: 'defaults.temperature', status: 'fail', observed: 2, reason: 'observed 2' },
  ]);
  const cells = matrix.results.filter((r) => r.check === 'defaults.temperature');
  expect(cells.map((r) => [r.status, r.gating])).toEqual([['flaky', false], ['fail', false]]);
  const junit = renderJunit(matrix);
  expect(XMLValidator.validate(junit)).toBe(true);
  expect(junit).toMatch(new RegExp(`classname="emulator\\.${GROK.replace(/\./g, '\\.')}" name="defaults\\.temperature" time="0">\\n\\s*<skipped message="flaky \\(not gating\\): trials disagree: 0\\.7, 1"/>`));
  expect(junit).toMatch(/name="defaults\.temperature" time="0">\n\s*<skipped message="fail \(not gating\): observed 2"\/>/);
  expect(junit).not.toContain('<system-out>');
  // 6 cells, 4 passing: the 2 not gating are counted skipped, nothing fails.
  expect(head(junit)).toMatch(/ tests="6" failures="0" errors="0" skipped="2" /);
});

it('a gating flaky cell still fails, and a pass is still a pass', () => {
  const junit = renderJunit(smallMatrix([{ model: GROK, check: 'created-at.chat', status: 'flaky', observed: null, reason: 'trials disagree' }]));
  expect(junit).toContain('<failure message="trials disagree" type="flaky">');
  expect(head(junit)).toMatch(/ failures="1" errors="0" skipped="0" /);
});
