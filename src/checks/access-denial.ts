/**
 * @module checks/access-denial
 * A 403 that denies access (classify-response's `forbidden`: API Gateway's "Missing Authentication Token", AWS's
 * `{"message":"Forbidden"}`, an account without access to the model), read for errors.* and schema.error as record
 * mode reads it (record-target.ts, deniedIn): the endpoint's answer about the account, not about the model. No check
 * reads anything in it but errors.unknown-model, for which "no access" is AWS's answer about an id that does not exist.
 */
import { excerpt } from '../transport/body.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';

/** Whether an exchange is a whole 403 that denies access (a stalled body is cut short: not read as anything). */
export function deniedAccess(exchange: Exchange): boolean {
  const response = exchange.response;
  return !exchange.error && response?.status === 403 && response.stalledAfterMs === undefined && classifyAnswer(response).kind === 'forbidden';
}

/** `GET /openai/v1/models: 403 denied access (Missing Authentication Token)`, for a reason naming what was denied. */
export function describeDenial(exchange: Exchange): string {
  const said = classifyAnswer(exchange.response!).message;
  return `${exchange.request.path}: 403 denied access${said ? ` (${excerpt(said, 80)})` : ''}`;
}
