/**
 * The vitest view's session: a UI re-run of some model files never becomes the run (asked during the run it waits
 * its turn; interrupted after it, the reports stay the whole run's), Ctrl-C stops a `--ui` run (on a terminal too,
 * where vitest's keyboard shortcuts took it) and after the run ends the session with the gate's exit code, the UI's
 * address is said when it starts, and the generated spec folder goes on every exit, a second signal's included.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator } from './helpers/harness.ts';
import { freePort, uiAnswers, uiRerun, uiSession } from './helpers/vitest-ui.ts';


/** The generated spec file of `model` under `dir` (TMPDIR of the session). */
async function specFile(dir: string, model: string): Promise<string> {
  const specs = (await readdir(dir)).find((name) => name.startsWith('mantle-conformance-specs-'))!;
  const target = (await readdir(join(dir, specs), { withFileTypes: true })).find((e) => e.isDirectory())!.name;
  return join(dir, specs, target, `${model}.spec.ts`);
}

const leftSpecFolders = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith('mantle-conformance-specs-'));

const liveArgs = (url: string, reports: string) => ['--mode', 'live', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', 'openai.gpt-oss-20b,xai.grok-4.3', '--checks', 'stream.*,api.*,answer.*', '--plain', '--report-dir', reports];

// Review rv-ui 1 and 8: a re-run of grok's file asked during the run replaced the run's engine, and its matrix (grok
// only, gate pass) became the run's reports and exit code while gpt-oss-20b failed; the UI's address came after the run.
it('a UI re-run asked during the run waits for it, and the whole run decides the reports and the exit code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-queue-'));
  const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { omitDone: true } } }, { latencyMs: 400 });
  const port = await freePort();
  const reports = join(dir, 'reports');
  const s = uiSession(['--ui', ...liveArgs(emulator.url, reports), '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await uiAnswers(port);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await uiRerun(port, [await specFile(dir, 'xai.grok-4.3')]);
    await s.said(/the UI stays open/);
    // The UI's address is said when it starts, not once the run has ended.
    expect(s.output().indexOf('vitest UI: http')).toBeGreaterThan(-1);
    expect(s.output().indexOf('vitest UI: http')).toBeLessThan(s.output().indexOf('done: '));
    expect(s.output()).toContain('note: a vitest UI re-run asked while a run is going waits until that run has ended');
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.gate.verdict).toBe('fail');
    expect(matrix.run.selection.filters).toEqual([]);
    expect(new Set(matrix.results.filter((r) => !r.notRun).map((r) => r.model))).toEqual(new Set(['openai.gpt-oss-20b', 'xai.grok-4.3']));
    await s.said(/note: vitest re-ran 1 of 2 model file\(s\): shown in the UI only/);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(1);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

// Review rv-ui 3: SIGTERM during a UI re-run of one file wrote that re-run's interrupted matrix over the whole run's reports.
it('a signal during a UI re-run of some files keeps the whole run\'s reports and ends with its exit code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-rerun-stop-'));
  const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { omitDone: true } } }, { latencyMs: 1000 });
  const port = await freePort();
  const reports = join(dir, 'reports');
  const s = uiSession(['--ui', ...liveArgs(emulator.url, reports), '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await s.said(/the UI stays open/);
    const whole = await readFile(join(reports, 'matrix.json'), 'utf8');
    await uiRerun(port, [await specFile(dir, 'xai.grok-4.3')]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/note: the vitest UI re-run of 1 of 2 model file\(s\) was interrupted \(SIGTERM\)/);
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toBe(whole);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

// Review rv-ui 2a: without a terminal, Ctrl-C (SIGINT) during a --ui run was ignored and the run kept sending.
it('Ctrl-C during a --ui run stops it: partial matrix, exit 130', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-sigint-'));
  const emulator = await catalogEmulator({}, { latencyMs: 1000 });
  const reports = join(dir, 'reports');
  const port = await freePort();
  const s = uiSession(['--ui', ...liveArgs(emulator.url, reports), '--', `--api.port=${port}`], { TMPDIR: dir });
  try {
    await uiAnswers(port);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(130);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.run.interrupted).toBe(true);
    expect(await leftSpecFolders(dir)).toEqual([]);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

// Review rv-ui 2b: on a terminal vitest's keyboard shortcuts took Ctrl-C: after a passing run the session exited 130
// with no history entry. `script` runs the session on a pseudo-terminal; a Ctrl-C typed there is the keyboard's. The
// shell `script` starts execs the session: a dash left waiting gets the Ctrl-C too and exits 130 after it (CI, SHELL unset).
it.skipIf(!existsSync('/usr/bin/script'))('on a terminal, Ctrl-C after the run ends the session with the gate\'s exit code and its history entry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-tty-'));
  const history = join(dir, 'history');
  const s = uiSession(['grok-4.3', '--targets', 'mantle:emulator', '-t', 'path-prefix|api\\.', '--history', history, '--report-dir', join(dir, 'reports'), '--plain', '--ui', '--', `--api.port=${await freePort()}`], { TMPDIR: dir, SHELL: '/bin/sh' }, (command) => ['/usr/bin/script', ['-qfec', `exec ${command}`, '/dev/null']]);
  try {
    await s.said(/the UI stays open/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    s.child.stdin.write('\x03');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/^gate: pass \(exit 0\)\s*$/m);
    expect((await readdir(history)).length).toBe(1);
    expect(await leftSpecFolders(dir)).toEqual([]);
  } finally {
    s.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

// Review rv-ui 9: a second signal quits at once (process.exit), which skipped the removal of the spec folder.
it('a second Ctrl-C that quits at once leaves no spec folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-twice-'));
  const emulator = await catalogEmulator({}, { latencyMs: 1000 });
  const s = uiSession([...liveArgs(emulator.url, join(dir, 'reports')), '--', '--reporter=dot'], { TMPDIR: dir });
  try {
    // The first while vitest starts (nothing to stop yet), the second past the half second that makes two one.
    while ((await leftSpecFolders(dir)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    s.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 600));
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(130);
    expect(await leftSpecFolders(dir)).toEqual([]);
  } finally {
    s.child.kill('SIGKILL');
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
