/**
 * An outage across many targets makes one "nothing observed" problem per target and model. The step summary and
 * the console list them bounded, as their cell tables and gating lists are (the rest counted per target), the
 * summary as a whole stays below GitHub's 1 MiB a step, and the verdict, the exit code and matrix.json (every
 * problem) do not change.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateLines } from '../src/cli/gate-lines.ts';
import type { GateProblem, Matrix } from '../src/report/matrix.ts';
import { boundProblems } from '../src/report/problem-list.ts';
import { MAX_SUMMARY_BYTES, renderStepSummary } from '../src/report/step-summary.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** 12 targets x 300 ids the endpoint does not serve: 3,600 problems of about 320 bytes, as the review measured. */
const outage = (): GateProblem[] =>
  Array.from({ length: 12 }, (_, t) => `region-${t}`).flatMap((target) =>
    Array.from({ length: 300 }, (_, m) => {
      const model = `acme.model-${m}`;
      return { kind: 'unobserved-model' as const, target, model, message: `${model} (${target}): nothing observed, no request for it was answered with a 2xx (every answer 400/404): is the id right? "${model}" is not in the catalog; ${'x'.repeat(150)}` };
    }),
  );
const failing = (problems: GateProblem[]): Matrix => {
  const m = smallMatrix();
  return { ...m, gate: { ...m.gate, verdict: 'fail', exitCode: 1, problems } };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'problem-list-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the step summary of an outage', () => {
  it('lists the first 50 problems, run-level first, and counts the rest per target, far below 1 MiB', () => {
    const problems = [...outage(), { kind: 'partial' as const, message: 'partial run: the model list of target region-3 was not read whole' }];
    const summary = renderStepSummary(failing(problems), { runUrl: undefined });
    expect(Buffer.byteLength(summary)).toBeLessThan(64 * 1024);
    expect(summary).toContain('### Mantle conformance: fail');
    const bullets = summary.split('\n').filter((l) => l.startsWith('- '));
    expect(bullets[0]).toContain('partial run: the model list of target region-3');
    expect(bullets.filter((l) => l.includes('nothing observed, no request'))).toHaveLength(49);
    expect(summary).toContain('- ... and 3551 more target/model pair(s) with nothing observed (per target: region-0 251, region-1 300, region-2 300,');
    expect(summary).toContain('region-9 300, 2 more targets): every one in matrix.md');
  });

  it('is cut at a line below its cap, saying so, however long its parts', () => {
    const summary = renderStepSummary(failing(outage()), { runUrl: undefined, maxBytes: 4096 });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(4096);
    expect(summary.startsWith('### Mantle conformance: fail')).toBe(true);
    expect(summary).toMatch(/\*\*The summary is cut here\*\* \(at 4 KiB; GitHub drops a job summary past 1 MiB\): the full report is matrix\.md/);
    expect(MAX_SUMMARY_BYTES).toBeLessThan(1024 * 1024);
    // A summary under the cap is as it was.
    const small = failing(outage().slice(0, 3));
    expect(renderStepSummary(small, { runUrl: undefined, maxBytes: 1 << 20 })).toBe(renderStepSummary(small, { runUrl: undefined }));
  });
});

describe('the console', () => {
  it('lists at most 20 problems and 20 gating cells, each with a line counting the rest; a short list as the gate has it', () => {
    const lines = gateLines(outage(), []);
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('  ... and 3580 more target/model pair(s) with nothing observed (per target: region-0 280, region-1 300, region-2 300, region-3 300, region-4 300, region-5 300, region-6 300, region-7 300, region-8 300, region-9 300, 2 more targets): every one in matrix.md');
    const few = outage().slice(0, 3);
    expect(boundProblems(few, 20, 'matrix.md')).toEqual({ shown: few });
  });

  it('run and merge: bounded lists, the same gate and exit code, and every problem kept in matrix.json', async () => {
    const models = Array.from({ length: 30 }, (_, i) => `acme.gone-${i}`).join(',');
    const summary = join(dir, 'summary.md');
    const run = await cli(['run', '--checks', 'api.chat-completions', '--models', models, '--report-dir', join(dir, 'run')], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code, run.stderr).toBe(1);
    const problemLines = run.stdout.split('\n').filter((l) => /^ {2}acme\.gone-\d+ \(/.test(l));
    expect(problemLines).toHaveLength(20);
    expect(run.stdout).toContain('  ... and 40 more target/model pair(s) with nothing observed (per target: emulator 10, runtime.emulator 30): every one in matrix.md');
    expect(run.stdout).toContain('gate: fail (exit 1): 30 model(s) with nothing observed (on 2 targets)');
    const matrix = JSON.parse(await readFile(join(dir, 'run', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.gate.problems).toHaveLength(60);
    const page = await readFile(summary, 'utf8');
    expect(page.split('\n').filter((l) => l.startsWith('- acme.gone-'))).toHaveLength(50);
    expect(page).toContain('- ... and 10 more target/model pair(s) with nothing observed (per target: runtime.emulator 10): every one in matrix.md');
    const merged = await cli(['merge', join(dir, 'run', 'matrix.json'), '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(1);
    expect(merged.stdout.split('\n').filter((l) => /^ {2}acme\.gone-\d+ \(/.test(l))).toHaveLength(20);
    expect(merged.stdout).toContain('  ... and 40 more target/model pair(s) with nothing observed');
  });
});
