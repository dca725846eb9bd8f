/**
 * @module transport/budget-exceeded
 * A gateway that will spend no more for a request: a spend budget (the key's, its team's, or one model's) is used up.
 * LiteLLM answers so with a 400 or 429 typed `budget_exceeded` ("Budget has been exceeded! Current cost: 0.51, Max
 * budget: 0.5"; "LiteLLM Virtual Key: ..., exceeded budget for model=m02" for one model's), and older versions with a
 * 401 "Authentication Error, ExceededTokenBudget: Current spend for token: 7.2; Max Budget for Token: 2.0" (or
 * "ExceededBudget: User=... over budget"). It is neither the endpoint's answer about the request (judged, it earned
 * passes and fails; recorded, it replaced good fixtures) nor a refused key (it stopped the whole run for one model's
 * budget): classify-response makes it `budget-exceeded`, decided before the throttle and credential rules, and
 * run/budget-refusals.ts makes it HARNESS_BUDGET_EXCEEDED, the infrastructure error of the requests it refuses. A
 * budget does not come back in seconds: never retried. Recognition is tight to LiteLLM's own shapes: a thinking or
 * reasoning budget, Anthropic's `budget_tokens` and a model named `ExceededBudget` are the endpoint's answers.
 * A 402 Payment Required is the same refusal whatever its words: OpenRouter and other OpenAI-compatible gateways answer
 * it when the account's credits run out ("Insufficient credits"), and no API here answers a request about the model
 * with it; read as a rejection, it made the route probes say "served" and a record run replace every good recording.
 */
import type { ErrorEnvelope } from './classify-response.ts';

/** LiteLLM's error type (and code in some versions), exactly. */
const BUDGET_CLASS = /^budget_exceeded$/i;
/**
 * LiteLLM's words, each in its own shape: "Budget has been exceeded!" as a sentence of its own (not "The thinking
 * budget has been exceeded!"), with the cap it quotes ("Max budget: 0.5"); "ExceededBudget:" and
 * "ExceededTokenBudget:" with their colon (a model named `ExceededBudget` has none); "exceeded budget for model=".
 */
const BUDGET_WORDS = [
  /(?<![A-Za-z][ \t]*)Budget has been exceeded![^\n]{0,400}?\b[Mm]ax [Bb]udget\b/,
  /\bExceeded(?:Token)?Budget: /,
  /\bexceeded budget for model=\S/,
  // Older LiteLLM's auth checks: "Authentication Error, Team=t1 over budget. Spend=51, Budget=50".
  /\b(?:User|Team|End User|Organization|Customer)=\S{1,200} over budget\. Spend=/,
];
/** The statuses a spent budget is answered with (LiteLLM: 400, 429; 401 before mid-2024; 403 from proxies in front of it): a 404 or 422 quoting the words is not one. */
const BUDGET_STATUSES = new Set([400, 401, 403, 429]);
/** Payment Required: the account's credits or spend quota are used up, whatever the body says. */
export const PAYMENT_REQUIRED = 402;
/** The model LiteLLM names in a per-model budget's answer ("exceeded budget for model=m02"). */
const BUDGET_MODEL = /\bexceeded budget for model=([^\s,;'"`]{1,200})/;

/**
 * Whether a 4xx says a spend budget on a gateway is spent. `saysThrottle` is classify-response's reading of a throttle
 * (an error class or words that say rate limit): a throttle that happens to say "budget" ("the token budget has been
 * exceeded for this minute", code `rate_limit_exceeded`) is retried as one. A 401 is read too: older LiteLLM said
 * its budget with one, and the credential rules must not read it as the key refused.
 */
export function budgetExceeded(status: number, envelope: ErrorEnvelope | undefined, saysThrottle: (envelope: ErrorEnvelope) => boolean): boolean {
  // The status says it: credits or a spend quota used up, of the key or its account (an empty body too).
  if (status === PAYMENT_REQUIRED) return true;
  if (!BUDGET_STATUSES.has(status) || !envelope) return false;
  // LiteLLM's code is the status as a string ("429"): that names no throttle, only the status.
  const { code, ...rest } = envelope;
  if (saysThrottle(code === undefined || /^\d+$/.test(code) ? rest : envelope)) return false;
  // Only the message's start is read: the words are short, an endpoint's message can be megabytes.
  const head = envelope.message.slice(0, 1000);
  return [envelope.type, code].some((value) => value !== undefined && BUDGET_CLASS.test(value)) || BUDGET_WORDS.some((words) => words.test(head));
}

/** The model whose own budget a budget answer says is spent, when its words name one. */
export function budgetModel(message: string | undefined): string | undefined {
  return BUDGET_MODEL.exec(message?.slice(0, 1000) ?? '')?.[1]?.replace(/[.)\]]+$/, '');
}
