/**
 * @module transport/not-enabled
 * Mantle's 401 `access_denied` "Berm is not enabled for this account" (MANTLE.md, "What a wrong route returns":
 * litellm #30657; seeds/truefoundry). On one route, while another route serves the model, it is that route's refusal
 * (classify-response's `berm` rule: the unprefixed route's answer to a prefixed model). On every route asked (the
 * model list, which names no model, included) it says the account is not enabled for Mantle: nothing about the model
 * or the route, and not a bad key ("It must not be confused with a bad key"). The preflight stops on it, the route
 * readers (checks/access-denial.ts) read it as no answer about the model, and record mode keeps what it had.
 */
import { classifyAnswer } from './classify-response.ts';
import type { Exchange } from './exchange.ts';

/** classify-response's rules for the Berm words: in an error status, and as the error a 2xx carried instead of an answer. */
const BERM_RULES: ReadonlySet<string> = new Set(['berm', '2xx-berm']);

/** Whether a classification rule is the Berm answer's. */
export function bermRule(rule: string): boolean {
  return BERM_RULES.has(rule);
}

/** Whether an exchange is a whole answer in the Berm words (a failed exchange or a stalled body is not read). */
export function saysNotEnabled(exchange: Pick<Exchange, 'response' | 'error'>): boolean {
  const response = exchange.response;
  return !exchange.error && !!response && response.stalledAfterMs === undefined && bermRule(classifyAnswer(response).rule);
}

/** Whether every one of some exchanges (one at least) is the Berm answer: no route asked served or refused otherwise. */
export function notEnabledOnEvery(exchanges: readonly Pick<Exchange, 'response' | 'error'>[]): boolean {
  return exchanges.length > 0 && exchanges.every(saysNotEnabled);
}

/** What to do about an account that is not enabled, for the messages that say so. */
export const NOT_ENABLED_FIX =
  'enable Amazon Bedrock Mantle (bedrock-mantle) for this account (or ask its administrator to), check that the credentials are of the account and --region meant, or test the bedrock-runtime surface instead (--surface runtime)';
