/**
 * One trust domain per AWS partition: a commercial Bedrock key never goes to China's hosts (aws-cn, operated by
 * Sinnet and NWCD) nor to GovCloud's or an ISO partition's, which take accounts of their own; within a partition,
 * every region and both surfaces are one domain as before. A runtime host is built with its partition's suffix
 * (`bedrock-runtime.cn-north-1.amazonaws.com.cn`); Mantle, known only under `api.aws`, is refused in China with the
 * way to give its URL. Resolving a run config sends nothing.
 */
import { describe, expect, it } from 'vitest';
import { trustDomain } from '../src/cli/credential-domains.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { SURFACE_RULES, surfaceOfHost } from '../src/surfaces.ts';
import { ROOT } from './helpers/harness.ts';

const resolve = (flags: Record<string, string>) => resolveRunConfig({ mode: 'live', auth: 'bearer', models: 'm1', reportDir: '/tmp/g8-unused', ...flags }, ROOT, '0.0.0');

describe('AWS partitions as trust domains', () => {
  it('refuses a run across partitions, naming each', async () => {
    await expect(resolve({ targets: 'runtime:us-east-1,runtime:cn=https://bedrock-runtime.cn-north-1.amazonaws.com.cn' })).rejects.toThrow(
      /2 trust domains \(AWS \(Bedrock hosts\): runtime\.us-east-1; AWS China \(Bedrock hosts of partition aws-cn\): runtime\.cn\)/,
    );
    await expect(resolve({ targets: 'runtime:us-east-1,runtime:us-gov-west-1' })).rejects.toThrow(/2 trust domains .*AWS GovCloud \(Bedrock hosts of partition aws-us-gov\): runtime\.us-gov-west-1/);
    await expect(resolve({ region: 'us-east-1,us-gov-west-1', surface: 'runtime' })).rejects.toThrow(/2 trust domains/);
    await expect(resolve({ targets: 'runtime:us-gov-west-1,runtime:cn-northwest-1,runtime:us-iso-east-1' })).rejects.toThrow(/3 trust domains/);
    // Without credentials nothing is handed over: not refused.
    const none = await resolve({ auth: 'none', targets: 'runtime:us-east-1,runtime:cn-north-1' });
    expect(none.targets.length).toBe(2);
  });

  it('keeps every region and both surfaces of one partition in one domain', async () => {
    const cn = await resolve({ targets: 'runtime:cn-north-1,runtime:cn-northwest-1,runtime:cn=https://bedrock-runtime-fips.cn-north-1.amazonaws.com.cn' });
    expect(cn.targets.length).toBe(3);
    const gov = await resolve({ targets: 'mantle:us-gov-west-1,runtime:us-gov-east-1,runtime:fips=https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com' });
    expect(gov.targets.length).toBe(3);
    expect(trustDomain('https://vpce-0a1b.bedrock-runtime.cn-north-1.vpce.amazonaws.com.cn')).toBe('AWS China');
    expect(trustDomain('https://bedrock-runtime.us-isob-east-1.sc2s.sgov.gov')).toBe('AWS ISOB');
  });

  it('takes a region under another partition\'s suffix as an origin of its own', () => {
    for (const url of ['https://bedrock-runtime.cn-north-1.amazonaws.com', 'https://bedrock-runtime.us-east-1.amazonaws.com.cn', 'https://bedrock-runtime.us-iso-east-1.amazonaws.com', 'https://bedrock-mantle.cn-north-1.api.aws']) {
      expect(trustDomain(url), url).toBe(new URL(url).origin);
    }
  });

  it('builds the runtime host with the partition\'s suffix, as the SDK does', async () => {
    const [target] = (await resolve({ targets: 'runtime:cn-north-1' })).targets;
    expect(target!.baseUrl).toBe('https://bedrock-runtime.cn-north-1.amazonaws.com.cn');
    const [byRegion] = (await resolve({ region: 'cn-northwest-1', surface: 'runtime' })).targets;
    expect(byRegion!.baseUrl).toBe('https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn');
    expect(SURFACE_RULES.runtime.baseUrl('us-gov-west-1')).toBe('https://bedrock-runtime.us-gov-west-1.amazonaws.com');
    expect(SURFACE_RULES.runtime.baseUrl('us-iso-east-1')).toBe('https://bedrock-runtime.us-iso-east-1.c2s.ic.gov');
    expect(SURFACE_RULES.mantle.baseUrl('us-east-1')).toBe('https://bedrock-mantle.us-east-1.api.aws');
    // The built host is the runtime surface (signed as `bedrock`), and in its partition's domain.
    expect(surfaceOfHost('bedrock-runtime.us-isob-east-1.sc2s.sgov.gov')).toBe('runtime');
    expect(trustDomain(target!.baseUrl!)).toBe('AWS China');
    // An ISO-like name of no partition gets no host: guessing `.amazonaws.com` would put it in the commercial domain.
    expect(SURFACE_RULES.runtime.baseUrl('us-isoc-east-1')).toBeNull();
  });

  it('refuses Mantle in China (no host is known there) with the way to give its URL', async () => {
    await expect(resolve({ targets: 'mantle:cn-north-1' })).rejects.toThrow(/"mantle:cn-north-1": bedrock-mantle \(Mantle endpoint\) has no known host in cn-north-1 \(AWS China, partition aws-cn;.*give its base URL as mantle:cn-north-1=URL/);
    await expect(resolve({ region: 'cn-north-1' })).rejects.toThrow(/--region: bedrock-mantle \(Mantle endpoint\) has no known host in cn-north-1.*--endpoint URL --region cn-north-1/);
  });
});
