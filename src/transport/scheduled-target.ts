/**
 * @module transport/scheduled-target
 * Sends through a Scheduler: no request leaves before it holds a permit, and its token usage is reported back
 * when it ends (an answer that reports none counts at the request's estimate: usage.ts countedUsage). A denied
 * permit (a spend cap, an interrupted run) becomes an exchange error that the runner turns into `skipped`.
 */
import type { Exchange, ExchangeRequest } from './exchange.ts';
import type { Scheduler } from './scheduler.ts';
import type { SendContext, Target } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';
import { isRecord } from './body.ts';
import { CountedResponses, countedUsage, isTokenCount, responseIdOf } from './usage.ts';

/** A request that states no maximum, for a model whose maximum output the harness does not know, is budgeted at this. */
export const UNSTATED_MAX_TOKENS = 4096;

/**
 * About four characters per token for the prompt, plus the output at its stated maximum. A request that states none
 * (probe.responses leaves it out on purpose, to read the default) is counted at the model's maximum output when the
 * harness knows it, because Mantle's admission reserves that (MANTLE.md, Quotas): counted at 4096, Grok 4.3's 131072
 * would overrun a --tpm set to the account's quota.
 */
export function estimateTokens(request: ExchangeRequest, maxTokens: number | undefined, modelMaximum?: number): number {
  const prompt = Math.ceil((request.body?.length ?? 0) / 4);
  // A token count generates nothing: counted at the model's maximum, each one held its model's --tpm minute alone.
  if (isTokenCount(request.path)) return prompt;
  const unstated = request.method === 'POST' ? (modelMaximum ?? UNSTATED_MAX_TOKENS) : 0;
  return prompt + (maxTokens ?? unstated);
}

/** A model's maximum output tokens, where known (run/output-ceiling.ts reads the catalog's). */
export type MaxOutputOf = (model: string) => number | undefined;

export class ScheduledTarget extends TargetDecorator {
  readonly #scheduler: Scheduler;
  readonly #maxOutputOf: MaxOutputOf;
  /**
   * What each Response this target made counted, by id: a request that chains one (previous_response_id) is billed
   * for that history too, which its body does not carry, so its estimate adds it (else --max-tokens-total, a ceiling
   * on estimates, could be passed by a chain).
   */
  readonly #chains = new Map<string, number>();
  /** The Responses whose usage --max-tokens-total has counted. */
  readonly #counted = new CountedResponses();

  constructor(inner: Target, scheduler: Scheduler, maxOutputOf: MaxOutputOf = () => undefined) {
    super(inner);
    this.#scheduler = scheduler;
    this.#maxOutputOf = maxOutputOf;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const tokens = estimateTokens(request, context.maxTokens, this.#maxOutputOf(context.model)) + this.#chained(request);
    const permit = await this.#scheduler.acquire({ target: this.id, model: context.model, tokens, caseId: context.caseId, ...(context.retry ? { retry: true } : {}) }, context.signal);
    if (!permit.granted) {
      return { step: context.step, prefix: context.prefix, request, response: null, error: { code: permit.code, message: permit.message }, durationMs: 0, attempts: 0 };
    }
    let exchange: Exchange | undefined;
    try {
      exchange = await this.inner.send(request, context);
      return exchange;
    } finally {
      const id = exchange ? responseIdOf(exchange) : undefined;
      const counted = countedUsage(exchange, tokens);
      const again = this.#counted.readsBack(request, id, counted.input + counted.output);
      const used = again ? { input: 0, output: 0, estimated: 0 } : counted;
      if (id !== undefined && !again) this.#chains.set(id, used.input + used.output + used.estimated);
      await this.#scheduler.release(permit.lease, { inputTokens: used.input, outputTokens: used.output, ...(used.estimated > 0 ? { estimatedTokens: used.estimated } : {}) });
    }
  }

  /** The tokens of the earlier Response a request chains, as its answer counted them (0 for one this target did not make). */
  #chained(request: ExchangeRequest): number {
    if (request.method !== 'POST' || !request.body?.includes('previous_response_id')) return 0;
    try {
      const body = JSON.parse(request.body) as unknown;
      const previous = isRecord(body) ? body.previous_response_id : undefined;
      return typeof previous === 'string' ? (this.#chains.get(previous) ?? 0) : 0;
    } catch {
      return 0;
    }
  }
}
