/**
 * @module transport/endpoint-breaker
 * Gives up on a target that stopped answering (`--give-up-after n`). A request that ends, after all its retries,
 * with no answer at all (a timeout before any status line, a refused or reset connection, a name that does not
 * resolve) counts against its target; any answer (any status, a 408, 429 or 5xx included, a stream that began and
 * stalled) sets the count back to 0. The target is down at n in a row once it has also been silent for at least
 * `--timeout`: the requests of slow models time out together, on one retry schedule, and end in a burst that no
 * healthy model's answer falls inside, while a dead endpoint has answered nothing for that long. Then the scheduler
 * denies its waiting and later requests (HARNESS_ENDPOINT_DOWN: their cells are `error`, never a verdict) while the
 * other targets of the run go on. Without it, a dead endpoint cost every request its --timeout times its attempts:
 * the better part of an hour per model before a CI job learned anything. A proxy that refuses to carry the requests
 * (closes or resets them before the tunnel opens, refuses the login) fails them at once, never reaching the
 * endpoint: a row of those, once the target has answered nothing for --timeout, is said as the proxy's refusal.
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { Exchange } from './exchange.ts';
import { proxyRefusedTunnel } from './proxy-refusals.ts';

/** The code of a request the breaker kept from being sent. */
export const ENDPOINT_DOWN: HarnessErrorCode = 'HARNESS_ENDPOINT_DOWN';

/**
 * What a request that nothing answered ends with (http-exchange.ts): the deadline passed before any status line,
 * or the connection failed (refused, reset before the headers, DNS). A 408 is a HARNESS_TIMEOUT too, but it came
 * with a response: something answered.
 */
const SILENT: ReadonlySet<HarnessErrorCode> = new Set(['HARNESS_TIMEOUT', 'HARNESS_CONNECTION']);

/**
 * How a finished request reads for the breaker. `answered`: some attempt got a status line (retrying-target.ts
 * says so: the last attempt may have timed out after an earlier one got a 503). `neither`: it was not sent (a
 * spend cap, Ctrl-C, this breaker) or failed before it left (credentials): that says nothing about the endpoint.
 */
export function readingOf(exchange: Exchange, answered: boolean): 'answered' | 'silent' | 'neither' {
  if (answered || exchange.response !== null) return 'answered';
  if (exchange.error && SILENT.has(exchange.error.code)) return 'silent';
  return 'neither';
}

/** The reason of a request not sent to a target whose proxy refused to carry `limit` requests in a row. */
export function proxyRefusedMessage(target: string, limit: number, proxy: string): string {
  return `not sent: the proxy ${proxy} refused to carry the requests to ${target}: ${limit} request${limit === 1 ? '' : 's'} in a row ended with the proxy closing or resetting the connection before the tunnel opened, or refusing the login, so the endpoint was never reached; check the proxy's access rules and the credentials in the proxy's variable (the cells' errors say which), or pass --give-up-after 0 to never stop`;
}

/** A target the breaker gave up on. */
export interface TargetDown {
  target: string;
  /** The reason its unsent requests carry (and the cells that needed them). */
  message: string;
}

/** The reason of a request not sent to a target that stopped answering: what happened, and the fixes. */
export function endpointDownMessage(target: string, limit: number, silentMs: number, proxy?: string): string {
  // Through a proxy, a proxy that hangs its tunnels reads the same as an endpoint that stopped: both are named.
  const via = proxy ? ` through the proxy ${proxy}` : '';
  return `not sent: ${target} stopped answering${via}: ${limit} request${limit === 1 ? '' : 's'} in a row ended without an answer (timeouts, refused or reset connections), and nothing answered for ${(silentMs / 1000).toFixed(silentMs < 10_000 ? 1 : 0)} s; check the endpoint${proxy ? ' and the proxy too' : ''}, raise --timeout for slow (reasoning) models or cold starts, or pass --give-up-after 0 to never stop`;
}

export interface BreakerOptions {
  /** Requests in a row with no answer (`--give-up-after`, >= 1: 0 means no breaker, and the run makes none). */
  limit: number;
  /** How long the target must also have been silent (`--timeout`): a burst of slow models' timeouts is not it. */
  silentMs: number;
  /** The proxy a target's requests go through, as messages name it (`proxy.corp:3128 (from HTTPS_PROXY)`), if any. */
  proxyOf?(target: string): string | undefined;
  /** Called once per target, when it goes down. */
  onDown(down: TargetDown): void;
  /** For tests: the clock. @default Date.now */
  now?(): number;
}

export class EndpointBreaker {
  readonly #options: BreakerOptions;
  readonly #now: () => number;
  /** Requests in a row per target that ended without an answer. */
  readonly #inARow = new Map<string, number>();
  /** Of those, the last ones in a row that the proxy refused to carry. */
  readonly #refusedInARow = new Map<string, number>();
  /** When each target last answered anything (the run's start until it does). */
  readonly #lastAnswer = new Map<string, number>();
  readonly #started: number;
  readonly #down = new Map<string, TargetDown>();

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
  }

  /** The targets given up on, in the order they went down. */
  get down(): readonly TargetDown[] {
    return [...this.#down.values()];
  }

  /** A request to `target` ended (after its retries); `answered`: some attempt of it got a status line. */
  settled(target: string, exchange: Exchange, answered: boolean): void {
    // Those in flight when it went down finish as they do; an answer among them does not undo it (the rest of the
    // run was already denied, and a flapping endpoint is no better a target).
    if (this.#down.has(target)) return;
    const reading = readingOf(exchange, answered);
    if (reading === 'neither') return;
    const now = this.#now();
    if (reading === 'answered') {
      this.#inARow.set(target, 0);
      this.#refusedInARow.set(target, 0);
      this.#lastAnswer.set(target, now);
      return;
    }
    const inARow = (this.#inARow.get(target) ?? 0) + 1;
    this.#inARow.set(target, inARow);
    const refused = proxyRefusedTunnel(exchange.error) ? (this.#refusedInARow.get(target) ?? 0) + 1 : 0;
    this.#refusedInARow.set(target, refused);
    const proxy = this.#options.proxyOf?.(target);
    const silentMs = now - (this.#lastAnswer.get(target) ?? this.#started);
    // A row of proxy refusals waits for the same silence as any row: a proxy restarting for a second refuses a burst
    // of requests, then carries them again. Only the words differ: the proxy's refusal, not a cold start.
    if (inARow < this.#options.limit || silentMs < this.#options.silentMs) return;
    const proxyRefused = proxy !== undefined && refused >= this.#options.limit;
    const message = proxyRefused ? proxyRefusedMessage(target, this.#options.limit, proxy) : endpointDownMessage(target, this.#options.limit, silentMs, proxy);
    const gone: TargetDown = { target, message };
    this.#down.set(target, gone);
    this.#options.onDown(gone);
  }
}
