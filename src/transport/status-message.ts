/**
 * @module transport/status-message
 * A 2xx whose whole body is a gateway's status message in a shape of its own, not the API's: FastAPI's
 * `{"detail":"Service temporarily unavailable"}`, Envoy-fronted services' `{"status":"error","message":"upstream
 * connect error or disconnect/reset before headers"}`, `{"statusCode":503,"message":"..."}`. Such a body names no
 * member of an answer (classify-response.ts ANSWER_MEMBERS) and no `error` (stand-in-answer.ts reads that one), so it
 * was read as the endpoint's answer: the route probes said "served", the checks failed the model, and a record run
 * replaced good recordings with it. It is an outage when its words or its status say a server, the way to it, or the
 * account's credits failed; any other member (an answer's `choices`, `content`, `output`, ...) makes the body an
 * answer, so a completion whose text says "service unavailable" stays one, and so does a status message that says
 * no failure (`{"status":"ok"}`).
 */
import { isRecord, parseJsonText } from './body.ts';
import { GATEWAY_WORDS, SERVER_FAILURE } from './error-fault.ts';

/** The members a status message is made of: its words, and a status or code. Anything else is not only a status message. */
const WORD_MEMBERS = ['message', 'Message', 'detail', 'msg', 'reason', 'title', 'description'];
const STATUS_MEMBERS = ['status', 'statusCode', 'status_code', 'code', 'success', 'ok', 'timestamp', 'path', 'requestId', 'request_id'];
const MEMBERS = new Set([...WORD_MEMBERS, ...STATUS_MEMBERS]);

/**
 * Words of a status message that say the service is not answering (beyond error-fault.ts GATEWAY_WORDS): "temporarily",
 * "unavailable", "maintenance", and the account's credits or billing ("Insufficient credits", "Payment required").
 */
const OUTAGE_WORDS = /\btemporar(il)?y\b|\bunavailable\b|\bmaintenance\b|\bplease try again\b|\binsufficient (credits?|funds|balance)\b|\bpayment required\b|\bout of credits?\b|\bcredits? (exhausted|ran out|run out)\b/i;

/**
 * The words of a 2xx body that is only a gateway's status message saying a failure (`text` is the body), or
 * undefined when the body is anything else: not JSON of an object, an answer (a member outside a status message's),
 * an `error` member (stand-in-answer.ts judges that), or a status message that says no failure.
 */
export function statusMessageFailure(text: string): string | undefined {
  // A status message is short; an answer can be megabytes and is never parsed twice for this.
  if (text.length > 4096) return undefined;
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const body = parsed.value;
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.some((key) => !MEMBERS.has(key))) return undefined;
  const words = WORD_MEMBERS.map((key) => body[key]).filter((value): value is string => typeof value === 'string' && value.trim() !== '');
  const saysFailure = words.some((said) => GATEWAY_WORDS.test(said.slice(0, 1000)) || OUTAGE_WORDS.test(said.slice(0, 1000)));
  if (saysFailure || statusSaysFailure(body)) return words[0] ?? JSON.stringify(body);
  return undefined;
}

/** A status or code that says a server failed or throttled: a number of 408, 429 or 5xx (digits too), or a failure's class (`UNAVAILABLE`). */
function statusSaysFailure(body: Record<string, unknown>): boolean {
  return ['status', 'statusCode', 'status_code', 'code'].some((key) => {
    const value = body[key];
    const number = typeof value === 'number' || (typeof value === 'string' && /^\d{3}$/.test(value)) ? Number(value) : undefined;
    if (number !== undefined) return number === 408 || number === 429 || number === 402 || (number >= 500 && number < 600);
    return typeof value === 'string' && SERVER_FAILURE.test(value.slice(0, 200));
  });
}
