/**
 * @module cli/run-options
 * Flags of `mantle-conformance run` -> RunConfig. Every bad flag is a HARNESS_USAGE error that names the flag and
 * the fix (a file or folder a flag names that does not exist, HARNESS_FILE_NOT_FOUND); nothing is sent before the
 * whole command line is valid.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { checkName } from '../names.ts';
import { HEADER_ENV_REFUSED } from '../framing-headers.ts';
import { keysReadFrom } from '../key-shapes.ts';
import { headerValueProblem } from '../transport/headers.ts';
import { proxyFor } from '../transport/proxy.ts';
import { DEFAULTS, type AuthConfig, type RunConfig } from '../run/run-config.ts';
import type { TargetMode } from '../transport/target.ts';
import { notAFileError, resolveExpectationsOf, resolveSuitesAndCatalog, whyNotAFile } from './input-files.ts';
import { checkFixturesRoot } from './fixtures-root.ts';
import { refuseCrossedDomains, refuseDefaultKeyElsewhere } from './credential-domains.ts';
import { envNameFlag, headerEnvSpec } from './env-name-flags.ts';
import { checkRegions, resolveTargets } from './target-options.ts';
import { parseShard } from '../shard-spec.ts';

/** Raw flag values as commander hands them over. */
export interface RunFlags {
  mode?: string;
  region?: string;
  endpoint?: string;
  targetName?: string;
  /** `mantle`, `runtime` or `custom`: the surface of --region/--endpoint targets. */
  surface?: string;
  /** `surface:region,...` or `surface:name=URL,...`. */
  targets?: string;
  apiKeyEnv?: string;
  auth?: string;
  profile?: string;
  project?: string;
  headerEnv?: string[];
  suites?: string;
  catalog?: string;
  fixtures?: string;
  /** Not a flag: where the recordings end up when --fixtures is a folder they are made in first (RunConfig.fixturesRoot). */
  fixturesRoot?: string;
  reportDir?: string;
  history?: string;
  models?: string;
  checks?: string;
  timeout?: string;
  idleTimeout?: string;
  concurrency?: string;
  modelConcurrency?: string;
  tpm?: string;
  retries?: string;
  retryDelay?: string;
  maxRequests?: string;
  maxTokensTotal?: string;
  giveUpAfter?: string;
  maxBodyBytes?: string;
  maxErrors?: string;
  repeat?: string;
  source?: string;
  overwriteFailures?: boolean;
  runId?: string;
  openapi?: string;
  expectations?: string | false;
  baseline?: string;
}


/** `./name` when the working directory has it, else the one bundled with the harness. */
async function localOr(name: string, root: string): Promise<string> {
  return (await stat(name).catch(() => null))?.isDirectory() ? name : `${root}/${name}`;
}

/**
 * The fixtures root. Replay reads ./fixtures, else the bundled recordings; record writes ./fixtures (made when
 * missing), never the package's own folder unless --fixtures names it: below node_modules, the next `npm ci` would
 * delete what a record run spent tokens on, and the user's recordings would mix with the bundled ones. (In a checkout
 * of the harness, ./fixtures is the bundled folder, which `npm run fixtures` records into on purpose.) A record
 * run's root that is not a folder is refused here, before anything is sent (fixtures-root.ts).
 */
async function fixturesRoot(flags: RunFlags, mode: TargetMode, root: string): Promise<string> {
  const dir = resolve(flags.fixtures ?? (mode === 'record' ? 'fixtures' : await localOr('fixtures', root)));
  if (mode === 'record') await checkFixturesRoot(dir, flags.fixtures === undefined ? 'move it, or record into another folder with --fixtures DIR' : 'give --fixtures a folder to record into (made when missing)', true);
  return dir;
}

/**
 * Flags only a record run reads, refused in live and replay as --threads is outside replay: a CI job whose `--mode
 * record` was lost would run without a word that nothing was recorded. `--source live` is the default, said again.
 */
