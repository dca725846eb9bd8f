/**
 * @module run/model-scope
 * A gateway key scoped to some models (a LiteLLM virtual key with `models: ['a']`) is refused with a 401 for any other
 * model: "Authentication Error, key not allowed to access model. This key can only access models=['a']. Tried to
 * access b". Only those words tell the key's scope from a wrong, expired or revoked key (checks/access-denial.ts reads
 * them): a rule from what was accepted before took every model not yet answered for out of scope once a key was
 * revoked. route-credentials.ts makes such a refusal of the session's model, on a route that never took the key for it,
 * HARNESS_MODEL_SCOPE: an infrastructure error for the checks sent there (the run carries on). Here: the reason such a
 * cell gives, and the clause a stop for a wordless 401 adds when the model refused was never accepted while another
 * was (a scoped gateway that does not say so looks the same as a revoked key: said as a possibility).
 */
import type { HarnessErrorCode } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import type { AuthConfig } from './run-config.ts';
import { keyInShown } from '../transport/auth/env-name-shown.ts';

/** The code of a refusal of credentials for one model they are not scoped to (no stop of the run). */
export const MODEL_SCOPE: HarnessErrorCode = 'HARNESS_MODEL_SCOPE';

/** Who was refused, in the run's kind of credentials. */
function whose(auth: AuthConfig): string {
  if (auth.kind === 'bearer') return `${keyInShown(auth.apiKeyEnv)}`;
  if (auth.kind === 'none') return 'requests without credentials (--auth none)';
  return `the ${auth.kind} credentials`;
}

/** At most three ids, each one bounded inert line. */
const some = (ids: readonly string[]) => `${ids.slice(0, 3).map((m) => inertLine(m, 100)).join(', ')}${ids.length > 3 ? ' and others' : ''}`;

export interface ScopeRefusal {
  method: string;
  path: string;
  /** The route prefix that refused. */
  prefix: string;
  status: number;
  /** The endpoint's message, redacted; quoted as one bounded inert line. */
  said: string | undefined;
  model: string;
  /** The other prefixes that answered this model with 2xx in this run (then it was observed there). */
  answeredOn: readonly string[];
}

/** The reason of a cell whose request the credentials' model scope refused: what was seen, and the way forward. */
export function scopeReason(refusal: ScopeRefusal, auth: AuthConfig): string {
  const quoted = refusal.said ? ` (${inertLine(refusal.said, 300)})` : '';
  const id = inertLine(refusal.model, 200);
  const head = `${refusal.method} ${refusal.path} answered ${refusal.status}${quoted}: ${whose(auth)} may not use ${id} on ${refusal.prefix}${auth.kind === 'none' ? '' : ' (a key scoped to other models, in the gateway\'s words)'}`;
  // Answered on another route: the model was observed there. A gateway checks the scope before it proxies, so this
  // refusal mostly comes before the other route's 2xx: the way out holds whether another route serves it or not.
  const though = refusal.answeredOn.length ? `, though ${refusal.answeredOn.join(' and ')} answered it in this run` : '';
  return `${head}${though}: its checks on ${refusal.prefix} are errors; use a key whose scope includes ${id} there, or leave out the checks that use ${refusal.prefix} (--checks names the ones to run), or the model where no route takes the key for it (--models)`;
}

/**
 * What a stop for a wordless 401 adds when the model refused was never accepted in the run while others were: a
 * scoped key and a revoked one look the same then, and only the gateway's words could have told them apart: a
 * possibility, not advice (a revoked key, the likelier when the refusal came first by timing, stops again whatever
 * is left out). `madeUp`: the id is one the harness asks for on purpose, which no --models leaves out.
 */
export function stopClause(model: string, accepted: readonly string[], madeUp: boolean): string {
  const id = inertLine(model, 200);
  const outside = madeUp
    ? `${id} may be outside it (--checks can leave out errors.unknown-model and models.profile-id, which ask for ids the harness makes up)`
    : `${id} may be outside it (--models can leave it out)`;
  return `; these credentials were accepted for ${some(accepted)} in this run but never for ${id}: the gateway's 401 did not say why; if the key is scoped to some models, ${outside}`;
}
