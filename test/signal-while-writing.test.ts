/**
 * A signal while a finished run's reports are written (two reviews of the run as a CI job sees it): it is said and
 * waited out, the reports are written whole and the exit code is the gate's; in-process, on vitest and in a UI
 * session (SIGTERM ends the session). On the run on vitest it hung until SIGKILL (the run's servers were left open),
 * and in-process one Ctrl-C threw the reports away.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageBin, ROOT } from './helpers/harness.ts';

const PRELOAD = pathToFileURL(join(ROOT, 'test', 'helpers', 'signal-on-report.mjs')).href;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-writing-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The CLI with `args`, sending itself `signal` as it writes its first report; its exit code (null: killed) and stderr. */
function runSignalled(args: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, packageBin(), ...args], { cwd: ROOT, env: { ...process.env, SIGNAL_ON_REPORT: signal, FORCE_COLOR: '0', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A hang is the failure this test is about: killed after 40 s, it reads as exit null.
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

it.each([
  ['in-process, Ctrl-C', [], 'SIGINT'],
  ['on vitest, SIGTERM', ['--', '--reporter=dot'], 'SIGTERM'],
  ['a UI session, SIGTERM', ['--ui'], 'SIGTERM'],
] as const)('%s: the reports are written whole and the exit code is the gate\'s', async (name, extra, signal) => {
  const reports = join(dir, name.replace(/\W+/g, '-'));
  const run = await runSignalled(['run', 'xai.grok-4.3', '--checks', 'path-prefix,api.chat-completions', '--report-dir', reports, '--quiet', ...extra], signal);
  expect(run.code, run.stderr).toBe(0);
  expect((await readdir(reports)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
  if (!(extra as readonly string[]).includes('--ui')) expect(run.stderr).toMatch(/the run is over; writing its reports/);
}, 60_000);

it('in-process, a signal while the job summary is appended (after the reports): said, and the summary is written', async () => {
  const summary = join(dir, 'summary.md');
  const run = await runSignalled(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', join(dir, 'summary-reports'), '--quiet'], 'SIGTERM', { GITHUB_STEP_SUMMARY: summary, SIGNAL_ON_SUMMARY: '1' });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/the run is over and its reports are written; finishing the rest/);
  expect(await readFile(summary, 'utf8')).toMatch(/xai\.grok-4\.3|Gate/);
}, 60_000);

it.each([
  ['in-process', []],
  ['on vitest', ['--', '--reporter=dot']],
] as const)('%s, a second signal (the first while the reports were written, the next while the summary is) quits at once: 130', async (name, extra) => {
  const summary = join(dir, `summary-${name}.md`);
  const reports = join(dir, `second-${name.replace(/\W+/g, '-')}`);
  const run = await runSignalled(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', reports, '--quiet', ...extra], 'SIGTERM', { GITHUB_STEP_SUMMARY: summary, SIGNAL_ON_SUMMARY: 'both' });
  expect(run.code, run.stderr).toBe(130);
  expect((await readdir(reports)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
}, 60_000);
