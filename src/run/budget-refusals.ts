/**
 * @module run/budget-refusals
 * A gateway's refusal to spend more (a spend budget used up: the key's, its team's, or one model's;
 * transport/budget-exceeded.ts) is the infrastructure error of the requests it refuses, HARNESS_BUDGET_EXCEEDED: never
 * an answer judged (a budget-spent model earned passes and fails), never recorded over a recording, never a stop of
 * the run (one model's budget stopped every model's). The other models, and every request the gateway still spends
 * for, carry on; a key whose whole budget is spent gets each request refused at once, and the gate fails on the
 * errors. The console hears it once per budget (`onRefused`): which model's, when the gateway's words name one, else
 * the target's, with the way out. Below the route-credentials watch and the recorder, so that neither reads it as the
 * key's refusal or as an answer.
 */
import { inertLine } from '../report/inert-text.ts';
import { budgetModel, PAYMENT_REQUIRED } from '../transport/budget-exceeded.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import { describeRequest, type Exchange, type ExchangeRequest } from '../transport/exchange.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { TargetDecorator } from '../transport/target-decorator.ts';

/** The fix, said in every cell's reason and in the console's line. */
const WAY_OUT = 'raise that budget on the gateway or wait for its reset, or use another key';
/** In replay: the recording holds the gateway's answer (an older version recorded it as one); only a record run mends it. */
const WAY_OUT_REPLAYED = 'the recording holds the refusal: record the case again with --mode record once the budget allows';

export interface BudgetRefusalsOptions {
  /** Redacts the run's secrets from text decoded out of a body (a gateway's words may echo the key). */
  redact(text: string): string;
  /** Told once per budget (a model's, or the target's), the first time a request meets it. */
  onRefused?(message: string): void;
  /** Replaying recordings: the way out is to record again. */
  replayed?: boolean;
}

export class BudgetRefusalsTarget extends TargetDecorator {
  readonly #options: BudgetRefusalsOptions;
  /** The budgets told: a model's name, or '' for one the words name no model of. */
  readonly #told = new Set<string>();
  /** The fix said in every reason and the console's line: record again in replay, raise the budget live. */
  readonly #wayOut: string;

  constructor(inner: Target, options: BudgetRefusalsOptions) {
    super(inner);
    this.#options = options;
    this.#wayOut = options.replayed ? WAY_OUT_REPLAYED : WAY_OUT;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const exchange = await this.inner.send(request, context);
    const response = exchange.response;
    // A spent budget is a 4xx (transport/budget-exceeded.ts): a success is not classified here (replay reads thousands).
    if (!response || response.status < 400 || exchange.error?.code === 'HARNESS_BUDGET_EXCEEDED') return exchange;
    // An error over a budget's answer is an older version's reading of it (a 429 retried as a throttle), in a recording.
    if ((exchange.error && !this.#options.replayed) || classifyAnswer(response).kind !== 'budget-exceeded') return exchange;
    const refusal = budgetRefusal(request, response.status, classifyAnswer(response).message, this.#options.redact, this.#wayOut);
    // A line of its own only for a model the run asks about: a gateway naming another id in each refusal (the ids the
    // harness makes up, or any) is told once, as the target's.
    const told = refusal.model !== undefined && refusal.model === context.model ? refusal.model : '';
    if (!this.#told.has(told)) {
      this.#told.add(told);
      const others = refusal.model === undefined ? '' : '; the other models carry on';
      this.#options.onRefused?.(`${refusal.whose} is spent on the gateway (${describeRequest(request)} answered ${response.status}): the requests it refuses are errors (HARNESS_BUDGET_EXCEEDED), never retried nor judged${others}; ${this.#wayOut}`);
    }
    return { ...exchange, error: { code: 'HARNESS_BUDGET_EXCEEDED', message: refusal.message } };
  }
}

/**
 * Whose budget a refusal says is spent, and the reason its requests carry: the model first (a bound on the line cuts
 * the gateway's words, never the model), then the words, redacted and kept to one bounded line, then the way out.
 */
export function budgetRefusal(request: ExchangeRequest, status: number, said: string | undefined, redact: (text: string) => string, wayOut = WAY_OUT): { model?: string; whose: string; message: string } {
  const words = said === undefined ? undefined : redact(said);
  const model = budgetModel(words);
  // A 402 is the account's money, not a gateway's budget rule (OpenRouter's "Insufficient credits").
  const unnamed = status === PAYMENT_REQUIRED ? 'the credit or spend budget of the key or its account (402 Payment Required)' : "a spend budget (the key's, its team's or one model's)";
  const whose = model === undefined ? unnamed : `the spend budget for model ${inertLine(model, 200)}`;
  const quoted = words ? ` (${inertLine(words, 300)})` : '';
  const message = `${describeRequest(request)} answered ${status}: ${whose} is spent on the gateway${quoted}, which refused the request: no answer about the model; ${wayOut}`;
  return { ...(model === undefined ? {} : { model }), whose, message };
}
