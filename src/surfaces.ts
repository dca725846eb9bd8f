/**
 * @module surfaces
 * The endpoint surfaces a target can be: AWS serves the same OpenAI and Anthropic APIs on two endpoints that run on
 * the one Mantle engine (`bedrock-mantle.{region}.api.aws` and `bedrock-runtime.{region}.amazonaws.com`), and the
 * harness also tests any other base URL (`custom`). A shared base like names.ts: the transport signs with the
 * surface's SigV4 service, the runner sends on its route prefixes, the plan takes its documented claims, the emulator
 * plays it and the reports compare surfaces. Facts and sources: MANTLE.md, "Two surfaces on one engine".
 */
import { partitionOf, PARTITIONS } from './aws-partitions.ts';
import { REGION_PATTERN } from './names.ts';

export const SURFACES = ['mantle', 'runtime', 'custom'] as const;
export type Surface = (typeof SURFACES)[number];

export interface SurfaceRules {
  /** What the surface is, for help and reports. */
  title: string;
  /**
   * The base URL of the surface in a region, or null for `custom` (a base URL is given) and where the surface has
   * no known host name (Mantle outside the partitions whose dual-stack suffix is `api.aws`).
   */
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
    // Mantle's hosts are known only under `api.aws` (aws, aws-us-gov): a name made up under China's or an ISO
    // partition's suffix would reach nobody, or someone else.
    baseUrl: (region) => (partitionOf(region)?.dualStackDnsSuffix === 'api.aws' ? `https://bedrock-mantle.${region}.api.aws` : null),
    openaiPrefixes: ['/v1', '/openai/v1'],
    anthropicPrefix: '/anthropic/v1',
    sigv4Service: 'bedrock-mantle',
  },
  runtime: {
    title: 'bedrock-runtime (runtime endpoint)',
    // As the SDK builds it: the partition's suffix (`.amazonaws.com.cn` in China, `c2s.ic.gov` in aws-iso).
    baseUrl: (region) => {
      const partition = partitionOf(region);
      return partition ? `https://bedrock-runtime.${region}.${partition.dnsSuffix}` : null;
    },
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

/** Any partition's regional suffix (escaped for a RegExp). */
const DNS_SUFFIXES = [...new Set(PARTITIONS.map((p) => p.dnsSuffix.replace(/[.]/g, '\\.')))].join('|');
const RUNTIME_HOST = new RegExp(`^bedrock-runtime(-fips)?\\.[a-z0-9-]+\\.(?:${DNS_SUFFIXES})$`);

/** The surface a host belongs to: `bedrock-mantle.*.api.aws` is mantle, `bedrock-runtime.*.<partition suffix>` runtime. */
export function surfaceOfHost(host: string): Surface {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (/^bedrock-mantle(-fips)?\.[a-z0-9-]+\.api\.aws$/.test(name)) return 'mantle';
  if (RUNTIME_HOST.test(name)) return 'runtime';
  return 'custom';
}

export function isSurface(value: string): value is Surface {
  return (SURFACES as readonly string[]).includes(value);
}

/**
 * Bedrock's host names, with a real region name (names.ts, as --region takes it) in the region's place: any label
 * there let `bedrock-runtime.s3.amazonaws.com` (an S3 bucket anyone can name so) or `bedrock-mantle.execute-api...`
 * pass as Bedrock. Both surfaces, their FIPS names and their PrivateLink (`vpce-...`) names.
 */
const BEDROCK_HOST = new RegExp(`^(?:vpce-[a-z0-9-]+\\.)?bedrock-(?:mantle|runtime)(?:-fips)?\\.(${REGION_PATTERN})\\.(?:vpce\\.)?([a-z0-9.-]+)$`);

/**
 * The region a Bedrock host name is in and the suffix after it (`bedrock-mantle.us-east-1.api.aws` -> us-east-1,
 * api.aws), whatever its scheme and port; undefined for any other host. A trailing dot names the same host. Whether
 * the suffix is the region's partition's is the caller's question (cli/credential-domains.ts).
 */
export function bedrockHostOf(hostname: string): { region: string; suffix: string } | undefined {
  const [, region, suffix] = BEDROCK_HOST.exec(hostname.toLowerCase().replace(/\.$/, '')) ?? [];
  return region !== undefined && suffix !== undefined ? { region, suffix } : undefined;
}

/** The site of a target id made by cli/target-options.ts targetIdOf (`runtime.us-east-1` -> `us-east-1`; a Mantle target's id is its site). */
export function siteOfId(id: string): { surface?: Surface; site: string } {
  const dot = id.indexOf('.');
  const head = dot > 0 ? id.slice(0, dot) : '';
  return isSurface(head) && head !== 'mantle' ? { surface: head, site: id.slice(dot + 1) } : { site: id };
}
