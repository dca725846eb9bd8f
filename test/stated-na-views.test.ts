/**
 * An n/a cell whose value the expectations file states gates as not observed: the coverage line counts it as not
 * observed beside the gate line that says so, and the vitest view fails it with the reason matrix.md and junit.xml
 * give ("not observed: the expectations file states ..."), not the check's own "unsupported: ..." reason.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { coverageLine, coverageOf } from '../src/report/coverage.ts';
import type { CellResult } from '../src/run/cell-result.ts';
import { failureMessage } from '../src/run/model-spec.ts';
import { resultAnswer } from '../src/run/vitest-view.ts';
import { cliProcess } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const STATED = 'expectations: our gateway serves chat';
const NOT_SERVED = { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'unsupported' as const, observed: null, expected: 'integer', reason: 'the model does not serve this API (404 route-unsupported)' };

function cell(result: Partial<CheckResult>, expectedSource: string | null): CellResult {
  return {
    target: 'emulator',
    model: NOT_SERVED.model,
    check: NOT_SERVED.check,
    result: { status: NOT_SERVED.status, observed: null, expected: NOT_SERVED.expected, reason: NOT_SERVED.reason, evidence: [], ...result },
    expectedSource,
    usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 },
    provenance: [],
  };
}

describe('the coverage line', () => {
  it('counts an n/a cell whose value the expectations file states as not observed', () => {
    const matrix = smallMatrix([{ ...NOT_SERVED, expectedSource: STATED }]);
    expect(matrix.gate.verdict).toBe('fail');
    expect(coverageOf(matrix).statedNotServed).toBe(1);
    expect(coverageLine(matrix)).toBe('5 of 6 cells observed (83.3%); not observed: 1 n/a with a stated value');
  });

  it('still counts an n/a cell with only the reference\'s value as observed', () => {
    const matrix = smallMatrix([{ ...NOT_SERVED, expectedSource: 'openai-reference: x' }]);
    expect(matrix.gate.verdict).toBe('pass');
    expect(coverageLine(matrix)).toBe('6 of 6 cells observed (100%)');
  });
});

describe('the vitest view', () => {
  it('tells a gating n/a cell the reason matrix.md and junit.xml give it, and fails the test with it', () => {
    const matrix = smallMatrix([{ ...NOT_SERVED, expectedSource: STATED }]);
    const inMatrix = matrix.results.find((r) => r.model === NOT_SERVED.model && r.check === NOT_SERVED.check)!.reason;
    const answer = resultAnswer(cell({}, STATED));
    expect(answer.kind === 'result' && answer.gating).toBe(true);
    const reason = answer.kind === 'result' ? answer.cell.result.reason : '';
    expect(reason).toBe(inMatrix);
    expect(failureMessage('unsupported', reason)).toBe(`not observed: the expectations file states "integer", and the model does not serve this check's API here (${NOT_SERVED.reason})`);
  });

  it('tells a gating skipped cell (the endpoint\'s answers left nothing to read) the same "not observed" reason', () => {
    const answer = resultAnswer(cell({ status: 'skipped', skippedByAnswer: true, reason: 'every probed route served the model; no wrong-route answer to read' }, STATED));
    expect(answer.kind === 'result' && answer.gating).toBe(true);
    expect(answer.kind === 'result' && answer.cell.result.reason).toBe(`not observed: the expectations file states "integer", and the endpoint's answers left nothing to read (every probed route served the model; no wrong-route answer to read)`);
  });

  it('leaves other cells\' reasons as the check gave them', () => {
    const answer = resultAnswer(cell({}, 'openai-reference: x'));
    expect(answer).toMatchObject({ kind: 'result', gating: false, cell: { result: { reason: NOT_SERVED.reason } } });
    expect(failureMessage('fail', 'expected integer, got exponent')).toBe('fail: expected integer, got exponent');
  });
});

describe('a replay run on vitest with an expectations entry on an API the model does not serve', () => {
  it('fails the test with the "not observed" reason, as matrix.json gives it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mantle-vitest-'));
    try {
      const file = join(dir, 'uns.yaml');
      await writeFile(file, 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    stream.messages: { observed: conformant, reason: we think it streams messages }\n');
      const report = join(dir, 'vitest-report.json');
      const result = await cliProcess(['run', '--models', 'openai.gpt-oss-20b', '--checks', 'stream.messages', '--targets', 'mantle:emulator', '--expectations', file, '--quiet', '--report-dir', join(dir, 'r'), '--', '--reporter=json', `--outputFile=${report}`]);
      expect(result.code, result.stderr).toBe(1);
      const tests = (JSON.parse(await readFile(report, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[] }).testResults.flatMap((f) => f.assertionResults);
      const test = tests.find((t) => t.fullName.endsWith('stream.messages'))!;
      expect(test.status).toBe('failed');
      const matrix = JSON.parse(await readFile(join(dir, 'r', 'matrix.json'), 'utf8')) as { results: { check: string; reason: string }[] };
      const reason = matrix.results.find((r) => r.check === 'stream.messages')!.reason;
      expect(reason).toMatch(/^not observed: the expectations file states "conformant"/);
      expect(test.failureMessages.join('\n')).toContain(reason.slice(0, 200));
      expect(test.failureMessages.join('\n')).not.toContain('unsupported: ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
