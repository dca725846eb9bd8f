/**
 * @module surfaces
 * The endpoint surfaces a target can be: AWS serves the same OpenAI and Anthropic APIs on two endpoints that run on
 * the one Mantle engine (`bedrock-mantle.{region}.api.aws` and `bedrock-runtime.{region}.amazonaws.com`), and the
 * harness also tests any other base URL (`custom`). A shared base like names.ts: the transport signs with the
 * surface's SigV4 service, the runner sends on its route prefixes, the plan takes its documented claims, the emulator
 * plays it and the reports compare surfaces. Facts and sources: MANTLE.md, "Two surfaces on one engine".
 */
import { partitionOf, type Partition } from './aws-partitions.ts';
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

/**
 * The surface a host belongs to: a Bedrock host name (bedrockHostOf: a real region, FIPS, PrivateLink `vpce-...`,
 * a trailing dot) under its region's own partition's suffix, regional or dual-stack (ownPartitionOf), is the surface
 * it names (`bedrock-runtime.us-east-1.api.aws` is runtime's dual-stack name); any other host is custom. Whatever its
 * port.
 */
export function surfaceOfHost(host: string): Surface {
  return ownBedrockHost(host.replace(/:\d+$/, ''))?.surface ?? 'custom';
}

export function isSurface(value: string): value is Surface {
  return (SURFACES as readonly string[]).includes(value);
}

/**
 * Bedrock's host names, with a real region name (names.ts, as --region takes it) in the region's place: any label
 * there let `bedrock-runtime.s3.amazonaws.com` (an S3 bucket anyone can name so) or `bedrock-mantle.execute-api...`
 * pass as Bedrock. Both surfaces, their FIPS names and their PrivateLink (`vpce-...`) names.
 */
const BEDROCK_HOST = new RegExp(`^(?:vpce-[a-z0-9-]+\\.)?bedrock-(mantle|runtime)(?:-fips)?\\.(${REGION_PATTERN})\\.(?:vpce\\.)?([a-z0-9.-]+)$`);

/**
 * The surface, region and suffix a Bedrock host name says (`bedrock-mantle.us-east-1.api.aws` -> mantle,
 * us-east-1, api.aws), whatever its scheme and port; undefined for any other host. A trailing dot names the same
 * host. Whether the suffix is the region's partition's is ownPartitionOf's question.
 */
export function bedrockHostOf(hostname: string): { surface: 'mantle' | 'runtime'; region: string; suffix: string } | undefined {
  const [, surface, region, suffix] = BEDROCK_HOST.exec(hostname.toLowerCase().replace(/\.$/, '')) ?? [];
  return surface !== undefined && region !== undefined && suffix !== undefined ? { surface: surface as 'mantle' | 'runtime', region, suffix } : undefined;
}

/**
 * The partition a Bedrock host is its own host in: the region's, when the host is under that partition's regional or
 * dual-stack suffix; undefined otherwise (`bedrock-runtime.cn-north-1.amazonaws.com` is no host of China's).
 */
export function ownPartitionOf(host: { region: string; suffix: string }): Partition | undefined {
  const partition = partitionOf(host.region);
  return partition && (host.suffix === partition.dnsSuffix || host.suffix === partition.dualStackDnsSuffix) ? partition : undefined;
}

/**
 * Bedrock's own host: a Bedrock host name (bedrockHostOf) under its region's own partition's suffix (ownPartitionOf),
 * with the surface and region it names and that partition; undefined for any other host (a look-alike, a region
 * under another partition's suffix). The one rule for "this is Bedrock": its surface, its trust domain, its site.
 */
export function ownBedrockHost(hostname: string): { surface: 'mantle' | 'runtime'; region: string; partition: Partition } | undefined {
  const host = bedrockHostOf(hostname);
  const partition = host && ownPartitionOf(host);
  return host && partition ? { surface: host.surface, region: host.region, partition } : undefined;
}

/** The site of a target id made by cli/target-options.ts targetIdOf (`runtime.us-east-1` -> `us-east-1`; a Mantle target's id is its site). */
export function siteOfId(id: string): { surface?: Surface; site: string } {
  const dot = id.indexOf('.');
  const head = dot > 0 ? id.slice(0, dot) : '';
  return isSurface(head) && head !== 'mantle' ? { surface: head, site: id.slice(dot + 1) } : { site: id };
}
