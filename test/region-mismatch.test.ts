/**
 * A Bedrock host names its region: a run whose --region, or whose `--targets` name, says another region would be
 * run, recorded and labelled as that region while every request went to the host's. Refused with exit 2 before
 * anything is sent (resolving a run config sends nothing), naming both regions and the URL to give.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { resolveRunConfig, type RunFlags } from '../src/cli/run-options.ts';
import { ROOT } from './helpers/harness.ts';

const resolve = (flags: RunFlags) => resolveRunConfig({ mode: 'live', auth: 'none', models: 'm1', reportDir: '/tmp/mantle-unused-reports', ...flags }, ROOT, '0.0.0');
const refusal = (flags: RunFlags) => resolve(flags).then(() => undefined, (error: unknown) => error as HarnessError);

describe('a Bedrock host of one region and a target of another', () => {
  it('--endpoint in us-east-1 with --region us-west-2 is exit 2 naming both and the us-west-2 URL', async () => {
    const error = await refusal({ endpoint: 'https://bedrock-mantle.us-east-1.api.aws', region: 'us-west-2' });
    expect(error).toBeInstanceOf(HarnessError);
    expect(error!.code).toBe('HARNESS_USAGE');
    expect(error!.message).toMatch(/^--region: /);
    expect(error!.message).toContain('is in us-east-1');
    expect(error!.message).toContain('--region says us-west-2');
    expect(error!.message).toContain('https://bedrock-mantle.us-west-2.api.aws');
    expect(error!.message).toContain('--region us-east-1');
  });

  it('a --targets name that is another region, on either surface, is exit 2', async () => {
    const mantle = await refusal({ targets: 'mantle:us-west-2=https://bedrock-mantle.us-east-1.api.aws' });
    expect(mantle?.code).toBe('HARNESS_USAGE');
    expect(mantle!.message).toMatch(/^--targets: /);
    expect(mantle!.message).toContain('mantle:us-east-1=URL');
    const runtime = await refusal({ targets: 'mantle:us-east-1,runtime:us-west-2=https://bedrock-runtime.us-east-1.amazonaws.com' });
    expect(runtime!.message).toContain('https://bedrock-runtime.us-west-2.amazonaws.com');
    // A PrivateLink name and a FIPS name say their region too; a China host is built with China's suffix.
    expect((await refusal({ endpoint: 'https://vpce-0a1b-2c3d.bedrock-runtime.us-east-1.vpce.amazonaws.com', region: 'eu-west-1' }))?.message).toContain('is in us-east-1');
    expect((await refusal({ targets: 'runtime:us-gov-east-1=https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com' }))?.message).toContain('is in us-gov-west-1');
    expect((await refusal({ targets: 'runtime:cn-northwest-1=https://bedrock-runtime.cn-north-1.amazonaws.com.cn' }))?.message).toContain('https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn');
  });

  it('the same region, no region, a name that is no region and other hosts still run', async () => {
    expect((await resolve({ endpoint: 'https://bedrock-mantle.us-east-1.api.aws', region: 'us-east-1' })).targets[0]).toMatchObject({ id: 'us-east-1', region: 'us-east-1' });
    expect((await resolve({ endpoint: 'https://bedrock-mantle.us-east-1.api.aws' })).targets[0]?.region).toBeNull();
    expect((await resolve({ targets: 'mantle:east=https://bedrock-mantle.us-east-1.api.aws' })).targets[0]?.id).toBe('east');
    expect((await resolve({ endpoint: 'https://gw.example.com', region: 'us-west-2' })).targets[0]?.region).toBe('us-west-2');
    expect((await resolve({ targets: 'mantle:us-west-2' })).targets[0]?.endpointHost).toBe('bedrock-mantle.us-west-2.api.aws');
  });
});
