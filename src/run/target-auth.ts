/**
 * @module run/target-auth
 * One target's credentials, as every request to it is signed or keyed: the run's auth settings, the target's region
 * and its surface's SigV4 service (bedrock-mantle on Mantle, bedrock on bedrock-runtime), held to a record run's
 * rules when it records, and its --endpoint query credentials measured as a header's (auth/short-secrets.ts). The
 * run's requests, the credentials check and the model-list reads build it here alike.
 */
import { SURFACE_RULES } from '../surfaces.ts';
import { createAuth } from '../transport/auth/create-auth.ts';
import type { RunConfig, TargetConfig } from './run-config.ts';

export function targetAuth(config: Pick<RunConfig, 'auth'>, target: TargetConfig): ReturnType<typeof createAuth> {
  return createAuth({ ...config.auth, region: target.region, service: SURFACE_RULES[target.surface].sigv4Service, recording: target.mode === 'record', endpoints: [target.baseUrl] });
}
