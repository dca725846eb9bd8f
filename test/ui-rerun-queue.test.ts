/**
 * The vitest view's UI re-runs and gate file (review rv4-ui 1, 2, 4): a signal during a re-run of every file keeps the
 * whole run's reports, exit code and history entry; re-runs asked during the run are one engine, each cell's
 * requests sent once; a gate that fails on cells only adds no failing `verdict` test to vitest's count.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';
import { freePort, uiAnswers, uiRerun, uiSession } from './helpers/vitest-ui.ts';


/** The generated files of the session under `dir` (its TMPDIR): each model's, then the gate's. */
async function specFiles(dir: string, models: string[]): Promise<string[]> {
  const specs = (await readdir(dir)).find((name) => name.startsWith('mantle-conformance-specs-'))!;
  const target = (await readdir(join(dir, specs), { withFileTypes: true })).find((e) => e.isDirectory())!.name;
  return [...models.map((model) => join(dir, specs, target, `${model}.spec.ts`)), join(dir, specs, 'gate.spec.ts')];
}

const MODELS = ['openai.gpt-oss-20b', 'xai.grok-4.3'];
const liveArgs = (url: string, reports: string) => ['--mode', 'live', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', MODELS.join(','), '--checks', 'stream.*,api.*,answer.*', '--plain', '--report-dir', reports];

// rv4-ui 1: SIGTERM during a re-run of every file took the first run's path: an empty interrupted matrix over the
// whole run's reports, exit 130, no history entry.
it('a signal during a UI re-run of every file keeps the whole run\'s reports, exit code and history entry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-all-'));
  const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { omitDone: true } } }, { latencyMs: 1000 });
  const port = await freePort();
  const reports = join(dir, 'reports');
  const history = join(dir, 'history');
  const s = uiSession(['--ui', ...liveArgs(emulator.url, reports), '--history', history, '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await s.said(/the UI stays open/);
    const whole = await readFile(join(reports, 'matrix.json'), 'utf8');
    await uiRerun(port, await specFiles(dir, MODELS));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    s.child.kill('SIGTERM');
    expect(await s.exited, s.output()).toBe(1);
    expect(s.output()).toMatch(/note: the vitest UI re-run of all 2 model file\(s\) was interrupted \(SIGTERM\)/);
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toBe(whole);
    expect((await readdir(history)).length).toBe(1);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 150_000);

// rv4-ui 2: vitest starts every re-run queued during the run at once when it ends; each asked the one engine the
// harness began for cells outside its selection: gpt-oss-20b's requests sent three times for two runs of it.
it('two UI re-runs asked during the run are one, each cell\'s requests sent once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-queue-'));
  const sent = new Map<string, number>();
  const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { omitDone: true } } }, { latencyMs: 1000, onRequest: (entry) => entry.model && sent.set(entry.model, (sent.get(entry.model) ?? 0) + 1) });
  const port = await freePort();
  const reports = join(dir, 'reports');
  const s = uiSession(['--ui', ...liveArgs(emulator.url, reports), '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await uiAnswers(port);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const [gptOss, grok, gate] = await specFiles(dir, MODELS);
    await uiRerun(port, [grok!]);
    await uiRerun(port, [gptOss!, grok!, gate!]);
    await s.said(/the UI stays open/);
    const first = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    // The re-runs, merged: every file, so their matrix replaces the whole run's (said as the run's verdict).
    await s.said(/the UI stays open/, 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(again.run.startedAt).not.toBe(first.run.startedAt);
    const requestsOf = (matrix: Matrix, model: string) => Object.entries(matrix.totals.perModel).filter(([key]) => key.endsWith(model)).reduce((sum, [, u]) => sum + u.requests, 0);
    for (const model of MODELS) {
      // Whole run plus one re-run: no request of another re-run's engine, none sent twice.
      expect(sent.get(model), model).toBe(requestsOf(first, model) + requestsOf(again, model));
    }
    expect(again.run.selection.filters).toEqual([]);
    expect(again.gate.verdict).toBe('fail');
    expect(s.output()).not.toMatch(/vitest re-ran 1 of 2/);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(1);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);

type VitestJson = { testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[] };

// rv4-ui 4: a gate failing on a cell only added a failing `verdict` test: vitest counted 2 failures, junit.xml 1.
it('a gate that fails on cells only counts the failing cells in vitest, as junit.xml does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-verdict-'));
  const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { omitDone: true } } });
  try {
    const report = join(dir, 'vitest.json');
    const result = await cliProcess(
      ['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'stream.*', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--reporter=json', `--outputFile=${report}`],
      { TMPDIR: dir },
    );
    expect(result.code, result.stderr).toBe(1);
    const tests = (JSON.parse(await readFile(report, 'utf8')) as VitestJson).testResults.flatMap((f) => f.assertionResults);
    const junit = await readFile(join(dir, 'reports', 'junit.xml'), 'utf8');
    const failures = Number(/<testsuites[^>]*failures="(\d+)"/.exec(junit)?.[1]);
    expect(failures).toBeGreaterThan(0);
    expect(tests.filter((t) => t.status === 'failed').length).toBe(failures);
    expect(tests.filter((t) => t.ancestorTitles[0] === 'gate').map((t) => [t.title, t.status])).toEqual([['verdict', 'skipped']]);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
