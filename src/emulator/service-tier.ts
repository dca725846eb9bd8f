/**
 * @module emulator/service-tier
 * `service_tier` on the OpenAI APIs: a model that offers the tier answers at it and echoes it, one that ignores the
 * field answers at "default" (what Mantle's answers carry), one that refuses it answers 400 naming the field.
 */
import type { ModelProfile } from './profile.ts';
import { paramError, type ErrorAnswer } from './request-checks.ts';

const TIERS = new Set(['priority', 'flex']);

/** A 400 for a tier the model refuses, or undefined. */
export function serviceTierRefusal(body: Record<string, unknown>, profile: ModelProfile): ErrorAnswer | undefined {
  const tier = body.service_tier;
  if (typeof tier !== 'string' || !TIERS.has(tier) || profile.behaviors.serviceTier !== 'reject') return undefined;
  return paramError(profile, 'service_tier', `Invalid value for 'service_tier': '${tier}' is not available for this model.`, 'invalid_value');
}

/** The tier the answer is served at (and echoes). */
export function servedTier(body: Record<string, unknown>, profile: ModelProfile): string {
  const tier = body.service_tier;
  return typeof tier === 'string' && TIERS.has(tier) && profile.behaviors.serviceTier === 'echo' ? tier : 'default';
}
