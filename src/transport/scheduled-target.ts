/**
 * @module transport/scheduled-target
 * Sends through a Scheduler: no request leaves before it holds a permit, and its token usage is reported back
 * when it ends. A denied permit (a spend cap, an interrupted run) becomes an exchange error that the runner turns
 * into `skipped`.
 */
import type { Exchange, ExchangeRequest } from './exchange.ts';
import type { Scheduler } from './scheduler.ts';
import type { SendContext, Target } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';
import { usageOf } from './usage.ts';

/** Requests that do not say how many tokens they may produce are budgeted at this. */
export const UNSTATED_MAX_TOKENS = 4096;

export function estimateTokens(request: ExchangeRequest, maxTokens: number | undefined): number {
  // About four characters per token for the prompt; the output at its stated maximum.
  return Math.ceil((request.body?.length ?? 0) / 4) + (maxTokens ?? (request.method === 'POST' ? UNSTATED_MAX_TOKENS : 0));
}

export class ScheduledTarget extends TargetDecorator {
  readonly #scheduler: Scheduler;

  constructor(inner: Target, scheduler: Scheduler) {
    super(inner);
    this.#scheduler = scheduler;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const permit = await this.#scheduler.acquire({ target: this.id, model: context.model, tokens: estimateTokens(request, context.maxTokens), ...(context.retry ? { retry: true } : {}) }, context.signal);
    if (!permit.granted) {
      return { step: context.step, prefix: context.prefix, request, response: null, error: { code: permit.code, message: permit.message }, durationMs: 0, attempts: 0 };
    }
    let exchange: Exchange | undefined;
    try {
      exchange = await this.inner.send(request, context);
      return exchange;
    } finally {
      const used = exchange ? usageOf(exchange) : { input: 0, output: 0 };
      await this.#scheduler.release(permit.lease, { inputTokens: used.input, outputTokens: used.output });
    }
  }
}
