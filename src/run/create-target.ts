/**
 * @module run/create-target
 * Turns a target's config into the Target that sends (or replays) its requests. Live and record send through
 * retries, then the run's scheduler, then HTTP, and tell the run's endpoint breaker how each request ended; replay
 * answers from fixtures and needs none of them. Each stack is
 * loaded when a run needs it: a replay never loads the HTTP client or the AWS credential chain.
 */
import { SURFACE_RULES } from '../surfaces.ts';
import type { EndpointBreaker } from '../transport/endpoint-breaker.ts';
import type { Scheduler } from '../transport/scheduler.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { MaxOutputOf } from '../transport/scheduled-target.ts';
import type { Target } from '../transport/target.ts';
import { otherModelUnlikeBefore } from './other-model-answers-kept.ts';
import type { RunConfig, TargetConfig } from './run-config.ts';

/** What the catalog says of the run's models, for the live and record targets. */
export interface TargetCatalog {
  /** Each model's maximum output where known (output-ceiling.ts): the scheduler counts a request that states no maximum at it. */
  maxOutputOf?: MaxOutputOf;
  /** The catalog's ids: an answer in another one's name is kept out of a recording (other-model-answers-kept.ts). */
  catalogModels?: readonly string[];
}

/**
 * `scheduler` is the run's one scheduler, `breaker` its endpoint breaker (none with --give-up-after 0); replay needs
 * neither. `onRouteRefused` hears of a route that refused the credentials another route accepted (route-credentials.ts),
 * and of a spend budget the gateway says is spent (budget-refusals.ts). `catalog` is what the run's catalog says of its models (TargetCatalog).
 */
export async function createTarget(
  target: TargetConfig,
  config: RunConfig,
  scheduler: Scheduler | undefined,
  breaker?: EndpointBreaker,
  onRouteRefused?: (message: string) => void,
  catalog: TargetCatalog = {},
): Promise<Target> {
  const { maxOutputOf, catalogModels } = catalog;
  if (target.mode === 'replay') {
    const [{ ReplayTarget }, { BudgetRefusalsTarget }] = await Promise.all([import('../transport/replay-target.ts'), import('./budget-refusals.ts')]);
    // A spent budget an older version recorded as the gateway's answer replays as this version reads it live: an
    // error that fails the gate, not a 400 the checks could not observe. Recorded text was redacted when recorded.
    return new BudgetRefusalsTarget(new ReplayTarget(target.id, config.fixturesDir, target.surface, target.recordedFor), { redact: (text) => text, replayed: true, ...(onRouteRefused ? { onRefused: onRouteRefused } : {}) });
  }
  if (!scheduler) throw new Error(`target ${target.id} sends requests: it needs the run's scheduler`);
  const [{ targetAuth }, { LiveTarget }, { RecordTarget }, { RetryingTarget, MAX_RETRY_WAIT_MS }, { ScheduledTarget }, { watchRouteCredentials }, { redactorFor }, { BudgetRefusalsTarget }, { proxySecrets }, { secretsOfQuery }] = await Promise.all([
    import('./target-auth.ts'),
    import('../transport/live-target.ts'),
    import('../transport/record-target.ts'),
    import('../transport/retrying-target.ts'),
    import('../transport/scheduled-target.ts'),
    import('./route-credentials.ts'),
    import('../transport/http-exchange.ts'),
    import('./budget-refusals.ts'),
    import('../transport/proxy.ts'),
    import('../transport/request-secrets.ts'),
  ]);
  // SigV4 signs for the surface's service: bedrock-mantle on Mantle, bedrock on bedrock-runtime.
  const auth = targetAuth(config, target);
  const live = new LiveTarget(target.id, {
    baseUrl: target.baseUrl!,
    auth,
    timeoutMs: config.timeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.auth.project ? { headers: { 'openai-project': config.auth.project } } : {}),
  }, target.surface);
  // The breaker hears of each request once it is over, retries and all: it counts requests, not attempts.
  const settled = breaker ? { settled: (exchange: Exchange, answered: boolean) => breaker.settled(target.id, exchange, answered) } : {};
  const retrying = new RetryingTarget(new ScheduledTarget(live, scheduler, maxOutputOf), { retries: config.retries, baseDelayMs: config.retryDelayMs, maxDelayMs: MAX_RETRY_WAIT_MS, maxRetryAfterMs: MAX_RETRY_WAIT_MS, ...settled });
  const redact = (text: string) => redactorFor(auth).text(text).value;
  // A spent gateway budget is its requests' error, never a refused key: below the route-credentials watch.
  const budgeted = new BudgetRefusalsTarget(retrying, { redact, ...(onRouteRefused ? { onRefused: onRouteRefused } : {}) });
  // Below the recorder: a route's refusal of the credentials is an infrastructure failure, recorded only where the
  // case has no recording yet (as any outage), so that replay shows the same error.
  const sending = watchRouteCredentials(target, budgeted, {
    auth: config.auth,
    redact,
    primaryPrefix: SURFACE_RULES[target.surface].openaiPrefixes[0]!,
    ...(onRouteRefused ? { onRefused: onRouteRefused } : {}),
  });
  if (target.mode === 'live') return sending;
  // Which --suites folder the cases came from: `fixtures prune` removes a recording only when it is the folder it reads.
  const suites = await (await import('./suites-ownership.ts')).runSuitesLabel(config);
  const [{ KeptCasesTarget }, { KEPT_LISTED }, { recordingSite }] = await Promise.all([import('../transport/kept-cases.ts'), import('../report/merge-targets.ts'), import('../transport/recorded-surface.ts')]);
  // The cases it keeps unrecorded are the run's to tell the gate (matrix.json targets[].recordingKept), whatever the cells say.
  return new KeptCasesTarget(new RecordTarget(
    sending,
    {
      fixturesDir: config.fixturesDir,
      overwriteFailures: config.overwriteFailures ?? false,
      ...(catalogModels?.length ? { otherModel: (exchanges, model, before) => otherModelUnlikeBefore(exchanges, model, catalogModels, before) } : {}),
      provenance: {
        source: config.recordSource,
        // Target, host, region, surface and site: what run-command checked the folder against (one site per folder).
        ...recordingSite(target, config.recordSource),
        harnessVersion: config.harnessVersion,
        ...(suites !== undefined ? { suites } : {}),
      },
    },
    // The last net before a fixture is written looks for the proxies' passwords too, and for the --endpoint query's
    // values named like credentials (`?api-key=`: pieces too, as the redactor does; not a `whole` one's pieces).
    () => [...auth.secrets(), ...proxySecrets(), ...secretsOfQuery(new URL(target.baseUrl!)).filter((secret) => !secret.whole)],
  ), config.fixturesDir, KEPT_LISTED);
}
