/**
 * @module checks/sdk-quiet
 * Keeping the official SDKs from writing to the console while they judge an answer. What they would print is the
 * endpoint's text (the event that did not parse, whole answers at debug level), and endpoint text never reaches a
 * console line raw: it may carry terminal escapes or GitHub workflow commands (`::error file=...::`). The verdict
 * already says what the SDK made of the answer, so nothing is lost.
 */

const ignore = (): void => undefined;

/**
 * Client options that turn an SDK's own logging off. Both are set: `logLevel` given in the options wins over
 * OPENAI_LOG / ANTHROPIC_LOG in the environment, and a logger that drops everything holds whatever the level.
 */
export const SILENT_SDK = { logLevel: 'off', logger: { error: ignore, warn: ignore, info: ignore, debug: ignore } } as const;

/** SDK judges in progress. */
let judging = 0;
const LEVELS = ['error', 'warn', 'log', 'info', 'debug'] as const;
const guards = new WeakSet<object>();

/**
 * Runs `work` with console output dropped while it runs. The logger option does not reach every write: openai's
 * stream parser prints a `thread.*` event that does not parse with `console.error` itself, and no client option
 * turns that off. The harness writes nothing to the console itself (its output goes to its own streams), so what
 * is dropped while a judge runs is the SDKs'. A counter, not an AsyncLocalStorage: on Node 20 that turns on async
 * hooks for every promise of the process, and a live run's CPU went up by half. The guard is checked on every
 * call, not once, so a console method replaced since (a test's spy, a reporter) is guarded again.
 */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  for (const level of LEVELS) {
    const current = console[level];
    if (guards.has(current)) continue;
    const guard = (...args: unknown[]): void => {
      if (judging === 0) current.apply(console, args);
    };
    guards.add(guard);
    console[level] = guard;
  }
  judging += 1;
  try {
    return await work();
  } finally {
    judging -= 1;
  }
}
