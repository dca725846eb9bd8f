/**
 * @module emulator/server
 * A local Mantle: a real HTTP server on loopback that routes each request the way Mantle does (route prefixes,
 * wrong-route errors, APIs per model, auth) and answers with each model's documented behavior. It serves the
 * harness's own tests, records the bundled fixtures, and lets users test their apps against Mantle's quirks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCountTokens, handleMessages, missingVersion } from './anthropic.ts';
import { handleChat } from './chat.ts';
import { anthropicHeaderRefusal, handleCompact, strictFieldRefusal } from './client-requests.ts';
import { requestContext, type SharedState } from './context.ts';
import { STREAM_FAULTS, applyFault, type FaultSpec } from './faults.ts';
import { applyOverride, genericProfile, variantFor, type EmulatedApi, type ModelProfile, type ProfileOverride } from './profile.ts';
import { handleCreateResponse } from './responses.ts';
import { handleStoredResponse } from './responses-store.ts';
import { FLAVOURS, onSurface, resolveModel, surfaceRefusal, type SurfaceFlavour } from './surface.ts';
import { MANTLE_ERRORS, anthropicError, pause, sendJson } from './wire.ts';
import { firstProblemIn } from '../json-walk.ts';

export interface EmulatorOptions {
  /** Model behaviors by id (see `profilesFromCatalog`). */
  profiles: Map<string, ModelProfile>;
  /**
   * What a model id with no profile gets: Mantle's 404, or a conformant generic model (to stand in for any
   * OpenAI-compatible server). @default 'not-found'
   */
  unknownModels?: 'not-found' | 'generic';
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (or `x-api-key`); others get a real 401. */
  apiKey?: string;
  /** Checks each request's credentials itself (e.g. a SigV4 verifier); return an error message to reject. */
  verifyRequest?(request: { method: string; path: string; headers: IncomingMessage['headers']; body: string }): string | null | Promise<string | null>;
  /** The body of the 404 for an unknown model: Mantle's OpenAI envelope, or a bare message. @default 'openai' */
  unknownModelShape?: 'openai' | 'plain';
  /** Added to every answer. @default 0 @unit milliseconds */
  latencyMs?: number;
  /** The surface played: Mantle, or bedrock-runtime's documented differences (emulator/surface.ts). @default FLAVOURS.mantle */
  surface?: SurfaceFlavour;
  /** Faults by model id. */
  faults?: Record<string, FaultSpec>;
  /** Fixed clock and request-derived ids. @default true */
  deterministic?: boolean;
  /** @default 127.0.0.1 */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
  /**
   * Called once per request when its answer has ended (or the connection closed): for a log line. The path and
   * model are the client's text, unchecked: neutralise them before they reach a terminal.
   */
  onRequest?(entry: RequestLogEntry): void;
}

/** One request as the emulator served it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The `model` of the body, when it has one. */
  model?: string;
  /** The id of the profile that model is served as, when one is (on runtime, `us.x` is served as `x`). */
  profile?: string;
  /** The HTTP status sent (0 when the connection closed before any). */
  status: number;
  durationMs: number;
}

export interface EmulatorStats {
  requests: number;
  inFlight: number;
  peakInFlight: number;
  /** Requests per model id. */
  byModel: Map<string, number>;
  /** The most requests of one model in flight at once. */
  peakByModel: Map<string, number>;
  /** Every request's method and path, in arrival order (for tests). */
  log: { at: number; method: string; path: string; model?: string; maxTokens?: number; headers: IncomingMessage['headers'] }[];
  /** When the first request arrived and the last answer ended (performance.now()). */
  firstRequestAt?: number;
  lastResponseAt?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The address it listens on, as the socket has it (`0.0.0.0`, `::ffff:0.0.0.0` for `--host ::ffff:0:0`). */
  address: AddressInfo;
  stats: EmulatorStats;
  /** Change a model's behavior while running. */
  override(model: string, override: ProfileOverride): void;
  setFault(model: string, fault: FaultSpec | undefined): void;
  close(): Promise<void>;
}