function refuseRecordOnly(flags: RunFlags, mode: TargetMode): void {
  if (mode === 'record') return;
  const given = flags.overwriteFailures ? '--overwrite-failures' : flags.source === 'emulator' ? '--source emulator' : undefined;
  if (given) throw usage(given.split(' ')[0]!, `applies to record only (a ${mode} run writes no fixtures); add --mode record, or leave ${given} out`);
}

export function usage(flag: string, message: string): HarnessError {
  return new HarnessError('HARNESS_USAGE', `${flag}: ${message}`);
}

/** A numeric flag's accepted values, stated in `--help` and the README. */
export interface NumericRange {
  min: number;
  max: number;
}

/**
 * The range of every numeric flag of `run`. Timeouts and delays are milliseconds and must fit a timer (Node's
 * `setTimeout` fires at once beyond 2^31-1 ms); counts are bounded where more would only exhaust the machine.
 */
export const RUN_RANGES = {
  '--timeout': { min: 1, max: 2_147_483_647 },
  '--idle-timeout': { min: 0, max: 600_000 },
  '--concurrency': { min: 1, max: 256 },
  '--model-concurrency': { min: 1, max: 256 },
  '--tpm': { min: 0, max: 1_000_000_000 },
  '--retries': { min: 0, max: 10 },
  '--retry-delay': { min: 0, max: 60_000 },
  '--max-requests': { min: 0, max: 1_000_000_000 },
  '--max-tokens-total': { min: 0, max: 1_000_000_000_000 },
  '--give-up-after': { min: 0, max: 10_000 },
  '--max-body-bytes': { min: 1024, max: 1_073_741_824 },
  '--repeat': { min: 1, max: 10 }, // a recording's trials are held to it too (transport/fixture-schema.ts MAX_TRIAL)
  '--max-errors': { min: 0, max: 1_000_000 },
  '--threads': { min: 1, max: 64 },
} as const satisfies Record<string, NumericRange>;

/** `history --last n`: the digest covers each target's last n runs. */
export const HISTORY_LAST = { default: 10, range: { min: 1, max: 1000 } } as const;
/** `emulator`'s numeric flags: their defaults and ranges (a port; milliseconds that fit a timer). */
export const EMULATOR_PORT = { default: 4010, range: { min: 0, max: 65_535 } } as const;
export const EMULATOR_LATENCY = { default: 0, range: { min: 0, max: 600_000 } } as const;

/** How a range reads in `--help` and in the README: `1-256`. */
export function describeRange(range: NumericRange): string {
  return `${range.min}-${range.max}`;
}

