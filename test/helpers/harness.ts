/**
 * Test helpers: the emulator with the catalog's profiles, a session that runs the real suites' cases against it,
 * and the CLI, in this process (fast) or as a child process (for signals and the executable itself).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject, onTestFinished } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { StartWorker } from '../../src/package-root.ts';
import type {} from './build-package.ts';
import { ALL_CHECKS } from '../../src/checks/registry.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import { profilesFromCatalog } from '../../src/emulator/profile-from-catalog.ts';
import type { ProfileOverride } from '../../src/emulator/profile.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.ts';
import { buildPlan, type Plan } from '../../src/plan/plan.ts';
import { ModelSession } from '../../src/run/model-session.ts';
import { noAuth, type AuthProvider } from '../../src/transport/auth/auth.ts';
import { LiveTarget } from '../../src/transport/live-target.ts';
import type { Target } from '../../src/transport/target.ts';
import { loadCatalog, type Catalog } from '../../src/suite/load-catalog.ts';
import { loadSuites, type SuiteSet } from '../../src/suite/load-suites.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const BIN = `${ROOT}/src/cli/bin.ts`;
/** What `node` needs to run the CLI from source in a child process (tsx compiles it; whatever the child's cwd). */
export const SOURCE_BIN_ARGS = ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, BIN];

/** The package `npm test` built once (test/helpers/build-package.ts): what a child process runs. */
export function packageBin(): string {
  return join(inject('packageRoot'), 'dist/cli/bin.js');
}
/**
 * Starts a pool's workers from the package this test run built (what users run): a worker from source compiles the
 * harness through tsx first, a second or more of CPU each. One test per pool keeps the source path.
 */
export const packageWorkers: StartWorker = (paths, options) => new Worker(join(inject('packageRoot'), paths.built), options);
/** The shared reference material (MANTLE.md, the OpenAI OpenAPI document, recordings); tests that need it skip without it. */
export const REFERENCE = process.env.MANTLE_REFERENCE_DIR ?? `${ROOT}/../shared/reference`;

let loaded: Promise<{ suites: SuiteSet; catalog: Catalog }> | undefined;
export function projectSuites(): Promise<{ suites: SuiteSet; catalog: Catalog }> {
  loaded ??= Promise.all([loadSuites(`${ROOT}/suites`, ALL_CHECKS), loadCatalog(`${ROOT}/suites/models.yaml`, ALL_CHECKS)]).then(([suites, catalog]) => ({ suites, catalog }));
  return loaded;
}

export async function catalogEmulator(overrides: Record<string, ProfileOverride> = {}, options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const { catalog } = await projectSuites();
  return startEmulator({ profiles: profilesFromCatalog(catalog, overrides, options.surface?.surface), ...options });
}

/** Runs the project's suites for one model against a target and returns every check's result by id. */
export async function checkModel(target: Target, model: string, options: { checks?: string[]; plan?: Plan; waitBetweenPolls?: boolean; repeat?: number } = {}): Promise<Map<string, CheckResult>> {
  const { suites, catalog } = await projectSuites();
  const plan = options.plan ?? buildPlan(suites, catalog, ALL_CHECKS, { models: [model], ...(options.checks ? { checks: options.checks } : {}) });
  const planned = plan.models.find((m) => m.id === model)!;
  const session = new ModelSession(plan, planned, target, { waitBetweenPolls: options.waitBetweenPolls ?? false, repeat: options.repeat ?? 1 });
  const results = new Map<string, CheckResult>();
  await Promise.all(planned.checks.map(async (check) => results.set(check.id, await session.runCheck(check))));
  return results;
}

export function liveTarget(url: string, auth: AuthProvider = noAuth, timeoutMs = 10_000): LiveTarget {
  return new LiveTarget('test', { baseUrl: url, auth, timeoutMs });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI call: the test's own, minus what would reach outside it, plus `env`. */
export function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // A test run in GitHub Actions must not write its CLI calls into the job's own step summary.
  const { GITHUB_STEP_SUMMARY: _summary, ...inherited } = process.env;
  return { ...inherited, ...env, FORCE_COLOR: '0' };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * A test's `run` in the checkout without `--report-dir` would write the checkout's own reports/, setting aside or
 * replacing what a user's `npm run conformance` wrote there: refused, so no test does it.
 */
function keepCheckoutReports(args: readonly string[], cwd: string): void {
  const help = args.includes('--help') || args.includes('-h');
  if (args[0] === 'run' && cwd === ROOT && !help && !args.some((a) => a === '--report-dir' || a.startsWith('--report-dir='))) {
    throw new Error(`give this run a --report-dir of its own (a temp folder): in the checkout it would replace reports/ (${args.join(' ')})`);
  }
}

/** A report folder of the test's own, removed when the test ends: for a run whose reports the test does not read. */
export async function scratchReportDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-reports-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `mantle-conformance <args>` in this process: main() with its output captured, and the environment and
 * working directory set for the call (calls are serialised, since both are the process's). Most tests want this:
 * the command as a user runs it, without a Node start per call. A run on vitest (`--ui`, arguments after `--`)
 * goes to a child process: vitest's reporters write to the process's own stdout, which a test must see.
 */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  keepCheckoutReports(args, cwd);
  if (args.includes('--') || args.includes('--ui')) return cliProcess(args, env, cwd);
  const run = async (): Promise<CliResult> => {
    const saved = { env: process.env, cwd: process.cwd() };
    let stdout = '';
    let stderr = '';
    const sink = (append: (text: string) => void) =>
      Object.assign(
        new Writable({
          write(chunk, _encoding, done) {
            append(String(chunk));
            done();
          },
        }),
        { isTTY: false },
      );
    process.env = cliEnv(env);
    process.chdir(cwd);
    try {
      const code = await main(args, { out: sink((t) => (stdout += t)), err: sink((t) => (stderr += t)) as unknown as NodeJS.WriteStream });
      return { code, stdout, stderr };
    } finally {
      process.env = saved.env;
      process.chdir(saved.cwd);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * Runs `mantle-conformance <args>` in a child process, for what needs one (signals, vitest's own output, the exit of
 * the executable): the built package, as installed.
 */
export function cliProcess(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  keepCheckoutReports(args, cwd);
  return new Promise((resolve) => {
    execFile(process.execPath, [packageBin(), ...args], { cwd, env: cliEnv(env), maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file below `dir`, concatenated (for "no secret anywhere" assertions); empty when `dir` does not exist. */
export async function allText(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}
