/**
 * @module cli/emulator-command
 * `mantle-conformance emulator`: serve the local Mantle emulator until Ctrl-C or SIGTERM, with per-model quirks from flags,
 * so an app can be tested against Mantle's behavior offline. Quirks are checked against the profiles before the
 * server starts; every request is logged on one line (through the one neutraliser of endpoint text: the path and
 * model are whatever a client sent).
 */
import { BlockList, type AddressInfo } from 'node:net';
import { ALL_CHECKS } from '../checks/registry.ts';
import { profilesFromCatalog } from '../emulator/profile-from-catalog.ts';
import { parseQuirks } from '../emulator/quirks.ts';
import { startEmulator, type RequestLogEntry, type RunningEmulator } from '../emulator/server.ts';
import { FLAVOURS } from '../emulator/surface.ts';
import { inertLine } from '../report/inert-text.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { EMULATOR_LATENCY, EMULATOR_PORT, intFlag, usage } from './run-options.ts';
import { shellWord } from './shell-word.ts';
import { envNameFlag } from './env-name-flags.ts';
import { keysReadFrom } from '../key-shapes.ts';
import { envNameShown, plausibleEnvName } from '../transport/auth/env-name-shown.ts';
import { keyValueRefusal } from '../transport/auth/bearer.ts';
import { sendableHeaderValue } from '../transport/headers.ts';

export interface EmulatorFlags {
  port?: string;
  host?: string;
  catalog: string;
  apiKeyEnv?: string;
  unknownModels?: 'not-found' | 'generic';
  latency?: string;
  quirk?: string[];
  random?: boolean;
  quiet?: boolean;
  /** `mantle` (default) or `runtime`: bedrock-runtime's routes and documented differences. */
  surface?: 'mantle' | 'runtime';
}

/**
 * Starts the emulator the flags describe. `log` receives one line per request (none when it is omitted, as with
 * `--quiet`).
 */
