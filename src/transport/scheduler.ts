/**
 * @module transport/scheduler
 * Who may send now. A request acquires a permit first: at most `concurrency` in flight in the run, at most
 * `perModel` per (target, model), an optional token budget per model per minute (prompt estimate + requested max
 * tokens, the way Mantle's quota counts), and spend caps for the whole run. The token cap is a ceiling: a request is
 * counted at its estimate while in flight (reserved when granted, settled to the usage its answer reports when it
 * ends; one that reports none stays at the estimate: transport/usage.ts countedUsage), and goes only when its estimate
 * fits in what is left; one whose estimate alone does not fit is denied. Reaching a cap or stopping the run denies
 * every later request: those cells become `skipped` with the reason. A target that stopped answering
 * (endpoint-breaker.ts) is stopped alone: its requests are denied, the other targets' go on.
 */
import type { HarnessErrorCode } from '../errors.ts';

export interface PermitRequest {
  target: string;
  model: string;
  /** Prompt estimate + requested max tokens. */
  tokens: number;
  /** A retry of a request already sent. */
  retry?: boolean;
  /** The case it belongs to: named when its estimate does not fit under --max-tokens-total. */
  caseId?: string;
}

/** A request --max-tokens-total denied because its estimate is more than what is left under the cap. */
export interface Unfit {
  tokens: number;
  /** The cap less what the run had spent when it was denied. */
  room: number;
  cap: number;
}

export type Permit = { granted: true; lease: string } | { granted: false; code: HarnessErrorCode; message: string; unfit?: Unfit };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Tokens counted at an estimate: the answer reported none, or was cut before it said all (usage.ts). */
  estimatedTokens?: number;
}

export interface Figures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Tokens of answers that reported no usage, counted at an estimate toward --max-tokens-total, and how many. */
  estimatedTokens: number;
  estimatedRequests: number;
  /** Requests held back by the token window (--tpm) when the queue was last looked at: the progress line says so. */
  waitingOnTpm: number;
  inFlight: number;
  peakInFlight: number;
}

/** The interface targets use; implemented in-process here and over loopback for vitest workers. */
export interface Scheduler {
  acquire(request: PermitRequest, signal?: AbortSignal): Promise<Permit>;
  release(lease: string, usage: Usage): Promise<void>;
}

export interface SchedulerLimits {
  /** Requests in flight at most, whole run. */
  concurrency: number;
  /** Requests in flight at most per (target, model). */
  perModel: number;
  /** Tokens per model per minute; 0 = no budget. */
  tpm: number;
  /** Requests at most, whole run; 0 = no cap. */
  maxRequests: number;
  /**
   * Tokens at most, whole run (reported usage, else the request's estimate); 0 = no cap. A ceiling on estimates: a
   * request goes only when the spent, the estimates in flight and its own fit under it.
   */
  maxTokensTotal: number;
}

interface Waiter {
  request: PermitRequest;
  resolve(permit: Permit): void;
}

const WINDOW_MS = 60_000;

/**
 * ` (counting K request(s) that reported no usage at an estimate, E tokens)`, or '' when none did: said, or a run
 * whose endpoint reports no usage would seem stopped by tokens it never reported.
 */
export function estimatedWords(figures: Pick<Figures, 'estimatedTokens' | 'estimatedRequests'>): string {
  return figures.estimatedRequests > 0 ? ` (counting ${figures.estimatedRequests} request(s) that reported no usage at an estimate, ${figures.estimatedTokens} tokens)` : '';
}

export class LocalScheduler implements Scheduler {
  readonly #limits: SchedulerLimits;
  readonly #now: () => number;
  readonly #queue: Waiter[] = [];
  readonly #inFlightByModel = new Map<string, number>();
  readonly #window = new Map<string, { at: number; tokens: number }[]>();
  readonly #leases = new Map<string, PermitRequest>();
  #timer: NodeJS.Timeout | undefined;
  #stopped: { code: HarnessErrorCode; message: string } | undefined;
  /** Targets stopped alone (an endpoint that stopped answering), and why. */
  readonly #stoppedTargets = new Map<string, { code: HarnessErrorCode; message: string }>();
  #nextLease = 0;
  /** Estimates of the requests in flight under --max-tokens-total, until their answers settle them. */
  #reserved = 0;
  readonly figures: Figures = { requests: 0, inputTokens: 0, outputTokens: 0, estimatedTokens: 0, estimatedRequests: 0, waitingOnTpm: 0, inFlight: 0, peakInFlight: 0 };

