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
import { PARTITIONS } from '../aws-partitions.ts';
import { HarnessError } from '../errors.ts';
import type { AuthConfig, TargetConfig } from '../run/run-config.ts';
import { ownBedrockHost } from '../surfaces.ts';
import { headerFromShown, keyInShown } from '../transport/auth/env-name-shown.ts';
import { isLoopbackHostname } from '../transport/proxy.ts';

/**
 * The trust domain of a base URL: its partition's title (`AWS`, `AWS China`, `AWS GovCloud`) for a Bedrock host
 * over https on the default port, else its origin (never its path, user info or query). A trailing dot (the fully
 * qualified spelling) names the same host; `http://` or another port on a Bedrock-looking name is not how Bedrock is
 * served, so it is a service of its own; and so is a region under another partition's suffix
 * (`bedrock-runtime.cn-north-1.amazonaws.com` is no host of China's).
 */
export function trustDomain(baseUrl: string): string {
  const url = new URL(baseUrl);
  const own = ownBedrockHost(url.hostname);
  return url.protocol === 'https:' && url.port === '' && own ? own.partition.title : url.origin;
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

/**
 * This machine: a local server or the emulator, reached without leaving it (`localhost`, `*.localhost`, 127.0.0.0/8,
 * `::1` and 127/8 mapped into IPv6, `[::ffff:127.0.0.1]`, which the URL parser spells `[::ffff:7f00:1]`): the
 * address checked as an address, by proxy.ts's rule (one rule for "direct" and "this machine"). 0.0.0.0 and `::` are
 * not: they are where a server listens, and a request to them reaches this machine on some systems only (Linux),
 * elsewhere nothing; so a credential to one is refused or warned of like another host's, with a line saying so.
 */
export function isLoopback(hostname: string): boolean {
  return isLoopbackHostname(hostname);
}

/**
 * A host as a message names it: an IPv6 address written out whole (`[0:0:0:0:0:0:a00:1]`, the same address to every
 * parser), since the error printer breaks every `::` with a zero-width space (inert-text.ts inertLine: no workflow
 * command forms) and the compressed spelling could not be copied back. No `::` is left to break: still inert.
 */
function copyableHost(url: URL): string {
  const ip = /^\[(.*)\]$/.exec(url.hostname)?.[1];
  if (!ip?.includes('::')) return url.host;
  const [head = [], tail = []] = ip.split('::').map((part) => (part ? part.split(':') : []));
  const whole = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail].join(':');
  return `[${whole}]${url.port ? `:${url.port}` : ''}`;
}

/** The hosts of the targets that send, `which` of them, each once, as copyableHost names them. */
function hostsOf(targets: readonly TargetConfig[], which: (url: URL) => boolean): string[] {
  const urls = targets.flatMap((t) => (t.mode !== 'replay' && t.baseUrl ? [new URL(t.baseUrl)] : []));
  return [...new Set(urls.filter(which).map(copyableHost))];
}

/** What to say of a listening address among `hosts` (0.0.0.0, `::`): why it is not this machine, and what is. */
function listeningAddressNote(hosts: string[]): string {
  const listening = hosts.filter((host) => /^(?:0\.0\.0\.0|\[0:0:0:0:0:0:0:0\])(?::\d+)?$/.test(host));
  if (listening.length === 0) return '';
  return ` (${listening.join(', ')} is the address a server listens on, not one that reaches this machine on every system: give http://127.0.0.1:PORT or http://localhost:PORT for a server here)`;
}

/**
 * HARNESS_USAGE when the key `--auth bearer` reads by default, the Bedrock API key the quick start exports, would go
 * to a host that is neither one of Bedrock's own (trustDomain: an AWS partition) nor this machine: a vendor's
 * gateway or a colleague's server would receive an AWS credential only because --api-key-env or --auth none was
 * left out. Naming the variable with --api-key-env sends it there on purpose. A variable that is unset is left to
 * bearer.ts, whose message says what to set.
 */
export function refuseDefaultKeyElsewhere(targets: readonly TargetConfig[], auth: AuthConfig, keyNamed: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (auth.kind !== 'bearer' || keyNamed || !env[auth.apiKeyEnv]?.trim()) return;
  const hosts = hostsOf(targets, (url) => !PARTITIONS.some((p) => p.title === trustDomain(url.toString())) && !isLoopback(url.hostname));
  if (hosts.length === 0) return;
  const which = `${hosts.join(', ')}, which ${hosts.length === 1 ? 'is' : 'are'} not one of Bedrock's own https hosts${listeningAddressNote(hosts)}`;
  throw new HarnessError(
    'HARNESS_USAGE',
    `--api-key-env: ${keyInShown(auth.apiKeyEnv)} (read by default: --auth bearer without --api-key-env) would go to ${which}: nothing was sent. ` +
      `Give --api-key-env NAME for the variable that holds that endpoint's own key, or --auth none for one that needs none; to send the Bedrock key there on purpose, name its variable: --api-key-env ${auth.apiKeyEnv}`,
  );
}

/**
 * A warning when the run's credentials go over plain http to another machine, where anyone on the way reads them.
 * Every command that sends them says it once, before the first request: `run` (before `--models listed` reads the
 * lists) and `catalog diff`.
 */
export function plainHttpWarning(targets: readonly TargetConfig[], auth: AuthConfig): string | undefined {
  const sent = credentialsSent(auth);
  const hosts = sent.length ? hostsOf(targets, (url) => url.protocol === 'http:' && !isLoopback(url.hostname)) : [];
  if (hosts.length === 0) return undefined;
  return `${sent.join(' and ')} ${sent.length === 1 ? 'goes' : 'go'} over plain http to ${hosts.join(', ')}, not this machine${listeningAddressNote(hosts)}: anyone on the way can read ${sent.length === 1 ? 'it' : 'them'}; use an https URL if the endpoint has one`;
}
