/**
 * Test helpers: the emulator with the catalog's profiles, a session that runs the real suites' cases against it,
 * and the CLI as a child process.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
export const BIN = `${ROOT}/src/cli/bin.mjs`;
/** The shared reference material (MANTLE.md, the OpenAI OpenAPI document, recordings); tests that need it skip without it. */
export const REFERENCE = process.env.MANTLE_REFERENCE_DIR ?? `${ROOT}/../shared/reference`;

let loaded: Promise<{ suites: SuiteSet; catalog: Catalog }> | undefined;
export function projectSuites(): Promise<{ suites: SuiteSet; catalog: Catalog }> {
  loaded ??= Promise.all([loadSuites(`${ROOT}/suites`, ALL_CHECKS), loadCatalog(`${ROOT}/suites/models.yaml`, ALL_CHECKS)]).then(([suites, catalog]) => ({ suites, catalog }));
  return loaded;
}

export async function catalogEmulator(overrides: Record<string, ProfileOverride> = {}, options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const { catalog } = await projectSuites();
  return startEmulator({ profiles: profilesFromCatalog(catalog, overrides), ...options });
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

/** Runs `mantle-conformance <args>` in a child process. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, FORCE_COLOR: '0' }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
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