const OPENAI_ROUTE = /^(\/v1|\/openai\/v1)\/(chat\/completions|responses|models)(?:\/([^/?]+))?(?:\/([a-z_]+))?\/?(?:\?.*)?$/;
const ANTHROPIC_ROUTE = /^\/anthropic\/v1\/messages(\/count_tokens)?\/?(?:\?.*)?$/;
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * Objects and arrays a request may nest. JSON.parse reads thousands of levels, but an answer that echoes a field
 * (Responses echoes `text` and `tools`) is written by JSON.stringify, which recurses once per level: a json_schema
 * a few thousand objects deep (100 KB) was a 500. A real schema or tool nests a few dozen levels.
 */
const MAX_REQUEST_DEPTH = 1000;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const profiles = new Map(options.profiles);
  const faults = new Map(Object.entries(options.faults ?? {}));
  const faultUses = new Map<string, number>();
  const shared: SharedState = { deterministic: options.deterministic ?? true, responses: new Map(), seen: new Map() };
  const stats: EmulatorStats = { requests: 0, inFlight: 0, peakInFlight: 0, byModel: new Map(), peakByModel: new Map(), log: [] };
  const inFlightByModel = new Map<string, number>();

  const flavour = options.surface ?? FLAVOURS.mantle;
  // The harness's own probe ids (mantle-conformance.*) are never served, so "unknown model" stays testable.
  const ownProfile = (model: string): ModelProfile | undefined =>
    profiles.get(model) ?? (options.unknownModels === 'generic' && !model.startsWith('mantle-conformance.') ? genericProfile(model) : undefined);
  const profileOf = (model: string): ModelProfile | undefined => {
    const profile = resolveModel(model, flavour, ownProfile);
    return profile && onSurface(profile, flavour);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    // Listened for before the body is read: a request whose client gives up mid-body, or whose body is too large, is logged too.
    let model: string | undefined;
    let served: string | undefined;
    if (options.onRequest) {
      const report = options.onRequest;
      res.once('close', () => report({ method, path, ...(model ? { model } : {}), ...(served ? { profile: served } : {}), status: res.headersSent ? res.statusCode : 0, durationMs: Math.round(performance.now() - arrived) }));
    }
    const text = await readBody(req);
    if (res.destroyed) return;
    if (text === undefined) return sendJson(res, 413, { error: { code: 'request_too_large', message: `Request body is larger than ${MAX_REQUEST_BYTES / 1024 / 1024} MiB`, param: null, type: 'invalid_request_error' } });
    const parsed = parseBody(text);
    const body = typeof parsed === 'string' ? undefined : parsed;
    model = typeof body?.model === 'string' ? body.model : undefined;
    served = model ? profileOf(model)?.id : undefined;
    const maxTokens = [body?.max_tokens, body?.max_output_tokens, body?.max_completion_tokens].find((v) => typeof v === 'number') as number | undefined;
    stats.log.push({ at: arrived, method, path, headers: req.headers, ...(model ? { model } : {}), ...(maxTokens !== undefined ? { maxTokens } : {}) });
    if (model) {
      stats.byModel.set(model, (stats.byModel.get(model) ?? 0) + 1);
      const now = (inFlightByModel.get(model) ?? 0) + 1;
      inFlightByModel.set(model, now);
      stats.peakByModel.set(model, Math.max(stats.peakByModel.get(model) ?? 0, now));
      res.on('close', () => inFlightByModel.set(model, (inFlightByModel.get(model) ?? 1) - 1));
    }
    if (options.latencyMs) await pause(options.latencyMs, res);
    const context = requestContext(shared, `${method} ${path} ${text}`);
    const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());

    if (options.apiKey !== undefined && !authorized(req, options.apiKey)) return fail(MANTLE_ERRORS.badKey());
    const rejection = await options.verifyRequest?.({ method, path, headers: req.headers, body: text });
    if (rejection) return fail({ status: 403, body: { message: rejection } });
    if (parsed === 'not-json') return fail({ status: 400, body: { error: { code: 'invalid_json', message: 'Request body is not valid JSON', param: null, type: 'invalid_request_error' } } });
    if (parsed === 'not-object') return fail({ status: 400, body: { error: { code: 'invalid_type', message: 'Request body must be a JSON object', param: null, type: 'invalid_request_error' } } });
    if (parsed === 'too-deep') return fail({ status: 400, body: { error: { code: 'invalid_value', message: `Request body nests objects and arrays more than ${MAX_REQUEST_DEPTH} levels deep`, param: null, type: 'invalid_request_error' } } });

    const fault = model ? activeFault(model, path, body?.stream === true, text) : undefined;
    if (fault && !STREAM_FAULTS.has(fault.kind) && (await applyFault(fault, req, res))) return;

    const anthropic = ANTHROPIC_ROUTE.exec(path);
    if (anthropic) {
      if (method !== 'POST') return fail(anthropicError(405, 'invalid_request_error', `${method} is not allowed here`));
      const api: EmulatedApi = anthropic[1] ? 'count-tokens' : 'messages';
      const profile = model ? profileOf(model) : undefined;
      if ((profile?.behaviors.anthropicVersionRequired ?? true) && missingVersion(req.headers)) {
        return fail(anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required'));
      }
      if (!model) return fail(anthropicError(400, 'invalid_request_error', 'model: Field required'));
      if (!profile || !profile.apis.has(api)) return fail(anthropicError(404, 'not_found_error', `model: ${model}`));
      const refusal = anthropicHeaderRefusal(req.headers, profile) ?? strictFieldRefusal(body ?? {}, api, profile);
      if (refusal) return fail(refusal);
      const p = variantFor(withFault(profile, fault), context.occurrence);
      return api === 'messages' ? handleMessages(res, body ?? {}, p, context) : handleCountTokens(res, body ?? {}, p, context);
    }

    const route = OPENAI_ROUTE.exec(path);
    if (!route) return fail(MANTLE_ERRORS.notFound());
    const [, prefix, resource, id, sub] = route as unknown as [string, string, string, string | undefined, string | undefined];
    if (resource === 'models') {
      if (method !== 'GET') return fail(MANTLE_ERRORS.notFound());
      // The list is per surface too: a prefix the surface does not serve has no list.
      if (flavour.openaiPrefixes && !flavour.openaiPrefixes.includes(prefix)) return fail(MANTLE_ERRORS.notFound());
      const listed = [...profiles.values()].filter((p) => p.behaviors.listed).map((p) => p.id);
      return sendJson(res, 200, { object: 'list', data: listed.sort().map((m) => ({ id: m, object: 'model', created: 1_790_166_400, owned_by: m.split('.')[0] })) }, context.headers());
    }
    const compact = resource === 'responses' && id === 'compact' && sub === undefined && method === 'POST';
    if (resource === 'responses' && id && !compact) return handleStoredResponse(res, { method, id, sub }, context, profileOf);
    if (method !== 'POST' || (id && !compact)) return fail(MANTLE_ERRORS.notFound());
    if (!model) return fail({ status: 400, body: { error: { code: 'missing_required_parameter', message: "Missing required parameter: 'model'.", param: 'model', type: 'invalid_request_error' } } });
    const refusal = surfaceRefusal(req, body ?? {}, resource, flavour);
    if (refusal) return fail(refusal);
    const profile = profileOf(model);
    if (!profile) return fail(options.unknownModelShape === 'plain' ? { status: 404, body: { message: `The model '${model}' does not exist` } } : MANTLE_ERRORS.unknownModel(model));
    if (!profile.prefixes.includes(prefix)) return fail(wrongRoute(profile, model, `/v1/${resource}`));
    const api: EmulatedApi = resource === 'responses' ? 'responses' : 'chat-completions';
    if (!profile.apis.has(api)) return fail(MANTLE_ERRORS.apiNotOffered(model, `/v1/${resource}`));
    const strict = strictFieldRefusal(body ?? {}, api, profile);
    if (strict) return fail(strict);
    const p = variantFor(withFault(profile, fault), context.occurrence);
    if (compact) return handleCompact(res, body ?? {}, p, context);
    return api === 'responses' ? handleCreateResponse(res, body ?? {}, p, context) : handleChat(res, body ?? {}, p, context);
  }

  function activeFault(model: string, path: string, streamed: boolean, text: string): FaultSpec | undefined {
    const fault = faults.get(model);
    if (!fault || (fault.path && !fault.path.test(path)) || (fault.stream !== undefined && fault.stream !== streamed)) return undefined;
    if (fault.bodyIncludes !== undefined && !text.includes(fault.bodyIncludes)) return undefined;
    const used = faultUses.get(model) ?? 0;
    if (fault.times !== undefined && used >= fault.times) return undefined;
    faultUses.set(model, used + 1);
    return fault;
  }

  const server: Server = createServer((req, res) => {
    stats.requests += 1;
    stats.firstRequestAt ??= performance.now();
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    res.on('close', () => {
      stats.inFlight -= 1;
      stats.lastResponseAt = performance.now();
    });
    handle(req, res).catch((error: unknown) => {
      // A client that went away mid-body: nobody to answer, and the log line says it closed before an answer.
      if (res.destroyed) return;
      // The emulator's own failure (a field of a type no handler expects, `content: [null]`, or a bug): a 500 of its
      // own, never a 400 that reads as the endpoint refusing the request, and no JavaScript internals in the answer.
      if (!res.headersSent) {
        const what = error instanceof TypeError ? 'a field of a type it does not handle (Mantle refuses such a request with a 400)' : 'an error of its own';
        sendJson(res, 500, { error: { code: 'emulator_error', message: `the emulator could not answer this request: ${what}`, param: null, type: 'server_error' } });
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    address,
    stats,
    override(model, override) {
      profiles.set(model, applyOverride(profiles.get(model) ?? genericProfile(model), override));
    },
    setFault(model, fault) {
      faultUses.delete(model);
      if (fault) faults.set(model, fault);
      else faults.delete(model);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function withFault(profile: ModelProfile, fault: FaultSpec | undefined): ModelProfile {
  if (!fault) return profile;
  if (fault.kind === 'truncated-sse') return { ...profile, stream: { ...profile.stream, truncate: true } };
  if (fault.kind === 'sse-error-frame') return { ...profile, stream: { ...profile.stream, errorFrame: true } };
  return profile;
}

function wrongRoute(profile: ModelProfile, model: string, path: string): { status: number; body: unknown } {
  switch (profile.wrongRoute) {
    case 'berm-401':
      return MANTLE_ERRORS.berm();
    case 'api-400':
      return MANTLE_ERRORS.apiNotOffered(model, path);
    case 'not-found-404':
      return MANTLE_ERRORS.notFound();
    case 'plain-404':
      return { status: 404, body: 'Not Found' };
    default:
      return MANTLE_ERRORS.notOnRoute(model);
  }
}

function authorized(req: IncomingMessage, key: string): boolean {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header === `Bearer ${key}`) return true;
  return req.headers['x-api-key'] === key;
}

/**
 * The body's text, or undefined when it is larger than MAX_REQUEST_BYTES. The rest of a body too large is read and
 * dropped rather than the connection reset, so that the client reads a 413, not ECONNRESET; but only as much again
 * as the limit: a client that goes on sending after that is cut off (no one is kept reading a body without end).
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= MAX_REQUEST_BYTES) parts.push(part);
      else parts.length = 0;
      if (size > 2 * MAX_REQUEST_BYTES) req.destroy();
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(parts).toString('utf8')));
    // Cut off, or the client gave up: nothing to answer (the caller finds the response destroyed).
    req.on('close', () => resolve(undefined));
    req.on('error', reject);
  });
}

/** The body as an object; an empty body is `{}`. */
function parseBody(text: string): Record<string, unknown> | 'not-json' | 'not-object' | 'too-deep' {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not-json';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not-object';
  return firstProblemIn(value, MAX_REQUEST_DEPTH, () => 'too-deep') === undefined ? (value as Record<string, unknown>) : 'too-deep';
}
