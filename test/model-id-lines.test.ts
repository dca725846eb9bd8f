/**
 * A model id the model-id rule allows is printed as it is in the CI progress lines, the gating lines, the too-many-errors line and the lines
 * of a comparison, so an ARN's
 * `::` copied from the log and given back to --models is the same id (no zero-width space between the colons); an
 * id the rule refuses (an endpoint's list may hold anything) stays an inert line. And a refused name says which
 * character is wrong, naming an invisible one by its code point: a quoted U+200B looks like nothing.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gateLines } from '../src/cli/gate-lines.ts';
import { nameProblem } from '../src/names.ts';
import type { CellResult } from '../src/run/cell-result.ts';
import { ProgressReporter } from '../src/run/progress-reporter.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import { gateOf } from '../src/report/gate.ts';
import { newFailuresLine } from '../src/report/new-failures.ts';
import { cli, scratchReportDir } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const ARN = 'arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-20b';
/** An id as a hostile endpoint might list it: a GitHub command once it starts a line, and an Azure one anywhere. */
const HOSTILE = '::error::x ##vso[task.setvariable variable=PATH]y';

function progressLine(model: string): string {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  out.isTTY = false;
  const result = { target: 'us-east-1', model, check: 'x', result: { status: 'fail' }, usage: { requests: 1, inputTokens: 1, outputTokens: 1, wallMs: 0 }, provenance: [] } as unknown as CellResult;
  const reporter = new ProgressReporter({ total: 1, stream: out });
  reporter.start();
  reporter.result(result);
  reporter.cellEnd({ target: 'us-east-1', model }, [result], 1);
  reporter.end();
  return text.split('\n')[0]!;
}

const gatingLine = (model: string) => gateLines([], [{ target: 'us-east-1', model, check: 'created-at.chat', status: 'fail', reason: 'exponent' }] as never)[0]!;

describe('a model id in the progress and gating lines', () => {
  it('an ARN is printed whole: its `::` holds no zero-width space', () => {
    expect(progressLine(ARN)).toBe(`  ${ARN} (us-east-1): 1 checks, 1 fail, 0 error`);
    expect(gatingLine(ARN)).toBe(`  gating: ${ARN} created-at.chat (us-east-1): exponent`);
  });

  it('an id the rule refuses stays inert: no `::` nor `##vso[` forms', () => {
    for (const line of [progressLine(HOSTILE), gatingLine(HOSTILE)]) {
      expect(line).not.toContain('::');
      expect(line).not.toContain('##vso[');
      expect(line).toContain(':\u200b:error:\u200b:x');
    }
  });
});

describe('a refused name says which character is wrong', () => {
  it('names an invisible character by position and code point', () => {
    const pasted = ARN.replace('::', ':\u200b:');
    expect(nameProblem(pasted, 'model id')).toContain('character 27 is U+200B, an invisible one');
    expect(nameProblem('openai.gpt-oss-20b\ufeff', 'model id')).toContain('character 19 is U+FEFF, an invisible one');
    expect(nameProblem('Bad Id', 'model id')).toContain('character 4 is a space');
    expect(nameProblem('a!b', 'target name')).toContain('character 2 is "!" (U+0021)');
    expect(nameProblem('-x', 'model id')).toContain('character 1 is "-" (U+002D)');
    expect(nameProblem(ARN, 'model id')).toBeUndefined();
  });

  it('run --models with an id copied with a zero-width space is refused naming it (exit 2)', async () => {
    const result = await cli(['run', '--models', ARN.replace('::', ':\u200b:'), '--quiet', '--report-dir', await scratchReportDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^HARNESS_USAGE: --models: .* is not a model id \(.*\): character 27 is U\+200B, an invisible one/);
  });
});

describe('a model id in the gate, comparison and new-failure lines', () => {
  const checks = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
  const failing = (model: string) => ({ model, check: 'created-at.chat', status: 'fail' as const, observed: 'exponent', reason: 'exponent' });

  it('the too-many-errors line names an ARN whole, and a refused id inertly', () => {
    const cells = [ARN, HOSTILE].flatMap((model) => checks.slice(1).map((check) => ({ model, check, status: 'error' as const, observed: null, reason: 'HARNESS_TIMEOUT: no answer' })));
    const built = smallMatrix(cells, [ARN, HOSTILE], checks);
    const gate = gateOf({ ...built, gate: { ...built.gate, errors: { unexpected: 0, max: 1 } } });
    const line = gate.problems.find((p) => p.kind === 'too-many-errors')!.message;
    expect(line).toContain(`${ARN} (emulator) 1`);
    expect(line).not.toContain('##vso[');
    expect(line).toContain(':\u200b:error:\u200b:x');
  });

  it('compare and run --baseline name a newly failing ARN whole', () => {
    const before = smallMatrix([], [ARN], checks);
    const after = smallMatrix([failing(ARN)], [ARN], checks, { runId: 'r2' });
    const comparison = compareMatrices(before, after);
    expect(describeComparison(comparison, after)).toContain(`  ${ARN} created-at.chat (emulator): `);
    expect(newFailuresLine(finishMatrix({ ...after, comparison }))).toContain(`${ARN} created-at.chat (emulator): `);
  });

  it('a hostile id in the comparison stays inert', () => {
    const before = smallMatrix([], [HOSTILE], checks);
    const after = smallMatrix([failing(HOSTILE)], [HOSTILE], checks, { runId: 'r2' });
    const comparison = compareMatrices(before, after);
    for (const text of [describeComparison(comparison, after), newFailuresLine(finishMatrix({ ...after, comparison }))!]) {
      expect(text).not.toContain('##vso[');
      expect(text).not.toContain('::');
    }
  });
});
