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
  /** Retries a spend cap denied: their requests were sent, and keep what their last attempt met (retrying-target.ts). */
  deniedRetries = 0;
  /** Per target that stopped answering (endpoint-breaker.ts): the requests never sent, and the retries not made. */
  readonly deniedDown = new Map<string, { requests: number; retries: number }>();

  constructor(inner: LocalScheduler) {
    this.#inner = inner;
  }

  get figures(): Figures {
    return this.#inner.figures;
  }

  async acquire(request: PermitRequest, signal?: AbortSignal): Promise<Permit> {
    const permit = await this.#inner.acquire(request, signal);
    if (permit.granted) return permit;
    // A retry denied is counted apart: its request was sent, and keeps what its last attempt met (retrying-target.ts).
    if (permit.code === 'HARNESS_BUDGET') {
      this.capReached ??= permit.message;
      if (request.retry) this.deniedRetries += 1;
      else this.denied += 1;
    }
    if (permit.code === 'HARNESS_ENDPOINT_DOWN') {
      const down = this.deniedDown.get(request.target) ?? { requests: 0, retries: 0 };
      if (request.retry) down.retries += 1;
      else down.requests += 1;
      this.deniedDown.set(request.target, down);
    }
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