/** A whole number in `range` (digits only: no sign, exponent, hex or blank), or HARNESS_USAGE naming the flag. */
export function intFlag(flag: string, raw: string | undefined, fallback: number, range: NumericRange = { min: 0, max: Number.MAX_SAFE_INTEGER }): number {
  if (raw === undefined) return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw usage(flag, `${JSON.stringify(raw)} is not a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

/** `--shard i/n`: shard i of n, 1 <= i <= n. */
export function shardFlag(raw: string | undefined): { index: number; count: number } | undefined {
  if (raw === undefined) return undefined;
  const shard = parseShard(raw);
  if (!shard) throw usage('--shard', `${JSON.stringify(raw)} is not i/n with 1 <= i <= n <= 9999 (e.g. --shard 2/3: the second of three shards)`);
  return shard;
}

/** `-t PATTERN`, compiled as vitest compiles it (a JavaScript regular expression, no flags). */
export function patternFlag(raw: string | undefined): RegExp | undefined {
  if (raw === undefined) return undefined;
  try {
    return new RegExp(raw);
  } catch (cause) {
    throw new HarnessError('HARNESS_USAGE', `-t/--test-name-pattern: ${JSON.stringify(raw)} is not a regular expression (${(cause as Error).message}); escape special characters, e.g. -t 'stream\\.'`, { cause });
  }
}

/**
 * A comma-separated flag's items; none when the flag is not given. Given but empty (`--models ""`, an unset shell
 * variable, `,`) is a usage error, never "all": an empty selection must not become every model of a live run. An
 * empty item among others (`stream.*,`, `a,,b`: a variable that expanded to nothing) is one too, as
 * `merge --expect-targets` says: what was meant there is not known.
 */
export function listFlag(raw: string | undefined, flag: string): string[] {
  if (raw === undefined) return [];
  const all = raw.split(',').map((s) => s.trim());
  const items = all.filter(Boolean);
  if (items.length === 0) throw usage(flag, `is empty (${JSON.stringify(raw)}); name at least one, or leave the flag out for all`);
  if (items.length < all.length) throw usage(flag, `${JSON.stringify(raw)} has an empty id (a variable that expanded to nothing?); give the ids separated by commas, none of them empty`);
  return items;
}

export async function resolveRunConfig(flags: RunFlags, root: string, harnessVersion: string): Promise<RunConfig> {
  const mode = (flags.mode ?? 'replay') as TargetMode;
  if (!['live', 'record', 'replay'].includes(mode)) throw usage('--mode', `"${flags.mode}" is not one of live, record, replay`);
  // Every flag that needs no file is checked first: a typo costs nothing.
  const numbers = {
    timeoutMs: intFlag('--timeout', flags.timeout, DEFAULTS.timeoutMs, RUN_RANGES['--timeout']),
    idleTimeoutMs: intFlag('--idle-timeout', flags.idleTimeout, DEFAULTS.idleTimeoutMs, RUN_RANGES['--idle-timeout']),
    maxBodyBytes: intFlag('--max-body-bytes', flags.maxBodyBytes, DEFAULTS.maxBodyBytes, RUN_RANGES['--max-body-bytes']),
    concurrency: intFlag('--concurrency', flags.concurrency, DEFAULTS.concurrency, RUN_RANGES['--concurrency']),
    modelConcurrency: intFlag('--model-concurrency', flags.modelConcurrency, DEFAULTS.modelConcurrency, RUN_RANGES['--model-concurrency']),
    tpm: intFlag('--tpm', flags.tpm, DEFAULTS.tpm, RUN_RANGES['--tpm']),
    retries: intFlag('--retries', flags.retries, DEFAULTS.retries, RUN_RANGES['--retries']),
    retryDelayMs: intFlag('--retry-delay', flags.retryDelay, DEFAULTS.retryDelayMs, RUN_RANGES['--retry-delay']),
    maxRequests: intFlag('--max-requests', flags.maxRequests, DEFAULTS.maxRequests, RUN_RANGES['--max-requests']),
    maxTokensTotal: intFlag('--max-tokens-total', flags.maxTokensTotal, DEFAULTS.maxTokensTotal, RUN_RANGES['--max-tokens-total']),
    // Checked in replay too (a typo is a typo), where it does nothing: a replay sends nothing to stop sending.
    giveUpAfter: intFlag('--give-up-after', flags.giveUpAfter, DEFAULTS.giveUpAfter, RUN_RANGES['--give-up-after']),
    repeat: intFlag('--repeat', flags.repeat, DEFAULTS.repeat, RUN_RANGES['--repeat']),
    maxErrors: intFlag('--max-errors', flags.maxErrors, DEFAULTS.maxErrors, RUN_RANGES['--max-errors']),
  };
  // Suites, catalog and expectations each from ./suites when it has them, else the bundled ones (input-files.ts).
  const { suitesDir, catalogFile } = await resolveSuitesAndCatalog(flags, root);
  refuseRecordOnly(flags, mode);
  const fixturesDir = await fixturesRoot(flags, mode, root);
  const reportDir = resolve(flags.reportDir ?? 'reports');
  const historyDir = flags.history !== undefined ? resolve(flags.history) : undefined;
  const { models, discover } = modelsFlag(flags.models);
  // Before anything is sent: a respelt catalog id would run ungated. Loaded only then (it reads the catalog and the checks).
  if (models.length) await (await import('./respelt-models.ts')).refuseRespeltModels(models, catalogFile);
  const regions = listFlag(flags.region, '--region');
  await checkRegions(regions, mode, fixturesDir);
  const auth = resolveAuth(flags);
  const targets = await resolveTargets(mode, regions, flags, fixturesDir);
  // A proxy variable that cannot be used (HTTPS_PROXY=ftp://...) stops a run that sends, before anything is sent.
  for (const target of targets) if (target.mode !== 'replay' && target.baseUrl) proxyFor(new URL(target.baseUrl));
  // One set of credentials goes to every target: never across trust domains (a Bedrock key to a vendor's gateway).
  refuseCrossedDomains(targets, auth);
  refuseDefaultKeyElsewhere(targets, auth, flags.apiKeyEnv !== undefined);
  // A signature is for a region: a --targets entry named other than by one has none, and --region may not be added.
  const unsigned = (auth.kind === 'sigv4' || auth.kind === 'token') && flags.targets !== undefined ? targets.find((t) => t.mode !== 'replay' && !t.region) : undefined;
  if (unsigned) throw usage('--targets', `--auth ${auth.kind} signs for a region, and target ${unsigned.id} names none: name it by the region its endpoint is in (${unsigned.surface}:us-east-1=URL)`);
  const runId = flags.runId !== undefined ? checkName(flags.runId, 'run id', '--run-id') : `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const expectationsFile = await resolveExpectationsOf(flags, suitesDir, root, catalogFile);
  const baselineFile = flags.baseline ? resolve(flags.baseline) : undefined;
  const notBaseline = baselineFile ? await whyNotAFile(baselineFile) : undefined;
  // A folder is the easy slip (an artifact downloaded into baseline/): the file in it is named.
  if (notBaseline) throw notAFileError('--baseline', baselineFile!, notBaseline, `give a matrix.json from an earlier run${notBaseline.why.startsWith('is a folder') ? ` (${baselineFile}/matrix.json, if that is the run)` : ''}`);
  const openapiFile = flags.openapi ? resolve(flags.openapi) : undefined;
  const notOpenapi = openapiFile ? await whyNotAFile(openapiFile) : undefined;
  if (notOpenapi) throw notAFileError('--openapi', openapiFile!, notOpenapi, "give the path of OpenAI's openapi.yaml");
  const source = flags.source ?? 'live';
  if (source !== 'live' && source !== 'emulator') throw usage('--source', `"${source}" is not live or emulator`);
  return {
    root,
    suitesDir,
    catalogFile,
    ...(expectationsFile ? { expectationsFile } : {}),
    ...(baselineFile ? { baselineFile } : {}),
    fixturesDir,
    ...(flags.fixturesRoot !== undefined ? { fixturesRoot: resolve(flags.fixturesRoot) } : {}),
    reportDir,
    ...(historyDir ? { historyDir } : {}),
    targets,
    auth,
    models,
    ...(discover ? { discover } : {}),
    checks: listFlag(flags.checks, '--checks'),
    ...numbers,
    recordSource: source,
    ...(flags.overwriteFailures ? { overwriteFailures: true } : {}),
    ...(openapiFile ? { openapiFile } : {}),
    harnessVersion,
    runId,
  };
}

/**
 * `--models`: ids (comma separated), or `listed` (every id the targets' model lists return), or `catalog+listed`
 * (those and every catalog model); `listed` may also be given with ids (`listed,my.model`).
 */
export function modelsFlag(raw: string | undefined): { models: string[]; discover?: 'listed' | 'catalog+listed' } {
  const items = listFlag(raw, '--models');
  const words = items.filter((i): i is 'listed' | 'catalog+listed' => i === 'listed' || i === 'catalog+listed');
  if (words.length > 1) throw usage('--models', 'give listed or catalog+listed, once');
  const models = items.filter((i) => i !== 'listed' && i !== 'catalog+listed');
  for (const id of models) checkName(id, 'model id', '--models');
  const discover = words[0];
  if (discover === 'catalog+listed' && models.length) throw usage('--models', 'catalog+listed already names every catalog model; drop the ids or use listed,<ids>');
  return { models, ...(discover ? { discover } : {}) };
}

/**
 * Why a `--header-env` header cannot be sent as given, when a header the harness sets itself would replace it or be
 * replaced by it: the auth's own (Authorization; SigV4's X-Amz-*), `--project`'s, the Messages API version.
 */
function headerClash(header: string, auth: string, project: boolean): string | undefined {
  if (auth !== 'none' && header === 'authorization') return `is set by --auth ${auth} itself; to send your own, add --auth none`;
  // SigV4 sets X-Amz-Date and the session token's header, and any other X-Amz-* added after it signed goes unsigned.
  if (auth === 'sigv4' && header.startsWith('x-amz-')) return 'is an X-Amz-* header, which --auth sigv4 sets or would leave unsigned; to send your own, add --auth none';
  if (header === 'openai-project' && project) return 'is set by --project too; give one of them';
  if (header === 'anthropic-version') return 'is set by the harness on every Messages request (2023-06-01)';
  // undici refuses it on a request through a proxy, and would send a proxy's token to the endpoint on one that goes direct.
  if (header === 'proxy-authorization') return "is the proxy's, not the endpoint's: the proxy's credentials go in the proxy variable (HTTPS_PROXY=http://user:password@host:port)";
  return undefined;
}

function resolveAuth(flags: RunFlags): AuthConfig {
  const kind = flags.auth ?? 'bearer';
  if (!['bearer', 'sigv4', 'token', 'none'].includes(kind)) throw usage('--auth', `"${kind}" is not one of bearer, sigv4, token, none`);
  // A value that is no variable name may be the key itself: never quoted (env-name-flags.ts).
  const apiKeyEnv = envNameFlag('--api-key-env', flags.apiKeyEnv ?? DEFAULTS.apiKeyEnv);
  const headerEnv = (flags.headerEnv ?? []).map((spec) => {
    const { header, env } = headerEnvSpec(spec);
    if (HEADER_ENV_REFUSED.has(header.toLowerCase())) throw usage('--header-env', `${header} frames the request (the harness sets it); name the header a gateway reads a credential from`);
    const clash = headerClash(header.toLowerCase(), kind, flags.project !== undefined);
    if (clash) throw usage('--header-env', `${header} ${clash}`);
    // The variable's value is checked when it is read (create-auth.ts), without ever printing it.
    return { header, env };
  });
  // A file given by mistake (a .env) may hold these variables' values: its messages must not quote them (key-shapes.ts).
  keysReadFrom(apiKeyEnv, ...headerEnv.map((entry) => entry.env));
  // Two values for one header (names are case-insensitive): the last would win without a word.
  const twice = headerEnv.find((entry, at) => headerEnv.findIndex((other) => other.header.toLowerCase() === entry.header.toLowerCase()) !== at);
  if (twice) throw usage('--header-env', `${twice.header} is given twice; give each header once`);
  // OpenAI-Project goes on every request as it is: a line break would fail each one as a connection error.
  // An empty --project would send no header at all (silently the default project): say so rather than run without it.
  const projectProblem = flags.project === undefined ? undefined : flags.project.trim() === '' ? 'is empty' : headerValueProblem(flags.project);
  if (projectProblem) throw usage('--project', `${JSON.stringify(flags.project)} ${projectProblem}; give the project id alone (e.g. proj_abc123)`);
  // A profile names AWS credentials: with a key or no auth it would be ignored without a word.
  if (flags.profile !== undefined && kind !== 'sigv4' && kind !== 'token') throw usage('--profile', `names AWS credentials, which --auth ${kind} does not use; add --auth sigv4 (or --auth token), or drop --profile`);
  return {
    kind: kind as AuthConfig['kind'],
    apiKeyEnv,
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.project ? { project: flags.project } : {}),
    ...(headerEnv.length ? { headerEnv } : {}),
  };
}