export async function startEmulatorFromFlags(flags: EmulatorFlags, log?: (line: string) => void): Promise<RunningEmulator> {
  // A value that is no variable name may be the key itself: refused without quoting it. Named before the catalog
  // loads, so its messages withhold the key (key-shapes.ts).
  if (flags.apiKeyEnv !== undefined) keysReadFrom(envNameFlag('--api-key-env', flags.apiKeyEnv));
  const catalog = await loadCatalog(flags.catalog, ALL_CHECKS);
  const apiKey = flags.apiKeyEnv ? process.env[flags.apiKeyEnv] : undefined;
  if (flags.apiKeyEnv && !apiKey) {
    const state = apiKey === undefined ? 'is not set' : 'is set but empty';
    // A name that may be the key itself is not quoted (env-name-shown.ts).
    const fix = plausibleEnvName(flags.apiKeyEnv) ? 'export it with the key' : 'give the NAME of the variable that holds the key (export MY_KEY=..., then --api-key-env MY_KEY)';
    throw usage('--api-key-env', `${envNameShown(flags.apiKeyEnv, '--api-key-env')} ${state}; ${fix} or leave the flag out to accept any key`);
  }
  // A key no client can send would refuse every request, the banner's own run command too: HTTP drops the blanks
  // around a header value (run trims them), and refuses line breaks, control characters and non-Latin-1 text.
  const problem = apiKey ? sendableHeaderValue(apiKey, 'none').problem : undefined;
  if (flags.apiKeyEnv && problem) throw keyValueRefusal(flags.apiKeyEnv, problem, 'The emulator was not started.');
  const unknownModels = flags.unknownModels ?? 'not-found';
  const quirks = parseQuirks(flags.quirk ?? [], profilesFromCatalog(catalog), unknownModels);
  const port = intFlag('--port', flags.port, EMULATOR_PORT.default, EMULATOR_PORT.range);
  // Node listens on every interface for an empty host: an unset variable must not open the emulator to the network.
  if (flags.host !== undefined && flags.host.trim() === '') throw usage('--host', 'an empty host would listen on every interface; give the address to listen on, e.g. 127.0.0.1 (is the variable it came from set?)');
  const host = flags.host ?? '127.0.0.1';
  try {
    return await startEmulator({
      profiles: profilesFromCatalog(catalog, quirks.overrides, flags.surface ?? 'mantle'),
      unknownModels,
      port,
      host,
      latencyMs: intFlag('--latency', flags.latency, EMULATOR_LATENCY.default, EMULATOR_LATENCY.range),
      deterministic: !flags.random,
      surface: FLAVOURS[flags.surface ?? 'mantle'],
      ...(apiKey ? { apiKey } : {}),
      ...(log ? { onRequest: (entry: RequestLogEntry) => log(requestLine(entry, quirks.applied)) } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw usage('--port', `${port} is already in use on ${host}: stop what listens there, or pick another port (--port 0 takes any free one)`);
    if (code === 'EACCES') throw usage('--port', `${port} on ${host} needs privileges this process lacks: pick a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw usage('--host', `${host} is not an address of this machine: use 127.0.0.1 (the default) or another local interface`);
    throw error;
  }
}

/**
 * What the emulator says once it listens: its base URLs, and the run command that tests it as what it plays. That
 * command is followed as printed: live (run replays by default), on the surface played (without --surface a local
 * endpoint is `custom`, and bedrock-runtime's documented differences would gate as the endpoint's failures), with the
 * key the emulator requires, else none.
 */
export function emulatorBanner(listening: Pick<RunningEmulator, 'url' | 'address'>, flags: Pick<EmulatorFlags, 'surface' | 'apiKeyEnv'>): string {
  const { url } = listening;
  const surface = flags.surface ?? 'mantle';
  const openai = surface === 'runtime' ? `${url}/openai/v1` : `${url}/v1 or ${url}/openai/v1`;
  const named = flags.apiKeyEnv && plausibleEnvName(flags.apiKeyEnv) ? inertLine(shellWord(flags.apiKeyEnv), 200) : 'NAME (the variable given to the emulator: not shown, it may be the key itself)';
  const auth = flags.apiKeyEnv ? `--api-key-env ${named}` : '--auth none';
  const run = `mantle-conformance run --mode live --endpoint ${url} --surface ${surface} ${auth}`;
  // An unspecified address listens on every interface: said, since it has no auth by default.
  const everywhere = listensEverywhere(listening.address)
    ? `Listening on every interface: reachable from other machines${flags.apiKeyEnv ? '' : ', and accepting any key (give --api-key-env NAME to require one)'}.\n`
    : '';
  return `${surface === 'runtime' ? 'bedrock-runtime' : 'Mantle'} emulator on ${url} (base URL for OpenAI SDKs: ${openai}; Anthropic: ${url}/anthropic; test it with: ${run})\n${everywhere}Ctrl-C to stop.\n`;
}

/** The unspecified addresses, `0.0.0.0` and `::`; BlockList counts the IPv4-mapped `::ffff:0.0.0.0` as the first. */
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

/**
 * Whether the emulator listens on every interface: decided from the address the socket is bound to, not from how
 * `--host` spelt it (`0`, `0.0`, `0:0::0`, `::ffff:0:0` all bind an unspecified address).
 */
export function listensEverywhere(address: AddressInfo): boolean {
  return UNSPECIFIED.check(address.address, address.family === 'IPv6' ? 'ipv6' : 'ipv4');
}

/** `12:00:01.250 POST /openai/v1/chat/completions xai.grok-4.3 -> 200 (3 ms) quirks: createdAt.chat=exponent` */
export function requestLine(entry: RequestLogEntry, applied: ReadonlyMap<string, readonly string[]>): string {
  const time = new Date().toISOString().slice(11, 23);
  // Quirks are set on catalog ids; on runtime a profile id (us.x) is served as x, with x's quirks.
  const quirks = entry.model !== undefined ? applied.get(entry.profile ?? entry.model) : undefined;
  const model = entry.model !== undefined ? inertLine(entry.model, 120) : '-';
  const status = entry.status === 0 ? 'closed before an answer' : String(entry.status);
  // The query left out: a client may send its key in it (Azure's `?api-key=`, which the harness sends on every request).
  const query = entry.path.indexOf('?');
  const path = query < 0 ? entry.path : `${entry.path.slice(0, query)}?(query not shown)`;
  return `${time} ${inertLine(entry.method, 16)} ${inertLine(path, 200)} ${model} -> ${status} (${entry.durationMs} ms)${quirks?.length ? ` quirks: ${inertLine(quirks.join(' '), 300)}` : ''}`;
}
