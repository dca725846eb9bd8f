/**
 * @module run/model-scope
 * A gateway key scoped to some models (a LiteLLM virtual key with `models: ['a']`) is refused with a 401 for any other
 * model: "Authentication Error, key not allowed to access model. This key can only access models=['a']. Tried to
 * access b". That 401 is the key's scope, not a wrong or revoked key: route-credentials.ts tells it apart (a model
 * these credentials were never accepted for, on a prefix that accepted them for another model, or a refusal in these
 * words) and makes it HARNESS_MODEL_SCOPE, an infrastructure error for that model's cells (the run carries on; the
 * gate fails a model with nothing observed). The harness's own made-up ids (errors.unknown-model's
 * `mantle-conformance.no-such-model`, models.profile-id's `us.<model>`) are refused the same way: the gateway looked at
 * the key's scope before the model, so how the endpoint answers such an id was not observed (an error, never a pass nor
 * a conformance fail). Here: which model a request asks for, the words of a scope refusal, and the reason a cell gives.
 */
import type { HarnessErrorCode } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { isRecord, parseJsonText } from '../transport/body.ts';
import type { ExchangeRequest } from '../transport/exchange.ts';
import type { AuthConfig } from './run-config.ts';

/** The code of a refusal of credentials for one model they are not scoped to (no stop of the run). */
export const MODEL_SCOPE: HarnessErrorCode = 'HARNESS_MODEL_SCOPE';

/**
 * Words that say the credentials are known and may not use this model: LiteLLM's "key not allowed to access model"
 * and "This key can only access models=[...]", and the like of "Your key is not allowed to use model b" or "token does
 * not have access to model b". Not "does not exist or you do not have access to it" (OpenAI's 404 for an unknown
 * model): only a 401 is read here, and only these words make it a scope without the structural rule.
 */
const SCOPE_WORDS =
  /\bnot allowed to (?:access|use|call) (?:the |this )?model\b|\bcan only (?:access|use) (?:the )?models?\b|\b(?:key|token)\b[^.]{0,40}\b(?:does not|doesn't|do not|don't) have access to (?:the |this )?model\b/i;

/** Whether a refusal's message says the credentials may not use the model they asked for (their scope). */
export function saysModelScope(message: string | undefined): boolean {
  return message !== undefined && SCOPE_WORDS.test(message.slice(0, 2000));
}

const asked = new WeakMap<ExchangeRequest, string | null>();

/** The model a request's JSON body asks for (its top-level `model`), or undefined when it names none. */
export function requestedModel(request: ExchangeRequest): string | undefined {
  let found = asked.get(request);
  if (found === undefined) {
    const parsed = request.body === undefined ? undefined : parseJsonText(request.body);
    const model = parsed?.ok && isRecord(parsed.value) ? parsed.value.model : undefined;
    found = typeof model === 'string' && model ? model : null;
    asked.set(request, found);
  }
  return found ?? undefined;
}

/** Who was refused, in the run's kind of credentials. */
function whose(auth: AuthConfig): string {
  if (auth.kind === 'bearer') return `the key in ${auth.apiKeyEnv}`;
  if (auth.kind === 'none') return 'requests without credentials (--auth none)';
  return `the ${auth.kind} credentials`;
}

export interface ScopeRefusal {
  method: string;
  path: string;
  status: number;
  /** The endpoint's message, redacted; quoted as one bounded inert line. */
  said: string | undefined;
  model: string;
  /** Models these credentials were accepted for on the refusing prefix in this run. */
  takenHere: readonly string[];
  /** The model of the session that sent it: another id is one the harness made up on purpose. */
  sessionModel: string;
}

/** The reason of a cell whose request the credentials' model scope refused: what was seen, and the way forward. */
export function scopeReason(refusal: ScopeRefusal, auth: AuthConfig): string {
  const quoted = refusal.said ? ` (${inertLine(refusal.said, 300)})` : '';
  const id = inertLine(refusal.model, 200);
  const taken = refusal.takenHere.length ? `, though they were accepted for ${refusal.takenHere.slice(0, 3).map((m) => inertLine(m, 100)).join(', ')}${refusal.takenHere.length > 3 ? ' and others' : ''} on the same route in this run` : '';
  const head = `${refusal.method} ${refusal.path} answered ${refusal.status}${quoted}: ${whose(auth)} may not use ${id} on this endpoint${auth.kind === 'none' ? '' : ' (a key scoped to other models)'}${taken}`;
  if (refusal.model !== refusal.sessionModel) {
    // errors.unknown-model's and models.profile-id's ids: the scope was checked before the model, so the endpoint's
    // answer to such an id is not known.
    return `${head}; ${id} is an id the harness asks for on purpose, and the refusal of the key's scope says nothing of how the endpoint answers it: run with a key not scoped to models to observe it`;
  }
  return `${head}; nothing of ${id} was observed: test it with a key whose scope includes it, or leave it out (--models)`;
}