  constructor(limits: SchedulerLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  acquire(request: PermitRequest, signal?: AbortSignal): Promise<Permit> {
    // Denied at once: in the queue it would wait for a free slot only to be denied then.
    const down = this.#stoppedTargets.get(request.target);
    if (down) return Promise.resolve({ granted: false, ...down });
    return new Promise((resolve) => {
      const waiter: Waiter = { request, resolve };
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.#queue.indexOf(waiter);
          if (index !== -1) {
            this.#queue.splice(index, 1);
            resolve({ granted: false, code: 'HARNESS_INTERRUPTED', message: 'the run was interrupted before this request was sent' });
          }
        },
        { once: true },
      );
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  async release(lease: string, usage: Usage): Promise<void> {
    const request = this.#leases.get(lease);
    if (!request) return;
    this.#leases.delete(lease);
    this.figures.inFlight -= 1;
    if (this.#limits.maxTokensTotal > 0) this.#reserved -= request.tokens;
    const key = `${request.target}/${request.model}`;
    this.#inFlightByModel.set(key, (this.#inFlightByModel.get(key) ?? 1) - 1);
    this.figures.inputTokens += usage.inputTokens;
    this.figures.outputTokens += usage.outputTokens;
    if (usage.estimatedTokens) {
      this.figures.estimatedTokens += usage.estimatedTokens;
      this.figures.estimatedRequests += 1;
    }
    this.#pump();
  }

  /** Deny everything still waiting and everything after (Ctrl-C, a fatal error). */
  stop(code: HarnessErrorCode, message: string): void {
    this.#stopped = { code, message };
    this.#pump();
  }

  /**
   * Deny every request to one target, waiting or later; the other targets' are not touched. Those in flight finish
   * as they do.
   */
  stopTarget(target: string, code: HarnessErrorCode, message: string): void {
    if (this.#stoppedTargets.has(target)) return;
    const denial = { code, message };
    this.#stoppedTargets.set(target, denial);
    // Every waiting request to it, wherever it stands: #pump stops looking once the run's slots are full.
    for (let i = 0; i < this.#queue.length; ) {
      const waiter = this.#queue[i]!;
      if (waiter.request.target !== target) {
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      waiter.resolve({ granted: false, ...denial });
    }
    this.#pump();
  }

  #cap(request: PermitRequest): { code: HarnessErrorCode; message: string; unfit?: Unfit } | undefined {
    if (this.#stopped) return this.#stopped;
    const target = this.#stoppedTargets.get(request.target);
    if (target) return target;
    const { maxRequests, maxTokensTotal } = this.#limits;
    if (maxRequests > 0 && this.figures.requests >= maxRequests) {
      return { code: 'HARNESS_BUDGET', message: `not sent: the run reached --max-requests ${maxRequests}` };
    }
    if (maxTokensTotal <= 0) return undefined;
    const estimated = estimatedWords(this.figures);
    const room = maxTokensTotal - this.#spent();
    if (room <= 0) return { code: 'HARNESS_BUDGET', message: `not sent: the run reached --max-tokens-total ${maxTokensTotal}${estimated}` };
    // Sent, it might spend more than the cap leaves even with nothing else in flight: waiting would not make room.
    if (request.tokens > room) {
      const unfit = { tokens: request.tokens, room, cap: maxTokensTotal };
      return { code: 'HARNESS_BUDGET', message: `not sent: its estimate, ${request.tokens} tokens, is more than the ${room} left under --max-tokens-total ${maxTokensTotal}${estimated}`, unfit };
    }
    return undefined;
  }

  #spent(): number {
    return this.figures.inputTokens + this.figures.outputTokens + this.figures.estimatedTokens;
  }

  /** It fits under --max-tokens-total alone, not beside the estimates in flight: it waits for them to settle. */
  #heldByCap(request: PermitRequest): boolean {
    const cap = this.#limits.maxTokensTotal;
    return cap > 0 && this.#spent() + this.#reserved + request.tokens > cap;
  }

  #pump(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    let earliestRetry = Infinity;
    let waitingOnTpm = 0;
    for (let i = 0; i < this.#queue.length; ) {
      const waiter = this.#queue[i]!;
      const cap = this.#cap(waiter.request);
      if (cap) {
        this.#queue.splice(i, 1);
        waiter.resolve({ granted: false, ...cap });
        continue;
      }
      if (this.figures.inFlight >= this.#limits.concurrency) break;
      const key = `${waiter.request.target}/${waiter.request.model}`;
      if ((this.#inFlightByModel.get(key) ?? 0) >= this.#limits.perModel) {
        i += 1;
        continue;
      }
      if (this.#heldByCap(waiter.request)) {
        i += 1;
        continue;
      }
      const wait = this.#budgetWait(waiter.request);
      if (wait > 0) {
        earliestRetry = Math.min(earliestRetry, wait);
        waitingOnTpm += 1;
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#grant(waiter, key);
    }
    this.figures.waitingOnTpm = waitingOnTpm;
    // Ref'd: requests waiting for the token window may be all the run has left to do, and an unref'd timer let the
    // event loop empty (the process exited 13, with no reports). It is cleared whenever the queue is pumped.
    if (earliestRetry !== Infinity && this.#queue.length > 0) this.#timer = setTimeout(() => this.#pump(), earliestRetry);
  }

  /** Milliseconds until the model's token window has room for this request (0 = now). */
  #budgetWait(request: PermitRequest): number {
    if (this.#limits.tpm <= 0) return 0;
    const now = this.#now();
    const window = (this.#window.get(request.model) ?? []).filter((entry) => entry.at > now - WINDOW_MS);
    this.#window.set(request.model, window);
    let used = window.reduce((sum, entry) => sum + entry.tokens, 0);
    // A request bigger than the whole budget would wait forever; let it through alone (one per model per minute:
    // the run warns of it at the start, tpm-warning.ts).
    if (used + request.tokens <= this.#limits.tpm || window.length === 0) return 0;
    for (const entry of window) {
      used -= entry.tokens;
      if (used + request.tokens <= this.#limits.tpm) return entry.at + WINDOW_MS - now + 1;
    }
    return WINDOW_MS;
  }

  #grant(waiter: Waiter, key: string): void {
    const lease = String(++this.#nextLease);
    this.#leases.set(lease, waiter.request);
    this.#inFlightByModel.set(key, (this.#inFlightByModel.get(key) ?? 0) + 1);
    this.figures.inFlight += 1;
    this.figures.peakInFlight = Math.max(this.figures.peakInFlight, this.figures.inFlight);
    this.figures.requests += 1;
    if (this.#limits.maxTokensTotal > 0) this.#reserved += waiter.request.tokens;
    if (this.#limits.tpm > 0) {
      const window = this.#window.get(waiter.request.model) ?? [];
      window.push({ at: this.#now(), tokens: waiter.request.tokens });
      this.#window.set(waiter.request.model, window);
    }
    waiter.resolve({ granted: true, lease });
  }
}
