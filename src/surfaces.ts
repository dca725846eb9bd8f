/**
 * @module surfaces
 * The endpoint surfaces a target can be: AWS serves the same OpenAI and Anthropic APIs on two endpoints that run on
 * the one Mantle engine (`bedrock-mantle.{region}.api.aws` and `bedrock-runtime.{region}.amazonaws.com`), and the
 * harness also tests any other base URL (`custom`). A shared base like names.ts: the transport signs with the
 * surface's SigV4 service, the runner sends on its route prefixes, the plan takes its documented claims, the emulator
 * plays it and the reports compare surfaces. Facts and sources: MANTLE.md, "Two surfaces on one engine".
 */

export const SURFACES = ['mantle', 'runtime', 'custom'] as const;
export type Surface = (typeof SURFACES)[number];

export interface SurfaceRules {
  /** What the surface is, for help and reports. */
  title: string;
  /** The base URL of the surface in a region, or null for `custom` (a base URL is given). */
  baseUrl(region: string): string | null;
  /**
   * OpenAI route prefixes, every one probed, the documented one first (a model served on several is sent on the
   * first that serves it unless the catalog documents another).
   */
  openaiPrefixes: readonly string[];
  /** The Anthropic Messages prefix (the SDKs' base URL `.../anthropic` plus `/v1`). */
  anthropicPrefix: string;
  /** The service name SigV4 signs for. */
  sigv4Service: string;
}

/**
 * - mantle: OpenAI APIs on `/v1` or `/openai/v1` per model, Messages on `/anthropic/v1`; SigV4 `bedrock-mantle`
 *   (seeds/truefoundry; openai-node's Bedrock provider).
 * - runtime: OpenAI APIs under `/openai/v1` (older pages show `/v1/chat/completions`), Messages under `/anthropic`
 *   (AWS UG `inference-messages-api`); SigV4 `bedrock` (AWS UG `endpoints`).
 * - custom: any OpenAI-compatible base URL; routed like Mantle (both prefixes probed), signed like Mantle.
 */
export const SURFACE_RULES: Record<Surface, SurfaceRules> = {
  mantle: {
    title: 'bedrock-mantle (Mantle endpoint)',
    baseUrl: (region) => `https://bedrock-mantle.${region}.api.aws`,
    openaiPrefixes: ['/v1', '/openai/v1'],
    anthropicPrefix: '/anthropic/v1',
    sigv4Service: 'bedrock-mantle',
  },
  runtime: {
    title: 'bedrock-runtime (runtime endpoint)',
    baseUrl: (region) => `https://bedrock-runtime.${region}.amazonaws.com`,
    openaiPrefixes: ['/openai/v1', '/v1'],
    anthropicPrefix: '/anthropic/v1',
    sigv4Service: 'bedrock',
  },
  custom: {
    title: 'custom base URL',
    baseUrl: () => null,
    openaiPrefixes: ['/v1', '/openai/v1'],
    anthropicPrefix: '/anthropic/v1',
    sigv4Service: 'bedrock-mantle',
  },
};

/** The surface a host belongs to: `bedrock-mantle.*.api.aws` is mantle, `bedrock-runtime.*.amazonaws.com` runtime. */
export function surfaceOfHost(host: string): Surface {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (/^bedrock-mantle(-fips)?\.[a-z0-9-]+\.api\.aws$/.test(name)) return 'mantle';
  if (/^bedrock-runtime(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(name)) return 'runtime';
  return 'custom';
}

export function isSurface(value: string): value is Surface {
  return (SURFACES as readonly string[]).includes(value);
}
