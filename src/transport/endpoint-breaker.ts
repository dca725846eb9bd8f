/**
 * @module transport/endpoint-breaker
 * Gives up on a target that stopped answering (`--give-up-after n`). A request that ends, after all its retries,
 * with no answer at all (a timeout before any status line, a refused or reset connection, a name that does not
 * resolve) counts against its target; any answer (any status, a 408, 429 or 5xx included, a stream that began and
 * stalled) sets the count back to 0. At n in a row the target is down: the scheduler denies its waiting and later
 * requests (HARNESS_ENDPOINT_DOWN: their cells are `error`, never a verdict) while the other targets of the run go
 * on, and the run is partial. Without it, a dead endpoint cost every request its --timeout times its attempts: the
 * better part of an hour per model before a CI job learned anything.
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { Exchange } from './exchange.ts';

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

/** A target the breaker gave up on. */
export interface TargetDown {
  target: string;
  /** The reason its unsent requests carry (and the cells that needed them). */
  message: string;
  /** Requests to it that were not sent because of it, so far. */
  notSent: number;
}

/** The reason of a request not sent to a target that stopped answering: what happened, and the fixes. */
export function endpointDownMessage(target: string, limit: number): string {
  return `not sent: ${target} stopped answering: ${limit} request${limit === 1 ? '' : 's'} in a row ended without an answer (timeouts, refused or reset connections); check the endpoint, raise --timeout for slow cold starts, or pass --give-up-after 0 to never stop`;
}

export class EndpointBreaker {
  readonly #limit: number;
  readonly #onDown: (down: TargetDown) => void;
  /** Requests in a row per target that ended without an answer. */
  readonly #inARow = new Map<string, number>();
  readonly #down = new Map<string, TargetDown>();

  /** `limit` >= 1 (0 means no breaker: the run makes none). `onDown` is called once per target, when it goes down. */
  constructor(limit: number, onDown: (down: TargetDown) => void) {
    this.#limit = limit;
    this.#onDown = onDown;
  }

  /** The targets given up on, in the order they went down. */
  get down(): readonly TargetDown[] {
    return [...this.#down.values()];
  }

  /** A request to `target` ended (after its retries); `answered`: some attempt of it got a status line. */
  settled(target: string, exchange: Exchange, answered: boolean): void {
    const down = this.#down.get(target);
    if (down) {
      // Counted only when nothing of it went out: a request whose retry was denied was sent once already.
      if (exchange.error?.code === ENDPOINT_DOWN && exchange.attempts === 0) down.notSent += 1;
      // Those in flight when it went down finish as they do; an answer among them does not undo it (the rest of
      // the run was already denied, and a flapping endpoint is no better a target).
      return;
    }
    const reading = readingOf(exchange, answered);
    if (reading === 'neither') return;
    if (reading === 'answered') {
      this.#inARow.set(target, 0);
      return;
    }
    const inARow = (this.#inARow.get(target) ?? 0) + 1;
    this.#inARow.set(target, inARow);
    if (inARow < this.#limit) return;
    const gone: TargetDown = { target, message: endpointDownMessage(target, this.#limit), notSent: 0 };
    this.#down.set(target, gone);
    this.#onDown(gone);
  }
}
