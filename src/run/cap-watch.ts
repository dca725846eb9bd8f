/**
 * @module run/cap-watch
 * The run's scheduler, watched: the first request a spend cap denies is remembered, and the requests denied to a
 * target that stopped answering are counted, so that a run that left cells unsent is reported partial instead of
 * looking complete (and one that gave up on a target with nothing left to send is not).
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { Figures, LocalScheduler, Permit, PermitRequest, Scheduler, Usage } from '../transport/scheduler.ts';

export class CapWatch implements Scheduler {
  readonly #inner: LocalScheduler;
  /** The cap's message (`not sent: the run reached --max-requests 20`) once a request was denied by one. */
  capReached: string | undefined;
  /** Requests a spend cap denied. */
  denied = 0;
  /** Requests never sent, per target that stopped answering (endpoint-breaker.ts): a retry denied is not one. */
  readonly deniedDown = new Map<string, number>();

  constructor(inner: LocalScheduler) {
    this.#inner = inner;
  }

  get figures(): Figures {
    return this.#inner.figures;
  }

  async acquire(request: PermitRequest, signal?: AbortSignal): Promise<Permit> {
    const permit = await this.#inner.acquire(request, signal);
    // A retry denied leaves no request unsent: the request keeps what its last attempt met (retrying-target.ts).
    if (!permit.granted && permit.code === 'HARNESS_BUDGET' && !request.retry) {
      this.capReached ??= permit.message;
      this.denied += 1;
    }
    if (!permit.granted && permit.code === 'HARNESS_ENDPOINT_DOWN' && !request.retry) this.deniedDown.set(request.target, (this.deniedDown.get(request.target) ?? 0) + 1);
    return permit;
  }

  release(lease: string, usage: Usage): Promise<void> {
    return this.#inner.release(lease, usage);
  }

  stop(code: HarnessErrorCode, message: string): void {
    this.#inner.stop(code, message);
  }

  stopTarget(target: string, code: HarnessErrorCode, message: string): void {
    this.#inner.stopTarget(target, code, message);
  }
}
