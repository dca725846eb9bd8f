/**
 * What a shard's reports and junit.xml say of themselves (cross-format review, findings 4, 7 and 8): a shard's gate
 * line and headings say it is a shard whose gate is not the run's (its exit code unchanged), a target the shard
 * holds no pair of is not said to have no recordings, and junit.xml's gate testcases have names of their own.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../src/report/junit-report.ts';
import { describeProvenance } from '../src/report/markdown-report.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli, type CliResult } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const RUN = 'fxs-sh';
const SHARD = `shard 1/2 of run ${RUN}`;
const NOT_WHOLE = `${SHARD} is not the whole run: gate on the merge of every shard`;

let dir: string;
let run: CliResult;
let matrix: Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fxs-shard-'));
  // Two models on two targets, cut in two: shard 1/2 holds the emulator's pairs and none of runtime.emulator's.
  run = await cli(['run', '--models', 'openai.gpt-oss-20b,anthropic.claude-opus-4-7', '--shard', '1/2', '--run-id', RUN, '--report-dir', join(dir, 's1'), '--plain'], { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_ACTIONS: 'true' });
  matrix = JSON.parse(await readFile(join(dir, 's1', 'matrix.json'), 'utf8')) as Matrix;
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const file = (name: string) => readFile(join(dir, 's1', name), 'utf8');

describe("a shard's reports", () => {
  it('say in every gate line and heading that it is a shard, and exit as before', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(matrix.gate).toMatchObject({ verdict: 'pass', exitCode: 0 });
    const [md, html, summary] = [await file('matrix.md'), await file('matrix.html'), await readFile(join(dir, 'summary.md'), 'utf8')];
    expect(run.stdout).toContain(`\ngate: pass (exit 0); ${NOT_WHOLE}\n`);
    expect(md.split('\n').slice(0, 3)).toEqual([`# Mantle compatibility matrix (${SHARD}, not the whole run)`, '', `**Gate: pass (exit 0); ${NOT_WHOLE}**`]);
    expect(html).toContain(`<h1>Mantle compatibility matrix (${SHARD}, not the whole run)</h1>`);
    expect(html).toContain(`<p class="gate">Gate: <span class="gate-pass">pass (exit 0); ${NOT_WHOLE}</span></p>`);
    expect(summary.split('\n').slice(0, 3)).toEqual([`### Mantle conformance: pass (${SHARD}, not the whole run)`, '', `**Gate: pass (exit 0); ${NOT_WHOLE}**`]);
    // junit.xml said so already, in the same words.
    expect(await file('junit.xml')).toContain(NOT_WHOLE);
    // `report` of the shard's file says it too.
    const again = await cli(['report', join(dir, 's1', 'matrix.json'), '--report-dir', join(dir, 're')]);
    expect(again.stdout).toContain(`gate: pass (exit 0); ${NOT_WHOLE}\n`);
  });

  it('say the shard holds no pair of a target, not that its recordings are missing', async () => {
    expect(matrix.targets.find((t) => t.id === 'runtime.emulator')?.provenance.sources).toEqual([]);
    expect(matrix.results.filter((r) => r.target === 'runtime.emulator' && !r.notRun)).toEqual([]);
    const words = `replay: ${SHARD} holds no pair of this target, so no recording of it was read`;
    const [md, html] = [await file('matrix.md'), await file('matrix.html')];
    expect(md).toContain(`- **runtime.emulator**: ${words}`);
    expect(html).toContain(`<h2>runtime.emulator: ${words}</h2>`);
    for (const text of [md, html]) expect(text).not.toContain('no recordings were found');
  });

  it('a whole run of a target with no recording still says none were found', () => {
    const whole = smallMatrix();
    whole.targets = [{ ...whole.targets[0]!, provenance: { sources: [] } }];
    expect(describeProvenance(whole.targets[0]!, whole)).toBe('replay, but no recordings were found (emulator)');
  });
});

describe("junit.xml's gate testcases", () => {
  const names = (junit: string) => [...junit.matchAll(/<testcase classname="gate" name="([^"]*)"/g)].map((m) => m[1]!);

  it('name the target of a model with nothing observed on two targets, so no two share a name', async () => {
    const out = join(dir, 'gemma');
    const r = await cli(['run', 'gemma-3-4b', '--checks', 'reasoning.chat-field,reasoning.chat-stream-field', '--report-dir', out, '--quiet']);
    expect(r.code).toBe(1);
    const got = names(await readFile(join(out, 'junit.xml'), 'utf8'));
    expect(got).toEqual(['unobserved-model: google.gemma-3-4b-it (emulator)', 'unobserved-model: google.gemma-3-4b-it (runtime.emulator)']);
  });

  it('number the problems of one kind that name nothing more', () => {
    const m = smallMatrix();
    m.gate = {
      ...m.gate,
      verdict: 'fail',
      exitCode: 1,
      problems: [
        { kind: 'partial', message: 'partial run: a' },
        { kind: 'partial', message: 'partial run: b' },
        { kind: 'partial', target: 'emulator', message: 'target emulator ran nothing' },
        { kind: 'too-many-errors', message: 'errors' },
      ],
    };
    const got = names(renderJunit(m));
    expect(got).toEqual(['partial #1', 'partial #2', 'partial (emulator)', 'too-many-errors']);
    expect(new Set(got).size).toBe(got.length);
  });
});
