/**
 * @module run/cap-watch
 * The run's scheduler, watched: the first request a spend cap denies is remembered (and the largest whose estimate did
 * not fit under --max-tokens-total), and the requests denied to a
 * target that stopped answering are counted, so that a run that left cells unsent is reported partial instead of
 * looking complete (and one that gave up on a target with nothing left to send is not).
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { Figures, LocalScheduler, Permit, PermitRequest, Scheduler, Unfit, Usage } from '../transport/scheduler.ts';

export class CapWatch implements Scheduler {
  readonly #inner: LocalScheduler;
  /** The cap's message (`not sent: the run reached --max-requests 20`) once a request was denied because one was reached. */
  capReached: string | undefined;
  /** The largest request --max-tokens-total denied because its estimate was more than what was left, and whose. */
  unfit: (Unfit & { caseId?: string; model: string }) | undefined;
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
      if (!permit.unfit) this.capReached ??= permit.message;
      else if (!this.unfit || permit.unfit.tokens > this.unfit.tokens) this.unfit = { ...permit.unfit, model: request.model, ...(request.caseId === undefined ? {} : { caseId: request.caseId }) };
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
