/**
 * @module emulator/request-checks
 * What the emulator refuses before answering, as 400s that name the parameter: wrong types, parameters the model
 * refuses (on every API, or on one: gemma-4's chat refuses top_p and the penalties, GPT-5.x a temperature other than
 * the default), chat tools while the model reasons, reasoning efforts it does not take. Error bodies follow the
 * profile's shape (OpenAI envelope or bare); the wording is OpenAI's, as Mantle's (litellm #36970).
 */
import { bodyTypeProblem } from './body-types.ts';
import type { ModelProfile } from './profile.ts';

/** The APIs whose requests these rules read. */
export type RequestApi = 'chat-completions' | 'responses';

/** The OpenAI default of each parameter a model may take only at its default. */
const PARAM_DEFAULTS: Readonly<Record<string, unknown>> = { temperature: 1, top_p: 1, presence_penalty: 0, frequency_penalty: 0, n: 1 };

export interface ErrorAnswer {
  status: number;
  body: unknown;
}

export function paramError(profile: ModelProfile, param: string | null, message: string, code = 'invalid_value'): ErrorAnswer {
  if (profile.behaviors.errorShape === 'plain') return { status: 400, body: { message } };
  return { status: 400, body: { error: { code, message, param, type: 'invalid_request_error' } } };
}

/** The 400 for the first field the API reads whose type or bounds are wrong (body-types.ts), or undefined. */
export function typeRefusal(body: Record<string, unknown>, profile: ModelProfile, api: RequestApi): ErrorAnswer | undefined {
  const problem = bodyTypeProblem(body, api);
  return problem && paramError(profile, problem.param, problem.message, problem.code);
}

const PARAM_PATHS: Record<string, (body: Record<string, unknown>) => unknown> = {
  max_tokens: (b) => b.max_tokens,
  max_completion_tokens: (b) => b.max_completion_tokens,
  max_output_tokens: (b) => b.max_output_tokens,
  stop: (b) => b.stop,
  n: (b) => b.n,
  logprobs: (b) => b.logprobs ?? b.top_logprobs,
  temperature: (b) => b.temperature,
  top_p: (b) => b.top_p,
};

const unsupported = (profile: ModelProfile, name: string) => paramError(profile, name, `Unsupported parameter: '${name}' is not supported with this model.`, 'unsupported_parameter');

/** The first thing wrong with the request's parameters, or undefined. */
export function invalidParam(body: Record<string, unknown>, profile: ModelProfile, api: RequestApi): ErrorAnswer | undefined {
  // null is the parameter left out, as OpenAI takes it (its optional parameters are nullable: `temperature?: number |
  // null` in its SDK's types); their types are body-types.ts's, checked before this.
  for (const name of profile.behaviors.rejectedParams) {
    const read = Object.hasOwn(PARAM_PATHS, name) ? PARAM_PATHS[name]! : (b: Record<string, unknown>) => (Object.hasOwn(b, name) ? b[name] : undefined);
    if (read(body) != null) return unsupported(profile, name);
  }
  const rules = profile.behaviors.apiParams[api];
  for (const name of rules?.rejected ?? []) {
    if (Object.hasOwn(body, name) && body[name] != null) return unsupported(profile, name);
  }
  for (const name of rules?.defaultOnly ?? []) {
    if (!Object.hasOwn(body, name) || body[name] == null || body[name] === PARAM_DEFAULTS[name]) continue;
    const value = JSON.stringify(body[name]);
    const fallback = Object.hasOwn(PARAM_DEFAULTS, name) ? ` Only the default (${JSON.stringify(PARAM_DEFAULTS[name])}) value is supported.` : '';
    return paramError(profile, name, `Unsupported value: '${name}' does not support ${value} with this model.${fallback}`, 'unsupported_value');
  }
  if (api === 'chat-completions' && profile.behaviors.chatTools === 'reject-while-reasoning' && Array.isArray(body.tools) && body.tools.length > 0) {
    const effort = body.reasoning_effort ?? (body.reasoning as Record<string, unknown> | undefined)?.effort;
    if (effort !== 'none') {
      return paramError(profile, 'tools', "Unsupported parameter: 'tools' is not supported with reasoning enabled for this model; set reasoning_effort to 'none'.", 'unsupported_parameter');
    }
  }
  const reasoning = body.reasoning as Record<string, unknown> | undefined;
  const effort = reasoning?.effort ?? body.reasoning_effort;
  if (typeof effort === 'string' && !profile.behaviors.efforts.includes(effort)) {
    return paramError(profile, 'reasoning.effort', `Unsupported value: 'reasoning.effort' does not support '${effort}' with this model. Supported values are: ${profile.behaviors.efforts.map((e) => `'${e}'`).join(', ')}.`, 'unsupported_value');
  }
  return undefined;
}
