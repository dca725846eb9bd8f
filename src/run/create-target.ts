/**
 * @module run/create-target
 * Turns a target's config into the Target that sends (or replays) its requests.
 */
import { createAuth } from '../transport/auth/create-auth.ts';
import { LiveTarget } from '../transport/live-target.ts';
import { RecordTarget } from '../transport/record-target.ts';
import { ReplayTarget } from '../transport/replay-target.ts';
import type { Target } from '../transport/target.ts';
import type { RunConfig, TargetConfig } from './run-config.ts';

export function createTarget(target: TargetConfig, config: RunConfig): Target {
  if (target.mode === 'replay') return new ReplayTarget(target.id, config.fixturesDir);
  const auth = createAuth({ ...config.auth, region: target.region });
  const live = new LiveTarget(target.id, {
    baseUrl: target.baseUrl!,
    auth,
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.auth.project ? { headers: { 'openai-project': config.auth.project } } : {}),
  });
  if (target.mode === 'live') return live;
  return new RecordTarget(live, {
    fixturesDir: config.fixturesDir,
    provenance: { source: config.recordSource, target: target.id, endpointHost: target.endpointHost, region: target.region, harnessVersion: config.harnessVersion },
  });
}
