/**
 * @module transport/budget-exceeded
 * A gateway key whose budget is spent: LiteLLM answers every request so, with a 400 `type: "budget_exceeded"` (a 429
 * in newer versions) "Budget has been exceeded! Current cost: 0.51, Max budget: 0.5", or "ExceededBudget: User=...
 * over budget" (and ExceededTokenBudget for a key's own). Not the endpoint's answer about the request: read as a
 * rejection it was judged (a parameter "rejected") and recorded; read as a throttle it was retried. classify-response
 * makes it `auth-rejected` (rule `budget-exceeded`), and the run stops (run/session-target.ts).
 */
import type { ErrorEnvelope } from './classify-response.ts';

const BUDGET_CLASS = /^budget_?exceeded$/i;
/** LiteLLM's words; not a request's own "budget_tokens" error, nor "exceeds the token budget" of a prompt. */
const BUDGET_WORDS = /\bbudget has been exceeded\b|\bExceeded(?:Token|Key|Team|User|Customer|EndUser|Org(?:anization)?)?Budget\b/i;

/** Whether a 4xx says the key's budget on a gateway is spent (its error type or code, or the words). */
export function budgetExceeded(status: number, envelope: ErrorEnvelope | undefined): boolean {
  if (status < 400 || status >= 500 || !envelope) return false;
  // Only the message's start is read: the words are short, an endpoint's message can be megabytes.
  return [envelope.type, envelope.code].some((value) => value !== undefined && BUDGET_CLASS.test(value)) || BUDGET_WORDS.test(envelope.message.slice(0, 1000));
}
