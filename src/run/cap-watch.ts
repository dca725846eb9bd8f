/**
 * @module run/cap-watch
 * The run's scheduler, watched: the first request a spend cap denies is remembered, so that a run whose cap left
 * cells unsent is reported partial instead of looking complete.
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { Figures, LocalScheduler, Permit, PermitRequest, Scheduler, Usage } from '../transport/scheduler.ts';

export class CapWatch implements Scheduler {
  readonly #inner: LocalScheduler;
  /** The cap's message (`not sent: the run reached --max-requests 20`) once a request was denied by one. */
  capReached: string | undefined;
  /** Requests a spend cap denied. */
  denied = 0;

  constructor(inner: LocalScheduler) {
    this.#inner = inner;
  }

  get figures(): Figures {
    return this.#inner.figures;
  }

  async acquire(request: PermitRequest, signal?: AbortSignal): Promise<Permit> {
    const permit = await this.#inner.acquire(request, signal);
    if (!permit.granted && permit.code === 'HARNESS_BUDGET') {
      this.capReached ??= permit.message;
      this.denied += 1;
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
