/**
 * An uncaught error once a run's checks began that is neither vitest's nor a reporter's (a stand-in for a harness
 * bug: a TypeError thrown from a timer of a module preloaded with `--import`) is a bug, not a usage error: the reports
 * are written and the gate printed, then exit 3 HARNESS_INTERNAL with its stack, never blaming the arguments after
 * `--`, and not Node's exit 1 without them. A reporter's own error stays the view breaking (exit 2, naming it).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { hasReporterFrame } from '../src/run/uncaught-errors.ts';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];
let dir: string;
let emulator: RunningEmulator;
let preload: string;
const live = () => ['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'created-at.*'];
// Throws once the first check's request is made (the engine began), from a timer: no frame of vitest's or a reporter's.
const BUG = `import { isMainThread } from 'node:worker_threads';
import dc from 'node:diagnostics_channel';
let done = false;
if (isMainThread) dc.subscribe('undici:request:create', ({ request }) => { if (!done && /completions|responses/.test(request.path)) { done = true; setTimeout(() => { const o = undefined; o.engineSlot.release(); }, 0); } });
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-harness-bug-'));
  emulator = await catalogEmulator();
  preload = join(dir, 'bug.mjs');
  await writeFile(preload, BUG);
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an uncaught error of the harness once the run began', () => {
  const expectBug = async (run: { code: number; stdout: string; stderr: string }, reports: string) => {
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("HARNESS_INTERNAL: an uncaught error (Cannot read properties of undefined (reading 'engineSlot')) came during the run; the run's checks ran on and their reports were written");
    expect(run.stderr).toContain('This is a bug in mantle-conformance; please report it');
    expect(run.stderr).toMatch(/TypeError: Cannot read properties of undefined \(reading 'engineSlot'\)\n\s+at .*bug\.mjs/);
    expect(run.stderr).not.toMatch(/HARNESS_USAGE|fix or drop those arguments|Node\.js v\d/);
    expect(run.stdout).toMatch(/^gate: pass \(exit 0\)$/m);
    expect((await readdir(reports)).sort()).toEqual(REPORTS);
  };

  it('with arguments after --: exit 3 with its stack, the arguments not blamed', async () => {
    const reports = join(dir, 'view');
    await expectBug(await cliProcess([...live(), '--report-dir', reports, '--', '--reporter=dot'], { TMPDIR: dir, NODE_OPTIONS: `--import ${preload}` }), reports);
  }, 60_000);

  it('without them: the same exit 3, not Node\'s exit 1 with no reports', async () => {
    const reports = join(dir, 'plain');
    await expectBug(await cliProcess([...live(), '--report-dir', reports], { TMPDIR: dir, NODE_OPTIONS: `--import ${preload}` }), reports);
  }, 60_000);

  it('a frame of a reporter named after -- is the view\'s (by path, file URL or package name); others are not', () => {
    const stack = (at: string) => `Error: x\n    at Timeout._onTimeout (${at}:1:2)\n    at listOnTimeout (node:internal/timers:581:17)`;
    expect(hasReporterFrame(stack('file:///work/p/my-reporter.mjs'), { reporter: './my-reporter.mjs' }, '/work/p')).toBe(true);
    expect(hasReporterFrame(stack('/work/p/my-reporter.mjs'), { reporter: ['dot', '/work/p/my-reporter.mjs'] }, '/')).toBe(true);
    expect(hasReporterFrame(stack('/work/p/node_modules/vitest-sonar-reporter/index.js'), { reporter: 'vitest-sonar-reporter' })).toBe(true);
    expect(hasReporterFrame(stack('file:///tmp/bug.mjs'), { reporter: 'dot' })).toBe(false);
    expect(hasReporterFrame(stack('file:///tmp/bug.mjs'), {})).toBe(false);
  });
});
