/**
 * @module cli/credential-domains
 * Whom a run's credentials may reach. A run has one set of credentials (`--auth` with its key from `--api-key-env`,
 * SigV4 or a Bedrock token; every `--header-env`), and every target of the run gets all of them. With targets in
 * more than one trust domain that hands each domain's secret to the others: the Bedrock API key to a vendor's
 * gateway, the gateway's key to AWS. So such a run is refused before anything is sent, with the way to run it (one
 * run per domain, each with its own credentials, then `merge`).
 *
 * An AWS partition's domain is Bedrock's own hosts in it: both surfaces in every region of the partition (one
 * account's credentials serve them all), their FIPS names and their PrivateLink (`vpce-...`) names, each under the
 * partition's suffixes (aws-partitions.ts). One per partition: China's regions (aws-cn, operated by Sinnet and
 * NWCD), GovCloud and the ISO partitions take accounts of their own, so a commercial Bedrock key must not reach them.
 * Not every `*.amazonaws.com` or `*.aws` name: API Gateway, load balancer, EC2 and Lambda URL names put anyone's code
 * there. Any other host is a domain of its own, by origin (scheme, host and port): two ports of one machine are two
 * services, as a gateway beside a test server.
 */
import { partitionOf, PARTITIONS } from '../aws-partitions.ts';
import { HarnessError } from '../errors.ts';
import { REGION_PATTERN } from '../names.ts';
import type { AuthConfig, TargetConfig } from '../run/run-config.ts';
import { headerFromShown, keyInShown } from '../transport/auth/env-name-shown.ts';

/**
 * Bedrock's host names, with a real region name (names.ts, as --region takes it) in the region's place: any label
 * there let `bedrock-runtime.s3.amazonaws.com` (an S3 bucket anyone can name so) or `bedrock-mantle.execute-api...`
 * pass as Bedrock. The suffix must be one of the region's partition (`trustDomain`).
 */
const BEDROCK_HOST = new RegExp(`^(?:vpce-[a-z0-9-]+\\.)?bedrock-(?:mantle|runtime)(?:-fips)?\\.(${REGION_PATTERN})\\.(?:vpce\\.)?([a-z0-9.-]+)$`);

/**
 * The trust domain of a base URL: its partition's title (`AWS`, `AWS China`, `AWS GovCloud`) for a Bedrock host
 * over https on the default port, else its origin (never its path, user info or query). A trailing dot (the fully
 * qualified spelling) names the same host; `http://` or another port on a Bedrock-looking name is not how Bedrock is
 * served, so it is a service of its own; and so is a region under another partition's suffix
 * (`bedrock-runtime.cn-north-1.amazonaws.com` is no host of China's).
 */
export function trustDomain(baseUrl: string): string {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const [, region, suffix] = BEDROCK_HOST.exec(host) ?? [];
  const partition = region === undefined ? undefined : partitionOf(region);
  const own = partition !== undefined && (suffix === partition.dnsSuffix || suffix === partition.dualStackDnsSuffix);
  return url.protocol === 'https:' && url.port === '' && own ? partition.title : url.origin;
}

/** The credentials a run sends to every target, each with the flag it comes from; none with `--auth none` alone. */
export function credentialsSent(auth: AuthConfig): string[] {
  const sent: string[] = [];
  // A variable is named only when its name is no key given in its place (env-name-shown.ts).
  if (auth.kind === 'bearer') sent.push(`${keyInShown(auth.apiKeyEnv)} (--auth bearer, --api-key-env)`);
  if (auth.kind === 'sigv4' || auth.kind === 'token') sent.push(`AWS credentials (--auth ${auth.kind})`);
  for (const { header, env } of auth.headerEnv ?? []) sent.push(`${headerFromShown(header, env)} (--header-env)`);
  return sent;
}

/**
 * HARNESS_USAGE when a run that sends credentials has targets in more than one trust domain, naming each domain's
 * targets, the credentials and their flags, and the fix. A replay sends nothing: never refused.
 */
export function refuseCrossedDomains(targets: readonly TargetConfig[], auth: AuthConfig): void {
  const sent = credentialsSent(auth);
  if (sent.length === 0) return;
  const domains = new Map<string, string[]>();
  for (const target of targets) {
    if (target.mode === 'replay' || !target.baseUrl) continue;
    const domain = trustDomain(target.baseUrl);
    domains.set(domain, [...(domains.get(domain) ?? []), target.id]);
  }
  if (domains.size < 2) return;
  const named = (domain: string) => {
    const partition = PARTITIONS.find((p) => p.title === domain);
    if (!partition) return domain;
    return partition.id === 'aws' ? `${domain} (Bedrock hosts)` : `${domain} (Bedrock hosts of partition ${partition.id})`;
  };
  const listed = [...domains].map(([domain, ids]) => `${named(domain)}: ${ids.join(', ')}`).join('; ');
  const none = auth.kind === 'none' ? '' : '; or, when no target needs a key, --auth none';
  throw new HarnessError(
    'HARNESS_USAGE',
    `--targets: every target of a run gets the same credentials, ${sent.join(' and ')}, and these targets are in ${domains.size} trust domains (${listed}): ` +
      `each would receive the credentials meant for the others. Nothing was sent. Run each domain on its own (--targets with only its targets, ` +
      `the credentials it takes and a --report-dir of its own), then join the runs' reports: mantle-conformance merge <dir1>/matrix.json <dir2>/matrix.json${none}`,
  );
}
