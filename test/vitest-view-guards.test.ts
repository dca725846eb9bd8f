/**
 * Arguments after `--` vitest cannot honour, or that would replace a report of the run, are exit 2 before anything
 * is sent; and vitest breaking after the checks began (a worker that dies) never takes the run's results with it.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVitestArgs } from '../src/cli/vitest-args.ts';
import { cliProcess, ROOT } from './helpers/harness.ts';

const refusal = (args: string[]) => parseVitestArgs(args, ROOT).then(() => undefined, (error: Error & { code?: string }) => error);

describe('--environment and --pool after --', () => {
  it.each([
    ['jsdom', 'jsdom'],
    ['happy-dom', 'happy-dom'],
    ['edge-runtime', '@edge-runtime/vm'],
    ['mantle-none', 'vitest-environment-mantle-none'],
  ])('--environment=%s without %s installed is refused naming the option and the package', async (environment, name) => {
    const error = await refusal([`--environment=${environment}`]);
    expect(error?.code).toBe('HARNESS_USAGE');
    expect(error?.message).toContain(`--environment=${environment} needs ${name}, which is not installed (npm install -D ${name}, or drop --environment`);
    expect(error?.message).toContain('Nothing was sent.');
  });

  it('a pool vitest does not have is refused; its own pools and environments pass', async () => {
    const error = await refusal(['--pool=bogus']);
    expect(error?.code).toBe('HARNESS_USAGE');
    expect(error?.message).toContain('--pool=bogus: vitest has no such pool (threads, forks, vmThreads, vmForks)');
    for (const args of [['--pool=forks'], ['--pool=vmThreads'], ['--environment=node'], ['--environment=./my-env.ts']]) expect(await refusal(args)).toBeUndefined();
  });

  it('the run is refused before the report folder is touched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mantle-vitest-guards-env-'));
    try {
      const run = await cliProcess(['run', 'grok-4.3', '--checks', 'created-at.*', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--environment=jsdom'], { TMPDIR: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('HARNESS_USAGE: arguments after --: --environment=jsdom needs jsdom');
      expect(run.stderr).not.toContain('Worker exited unexpectedly');
      await expect(stat(join(dir, 'reports'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

it('a vitest worker that dies after the checks began: the reports are written, and the run exits 2 naming the arguments', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-vitest-guards-crash-'));
  try {
    // An environment whose setup cannot load its package: vitest's worker exits, and its pool throws an 'error' event no one listens to.
    const environment = join(dir, 'broken-env.mjs');
    await writeFile(environment, "export default { name: 'broken', viteEnvironment: 'ssr', async setup() { await import('mantle-missing-package-xyz'); } };\n");
    const reports = join(dir, 'reports');
    const run = await cliProcess(['run', 'grok-4.3', '--checks', 'created-at.*', '--report-dir', reports, '--', `--environment=${environment}`], { TMPDIR: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: vitest broke during the run with the arguments after -- (--environment=${environment}): Worker exited unexpectedly`);
    expect(run.stderr).toContain('their reports were written (their gate, above, is not the exit code)');
    expect(run.stderr).not.toMatch(/Unhandled 'error' event|node:events/);
    expect(run.stdout).toMatch(/^gate: pass \(exit 0\)$/m);
    expect((await readdir(reports)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: { status: string; notRun?: boolean }[] };
    expect(matrix.results.filter((r) => !r.notRun).map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

describe('--outputFile after -- naming a report of the run', () => {
  it.each([
    [(reports: string) => [`--outputFile=${join(reports, 'matrix.json')}`, '--reporter=json'], '--output-file=', 'matrix.json'],
    [(reports: string) => [`--outputFile.junit=${join(reports, 'junit.xml')}`, '--reporter=junit'], '--output-file.junit=', 'junit.xml'],
    [(reports: string) => [`--outputFile=${join(reports, 'matrix.earlier.json')}`, '--reporter=json'], '--output-file=', 'matrix.earlier.json'],
  ])('is refused, exit 2, before anything is sent (%#)', async (args, flag, name) => {
    const dir = await mkdtemp(join(tmpdir(), 'mantle-vitest-guards-out-'));
    try {
      const reports = join(dir, 'reports');
      const run = await cliProcess(['run', 'grok-4.3', '--checks', 'created-at.*', '--quiet', '--report-dir', reports, '--', ...args(reports)], { TMPDIR: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`HARNESS_USAGE: ${flag}${join(reports, name)} after --: vitest would write over the run's ${name} in --report-dir`);
      expect(run.stderr).toContain('Nothing was sent.');
      await expect(stat(reports)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('in the history folder is refused; another file of the report folder is written beside the reports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mantle-vitest-guards-out-'));
    try {
      const [reports, history] = [join(dir, 'reports'), join(dir, 'history')];
      await mkdir(history);
      const refused = await cliProcess(['run', 'grok-4.3', '--checks', 'created-at.*', '--quiet', '--report-dir', reports, '--history', history, '--', '--reporter=json', `--outputFile=${join(history, 'vitest.json')}`], { TMPDIR: dir });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`after --: it is in the --history folder ${history}`);
      expect(await readdir(history)).toEqual([]);
      const run = await cliProcess(['run', 'grok-4.3', '--checks', 'created-at.*', '--quiet', '--report-dir', reports, '--', '--reporter=json', `--outputFile=${join(reports, 'vitest.json')}`], { TMPDIR: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toMatch(/^\{\s*"format": "mantle-conformance\.matrix\//);
      expect(await readFile(join(reports, 'vitest.json'), 'utf8')).toContain('"numTotalTests"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
