/**
 * @module cli/emulator-command
 * `mantle-conformance emulator`: serve the local Mantle emulator until Ctrl-C, with per-model quirks from flags,
 * so an app can be tested against Mantle's behavior offline.
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { profilesFromCatalog } from '../emulator/profile-from-catalog.ts';
import type { ProfileOverride } from '../emulator/profile.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { FLAVOURS } from '../emulator/surface.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { intFlag, usage } from './run-options.ts';

export interface EmulatorFlags {
  port?: string;
  host?: string;
  catalog: string;
  apiKeyEnv?: string;
  unknownModels?: 'not-found' | 'generic';
  latency?: string;
  quirk?: string[];
  random?: boolean;
  /** `mantle` (default) or `runtime`: bedrock-runtime's routes and documented differences. */
  surface?: 'mantle' | 'runtime';
}

/** `model:dotted.path=value`, e.g. `xai.grok-4.3:createdAt.chat=exponent` or `openai.gpt-oss-20b:stream.omitDone=true`. */
export function parseQuirks(specs: readonly string[]): Record<string, ProfileOverride> {
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const match = /^([^:]+):([A-Za-z.]+)=(.*)$/.exec(spec);
    if (!match) throw usage('--quirk', `"${spec}" is not model:path=value (e.g. xai.grok-4.3:createdAt.chat=exponent)`);
    const [, model, path, raw] = match as unknown as [string, string, string, string];
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare word stays a string
    }
    const target = (overrides[model] ??= {});
    const keys = path.split('.');
    let node: Record<string, unknown> = target;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  }
  return overrides as Record<string, ProfileOverride>;
}

export async function startEmulatorFromFlags(flags: EmulatorFlags): Promise<RunningEmulator> {
  const catalog = await loadCatalog(flags.catalog, ALL_CHECKS);
  const apiKey = flags.apiKeyEnv ? process.env[flags.apiKeyEnv] : undefined;
  if (flags.apiKeyEnv && !apiKey) throw usage('--api-key-env', `${flags.apiKeyEnv} is not set; export it or leave the flag out to accept any key`);
  return startEmulator({
    profiles: profilesFromCatalog(catalog, parseQuirks(flags.quirk ?? [])),
    unknownModels: flags.unknownModels ?? 'not-found',
    port: intFlag('--port', flags.port, 4010),
    host: flags.host ?? '127.0.0.1',
    latencyMs: intFlag('--latency', flags.latency, 0),
    deterministic: !flags.random,
    surface: FLAVOURS[flags.surface ?? 'mantle'],
    ...(apiKey ? { apiKey } : {}),
  });
}
