/**
 * A run on vitest: an `--outputFile` after `--` lands where the user means (a relative one from the current folder)
 * and never on a file the run reads or writes; and vitest going wrong once the checks began, however it shows it (an
 * uncaught error from a reporter's timer, an error it prints and goes on, a test run it never ends, workers that never
 * start), ends the same way: the reports written, the gate line printed, exit 2 naming the arguments, the job summary
 * saying so.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { viewBreak } from '../src/run/vitest-crash.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];
const SELECT = ['grok-4.3', '--checks', 'created-at.*'];
let dir: string;
let emulator: RunningEmulator;
const live = () => ['--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'created-at.*'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-view-breaks-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('--outputFile after --', () => {
  it('naming the --baseline the run reads is refused, by any spelling, and the baseline stays', async () => {
    const first = await cliProcess(['run', ...SELECT, '--quiet', '--report-dir', join(dir, 'b0')], { TMPDIR: dir });
    expect(first.code, first.stderr).toBe(0);
    await mkdir(join(dir, 'base'));
    await cp(join(dir, 'b0', 'matrix.json'), join(dir, 'base', 'matrix.json'));
    const before = await readFile(join(dir, 'base', 'matrix.json'), 'utf8');
    for (const file of [join(dir, 'base', 'matrix.json'), 'base/matrix.json']) {
      const run = await cliProcess(['run', ...SELECT, '--quiet', '--report-dir', join(dir, 'b1'), '--baseline', join(dir, 'base', 'matrix.json'), '--', '--reporter=json', `--outputFile=${file}`], { TMPDIR: dir }, dir);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--output-file=${file} after --: it is the --baseline file the run reads, which vitest would write over; name another file. Nothing was sent.`);
    }
    expect(await readFile(join(dir, 'base', 'matrix.json'), 'utf8')).toBe(before);
  }, 120_000);

  it("in a record run's fixtures root is refused before anything is sent", async () => {
    const fixtures = join(dir, 'fx');
    const sent = emulator.stats.requests;
    const run = await cliProcess(['run', ...live().map((a) => (a === 'live' ? 'record' : a)), '--fixtures', fixtures, '--report-dir', join(dir, 'r1'), '--', '--reporter=json', `--outputFile=${join(fixtures, 'target', 'xai.grok-4.3', 'probe.chat.json')}`], { TMPDIR: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`after --: it is in the --fixtures folder ${fixtures}, where this record run writes its recordings; name a file outside it. Nothing was sent.`);
    expect(emulator.stats.requests).toBe(sent);
    await expect(stat(fixtures)).rejects.toThrow();
  }, 60_000);

  it('naming the matrix.json of a report folder not made yet, reached through a link, is refused', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'lnk'));
    const run = await cliProcess(['run', ...SELECT, '--quiet', '--report-dir', join(dir, 'lnk', 'fresh'), '--', '--reporter=json', `--outputFile=${join(dir, 'real', 'fresh', 'matrix.json')}`], { TMPDIR: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("vitest would write over the run's matrix.json in --report-dir");
    await expect(stat(join(dir, 'real', 'fresh'))).rejects.toThrow();
  }, 60_000);

  it('a relative one is written from the current folder, beside the reports, and refused on a report there', async () => {
    const cwd = join(dir, 'proj');
    await mkdir(cwd);
    const refused = await cliProcess(['run', ...SELECT, '--quiet', '--report-dir', 'out', '--', '--reporter=json', '--outputFile=out/matrix.json'], { TMPDIR: dir }, cwd);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`--output-file=out/matrix.json after --: vitest would write over the run's matrix.json in --report-dir ${join(cwd, 'out')} after`);
    const run = await cliProcess(['run', ...SELECT, '--quiet', '--report-dir', 'out', '--', '--reporter=junit', '--outputFile.junit=out/vitest-junit.xml'], { TMPDIR: dir }, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(join(cwd, 'out'))).sort()).toEqual([...REPORTS, 'vitest-junit.xml']);
    expect(await readFile(join(cwd, 'out', 'vitest-junit.xml'), 'utf8')).toContain('<testsuites');
  }, 120_000);
});

describe('vitest going wrong after the checks began', () => {
  const reporter = async (name: string, body: string) => {
    const file = join(dir, name);
    await writeFile(file, `export default class { onTestRunStart() { ${body} } }\n`);
    return file;
  };
  const expectBroken = async (run: { code: number; stdout: string; stderr: string }, reports: string, args: string, cause: string) => {
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: vitest broke during the run with the arguments after -- (${args}): ${cause}`);
    expect(run.stderr).toContain('their reports were written (their gate, above, is not the exit code)');
    expect(run.stderr).not.toMatch(/before any check ran|Node\.js v\d/);
    expect(run.stdout).toMatch(/^gate: pass \(exit 0\)$/m);
    expect((await readdir(reports)).sort()).toEqual(REPORTS);
  };

  it("a reporter's timer that throws: the reports written, exit 2, and the job summary says the exit is not the gate's", async () => {
    const file = await reporter('later.mjs', "setTimeout(() => { throw new Error('my reporter broke later'); }, 20);");
    const [reports, summary] = [join(dir, 'f2'), join(dir, 'summary.md')];
    await writeFile(summary, '');
    const run = await cliProcess(['run', ...live(), '--report-dir', reports, '--', `--reporter=${file}`], { TMPDIR: dir, GITHUB_STEP_SUMMARY: summary });
    await expectBroken(run, reports, `--reporter=${file}`, 'my reporter broke later');
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('**Gate: pass (exit 0)**');
    expect(text).toContain("**The run exits 2, not the gate's exit code**: HARNESS_USAGE: vitest broke during the run");
  }, 60_000);

  it('a reporter that throws as the test run starts (vitest prints it and returns): the reports written, exit 2', async () => {
    const file = await reporter('start.mjs', "throw new Error('my reporter broke');");
    const reports = join(dir, 'f3');
    const run = await cliProcess(['run', ...live(), '--report-dir', reports, '--', `--reporter=${file}`], { TMPDIR: dir });
    await expectBroken(run, reports, `--reporter=${file}`, 'vitest stopped before its test run ended (it printed why above)');
  }, 60_000);

  it('workers that never start (vitest reports them and runs no file): exit 2, as a worker that dies', async () => {
    const reports = join(dir, 'f6');
    const run = await cliProcess(['run', ...live(), '--report-dir', reports, '--', '--environment=./mantle-no-such-env.ts'], { TMPDIR: dir }, dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: vitest broke during the run with the arguments after -- (--environment=./mantle-no-such-env.ts)');
    expect((await readdir(reports)).sort()).toEqual(REPORTS);
  }, 60_000);

  it('viewBreak: an error vitest reported, no end, no model file run; nothing when the run went as it should', () => {
    expect(viewBreak({ ended: true, asked: true, modelFiles: 1, unhandled: [{ name: 'Error', message: 'Failed to start threads worker' }] })?.message).toBe('Failed to start threads worker');
    expect(viewBreak({ ended: false, asked: true, modelFiles: 1, unhandled: [] })?.message).toMatch(/^vitest stopped before its test run ended/);
    expect(viewBreak({ ended: true, asked: false, modelFiles: 1, unhandled: [] })?.message).toBe('vitest ran none of the model files');
    expect(viewBreak({ ended: true, asked: true, modelFiles: 1, unhandled: [] })).toBeUndefined();
    // A shard (or selection) that gave vitest no model file asks nothing: no break.
    expect(viewBreak({ ended: true, asked: false, modelFiles: 0, unhandled: [] })).toBeUndefined();
  });

  it("the step summary says an exit code that is not the gate's only when given one", async () => {
    const matrix = JSON.parse(await readFile(join(dir, 'f3', 'matrix.json'), 'utf8')) as Matrix;
    expect(renderStepSummary(matrix, {})).not.toContain('The run exits');
    expect(renderStepSummary(matrix, { exit: { code: 2, why: 'vitest broke\n::error::x' } })).toContain("**The run exits 2, not the gate's exit code**: vitest broke");
  });
});
