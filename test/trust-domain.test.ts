/**
 * The AWS trust domain is Bedrock's own hosts with a real region name, over https on the default port: an S3
 * bucket, an API Gateway or any other label in the region's place is its own origin; the fully qualified spelling
 * (trailing dot) of a Bedrock host is the same domain; every host the harness builds from --region is in its
 * partition's domain (aws, aws-cn, aws-us-gov, aws-iso...), one per partition.
 */
import { describe, expect, it } from 'vitest';
import { refuseCrossedDomains, trustDomain } from '../src/cli/credential-domains.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { nameProblem } from '../src/names.ts';
import type { AuthConfig, TargetConfig } from '../src/run/run-config.ts';
import { SURFACE_RULES, type Surface } from '../src/surfaces.ts';
import { ROOT } from './helpers/harness.ts';

const bearer: AuthConfig = { kind: 'bearer', apiKeyEnv: 'AWS_BEARER_TOKEN_BEDROCK' };
const target = (id: string, baseUrl: string): TargetConfig => ({ id, mode: 'live', baseUrl, region: null, endpointHost: new URL(baseUrl).host, surface: 'custom', site: id });
const refusal = (urls: string[]) => {
  try {
    refuseCrossedDomains(urls.map((url, at) => target(`t${at}`, url)), bearer);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};
const MANTLE = 'https://bedrock-mantle.us-east-1.api.aws';

describe('trustDomain', () => {
  it('gives a label that is no region its own origin (an S3 bucket, API Gateway)', () => {
    for (const url of ['https://bedrock-runtime.s3.amazonaws.com', 'https://bedrock-runtime.s3-us-west-2.amazonaws.com', 'https://bedrock-mantle.execute-api.amazonaws.com', 'https://bedrock-mantle.mybucket.api.aws', 'https://vpce-0a1b.bedrock-runtime.s3.vpce.amazonaws.com']) {
      expect(trustDomain(url), url).toBe(new URL(url).origin);
    }
    expect(refusal([MANTLE, 'https://bedrock-runtime.s3.amazonaws.com'])).toContain('2 trust domains');
  });

  it('takes the trailing-dot spelling of a Bedrock host as the same domain', () => {
    expect(trustDomain('https://bedrock-mantle.us-west-2.api.aws.')).toBe('AWS');
    expect(trustDomain('https://bedrock-runtime.eu-west-1.amazonaws.com./')).toBe('AWS');
    expect(refusal([MANTLE, 'https://bedrock-mantle.us-west-2.api.aws.'])).toBeUndefined();
  });

  it('counts a Bedrock name over http or on another port as its own origin', () => {
    for (const url of ['http://bedrock-mantle.us-east-1.api.aws', 'https://bedrock-mantle.us-east-1.api.aws:8080', 'http://bedrock-runtime.us-east-1.amazonaws.com:443']) {
      expect(trustDomain(url), url).toBe(new URL(url).origin);
    }
    expect(trustDomain('https://bedrock-mantle.us-east-1.api.aws:443')).toBe('AWS');
    expect(refusal([MANTLE, 'http://bedrock-mantle.us-east-1.api.aws'])).toContain('2 trust domains');
  });

  it('is AWS for every host the harness builds from a commercial --region, on both surfaces', async () => {
    const regions = ['us-east-1', 'eu-central-2', 'ap-southeast-3', 'il-central-1', 'mx-central-1', 'ca-west-1'];
    for (const region of regions) {
      expect(nameProblem(region, 'region'), region).toBeUndefined();
      for (const surface of ['mantle', 'runtime'] as Surface[]) {
        const url = SURFACE_RULES[surface].baseUrl(region)!;
        expect(trustDomain(url), url).toBe('AWS');
      }
    }
    // Each other partition's hosts are its own domain (test/g8-aws-partitions.test.ts).
    expect(trustDomain(SURFACE_RULES.runtime.baseUrl('us-gov-west-1')!)).toBe('AWS GovCloud');
    expect(trustDomain(SURFACE_RULES.runtime.baseUrl('cn-north-1')!)).toBe('AWS China');
    // And a run over all of them, both surfaces, is one domain (resolving sends nothing).
    const config = await resolveRunConfig({ mode: 'live', region: regions.join(','), headerEnv: ['x-team=GWKEY'], reportDir: '/tmp/g3-unused' }, ROOT, '0.0.0');
    expect(config.targets.length).toBe(regions.length);
    const both = await resolveRunConfig({ mode: 'live', targets: regions.flatMap((r) => [`mantle:${r}`, `runtime:${r}`]).join(','), reportDir: '/tmp/g3-unused' }, ROOT, '0.0.0');
    expect(both.targets.length).toBe(regions.length * 2);
  });
});
