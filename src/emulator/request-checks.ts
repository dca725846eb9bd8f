/**
 * @module emulator/request-checks
 * What the emulator refuses before answering, as 400s that name the parameter: wrong types, parameters the model
 * refuses, reasoning efforts it does not take. Error bodies follow the profile's shape (OpenAI envelope or bare).
 */
import type { ModelProfile } from './profile.ts';

export interface ErrorAnswer {
  status: number;
  body: unknown;
}

export function paramError(profile: ModelProfile, param: string | null, message: string, code = 'invalid_value'): ErrorAnswer {
  if (profile.behaviors.errorShape === 'plain') return { status: 400, body: { message } };
  return { status: 400, body: { error: { code, message, param, type: 'invalid_request_error' } } };
}

const PARAM_PATHS: Record<string, (body: Record<string, unknown>) => unknown> = {
  max_tokens: (b) => b.max_tokens,
  max_completion_tokens: (b) => b.max_completion_tokens,
  max_output_tokens: (b) => b.max_output_tokens,
  stop: (b) => b.stop,
  n: (b) => b.n,
  logprobs: (b) => b.logprobs ?? b.top_logprobs,
};

/** The first thing wrong with the request's parameters, or undefined. */
export function invalidParam(body: Record<string, unknown>, profile: ModelProfile): ErrorAnswer | undefined {
  for (const name of ['temperature', 'top_p']) {
    const value = body[name];
    if (value !== undefined && typeof value !== 'number') {
      return paramError(profile, name, `Invalid type for '${name}': expected a decimal, but got a ${typeof value} instead.`, 'invalid_type');
    }
  }
  for (const name of profile.behaviors.rejectedParams) {
    if (PARAM_PATHS[name]?.(body) !== undefined) return paramError(profile, name, `Unsupported parameter: '${name}' is not supported with this model.`, 'unsupported_parameter');
  }
  const reasoning = body.reasoning as Record<string, unknown> | undefined;
  const effort = reasoning?.effort ?? body.reasoning_effort;
  if (typeof effort === 'string' && !profile.behaviors.efforts.includes(effort)) {
    return paramError(profile, 'reasoning.effort', `Unsupported value: 'reasoning.effort' does not support '${effort}' with this model. Supported values are: ${profile.behaviors.efforts.map((e) => `'${e}'`).join(', ')}.`, 'unsupported_value');
  }
  return undefined;
}
