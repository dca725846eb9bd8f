/**
 * A catalog model the gate found nothing of observed (every answer in another catalog model's name) is counted once,
 * as that run-level problem: its cells, which judged the other model's answers, do not also gate as fails (junit,
 * matrix.md, gate.gating), and the summaries word their count as cells. An id of the run alone that answered in the
 * model's name is said to be of the catalog or the run, not of the catalog.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { rewritingGateway } from './helpers/rewriting-gateway.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const ASKED = 'openai.gpt-oss-20b';
const OTHER = 'openai.gpt-oss-120b';


let dir: string;
let emulator: RunningEmulator;
let gateway: Awaited<ReturnType<typeof rewritingGateway>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-unobserved-'));
  emulator = await catalogEmulator();
  gateway = await rewritingGateway(emulator.url, ASKED, OTHER);
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a catalog model every answer of which another catalog model gave', () => {
  it("fails the gate once, as nothing observed: the other model's quirks are no fails of it in any report", async () => {
    const reports = join(dir, 'r');
    // created-at.responses reads the other model's exponent created_at: a gating fail of the asked model before.
    const run = await cli(['run', '--mode', 'live', '--endpoint', gateway.url, '--surface', 'mantle', '--auth', 'none', '--models', ASKED, '--checks', 'created-at.responses,api.responses,answer.non-empty', '--retries', '0', '--report-dir', reports, '--plain']);
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(1);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const cell = matrix.results.find((r) => r.check === 'created-at.responses')!;
    expect(cell.status, cell.reason).toBe('fail');
    expect(cell.gating).toBe(false);
    expect(matrix.gate.gating).toEqual([]);
    expect(matrix.gate.problems.map((p) => p.kind)).toEqual(['unobserved-model']);
    expect(out).toMatch(/gate: fail \(exit 1\): 1 model\(s\) with nothing observed$/m);
    expect(out).toContain('3 cell(s) of model(s) with nothing observed');
    expect(out).not.toMatch(/\d of model\(s\) with nothing observed/);
    const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(new RegExp(`<testsuite name="[^"]*/ ${ASKED.replace(/\./g, '\\.')}" tests="3" failures="0" errors="0" skipped="3"`));
    const md = await readFile(join(reports, 'matrix.md'), 'utf8');
    const fails = md.slice(md.indexOf('## What fails the gate'), md.indexOf('### Cells to look at'));
    expect(fails).not.toContain('created-at.responses');
  }, 60_000);
});

describe('the wording of the other model', () => {
  const rerouted = (check: string, by: string) => ({
    model: 'xai.grok-4.3',
    check,
    evidence: [{ case: 'c', step: 'main', request: 'POST /v1/chat/completions', status: 200, answeredBy: by }],
    otherModel: { answers: 1, others: 1, names: [by] },
  });

  it('an id of the run alone is of the catalog or the run', () => {
    const base = smallMatrix([rerouted('path-prefix', 'my-backend'), rerouted('created-at.chat', 'my-backend'), rerouted('defaults.temperature', 'my-backend')], ['xai.grok-4.3', 'my-backend']);
    // smallMatrix calls every model a catalog one: my-backend is the run's alone.
    const matrix = finishMatrix({ ...base, models: base.models.map((m) => (m.id === 'my-backend' ? { ...m, inCatalog: false } : m)) });
    const problem = matrix.gate.problems.find((p) => p.model === 'xai.grok-4.3')!;
    expect(problem.message).toContain('read one in the name of another model of the catalog or the run ("my-backend")');
  });

  it('a catalog id stays of the catalog', () => {
    const matrix = smallMatrix([rerouted('path-prefix', 'qwen.qwen3-32b'), rerouted('created-at.chat', 'qwen.qwen3-32b'), rerouted('defaults.temperature', 'qwen.qwen3-32b')]);
    expect(matrix.gate.problems[0]!.message).toContain('another model of the catalog ("qwen.qwen3-32b")');
  });
});
