/**
 * @module emulator/surface
 * The surface the emulator plays: Mantle (the default) or bedrock-runtime, the same engine on another endpoint
 * (MANTLE.md, "Two surfaces on one engine"). A flavour is the set of documented differences, each one switch, so a
 * test can say exactly which differences the runtime flavour is configured with and the migration view must find
 * those and nothing else. Every model keeps its own quirks on both surfaces.
 */
import type { IncomingMessage } from 'node:http';
import type { ModelProfile } from './profile.ts';
import { openaiError } from './wire.ts';

export type EmulatedSurface = 'mantle' | 'runtime';

export interface SurfaceFlavour {
  surface: EmulatedSurface;
  /**
   * The OpenAI route prefixes every model is served on, in place of its own (runtime: `/openai/v1`); absent: the
   * model's own (Mantle's per-model prefixes).
   */
  openaiPrefixes?: string[];
  /** `background: true`: as the model's profile says, answered at once (synchronous), or refused with a 400. */
  background: 'as-profile' | 'synchronous' | 'rejected';
  /** The server-side `web_search` tool on Responses. */
  webSearch: 'supported' | 'rejected';
  /** Cross-region inference profile ids (`us.<model>`, `eu.`, `apac.`, `global.`). */
  profileIds: 'served' | 'not-found';
  /** An `OpenAI-Project` header: looked up (the harness's own `proj_mantle-conformance-*` ids are unknown), refused, or ignored. */
  project: 'honoured' | 'rejected' | 'ignored';
}

export const FLAVOURS: Record<EmulatedSurface, SurfaceFlavour> = {
  mantle: { surface: 'mantle', background: 'as-profile', webSearch: 'supported', profileIds: 'not-found', project: 'honoured' },
  runtime: { surface: 'runtime', openaiPrefixes: ['/openai/v1'], background: 'synchronous', webSearch: 'rejected', profileIds: 'served', project: 'ignored' },
};

/**
 * What the runtime flavour is configured to change, as the checks see it: check id -> what Mantle's flavour
 * observes -> what runtime's does. `path-prefix` changes only for models Mantle serves on `/v1`. Besides these, a
 * model's Mantle claim on a check the catalog says states nothing on runtime (`surfaces.runtime.unstated`) is not
 * played there (profilesFromCatalog): gpt-oss-120b's exponent created_at is Mantle's only. A test holds the
 * migration view of a two-surface run to exactly these.
 */
export const RUNTIME_DIFFERENCES: Record<string, { mantle: string; runtime: string; applies: 'responses' | 'openai' | 'any' | 'v1-models' }> = {
  'path-prefix': { mantle: '/v1', runtime: '/openai/v1', applies: 'v1-models' },
  'responses.background': { mantle: 'completed', runtime: 'returned-completed', applies: 'responses' },
  'responses.web-search': { mantle: 'supported', runtime: 'rejected', applies: 'responses' },
  'models.profile-id': { mantle: 'not-found', runtime: 'served', applies: 'any' },
  'headers.openai-project': { mantle: 'honoured', runtime: 'ignored', applies: 'openai' },
};

const PROFILE_ID = /^(us|eu|apac|global)\.(.+)$/;

/** The profile a requested id names: the model itself, or on a surface that serves them, a profile id's model. */
export function resolveModel(model: string, flavour: SurfaceFlavour, lookup: (id: string) => ModelProfile | undefined): ModelProfile | undefined {
  const match = PROFILE_ID.exec(model);
  if (match) return flavour.profileIds === 'served' ? lookup(match[2]!) : undefined;
  return lookup(model);
}

/** The model's profile as this surface serves it: its route prefixes and background handling. */
export function onSurface(profile: ModelProfile, flavour: SurfaceFlavour): ModelProfile {
  const prefixes = flavour.openaiPrefixes && profile.prefixes.length ? flavour.openaiPrefixes : profile.prefixes;
  const background = flavour.background === 'synchronous' ? 'synchronous' : profile.behaviors.background;
  if (prefixes === profile.prefixes && background === profile.behaviors.background) return profile;
  return { ...profile, prefixes, behaviors: { ...profile.behaviors, background } };
}

/** The harness's own project ids are never known, so that "honoured" stays testable (as `mantle-conformance.*` models). */
const UNKNOWN_PROJECT = /^proj_mantle-conformance-/;

/** What this surface refuses in an OpenAI create request before the model sees it, if anything. */
export function surfaceRefusal(req: IncomingMessage, body: Record<string, unknown>, resource: string, flavour: SurfaceFlavour): { status: number; body: unknown } | undefined {
  const project = req.headers['openai-project'];
  if (typeof project === 'string') {
    if (flavour.project === 'rejected') return openaiError(400, 'unsupported_header', 'The OpenAI-Project header is not supported on this endpoint: only the default project is available.', 'invalid_request_error', 'OpenAI-Project');
    if (flavour.project === 'honoured' && UNKNOWN_PROJECT.test(project)) return openaiError(404, 'project_not_found', `Project '${project}' does not exist or you do not have access to it.`, 'not_found_error');
  }
  if (resource !== 'responses') return undefined;
  const tools = Array.isArray(body.tools) ? (body.tools as unknown[]) : [];
  const serverSide = tools.find((t): t is { type: string } => typeof t === 'object' && t !== null && typeof (t as { type?: unknown }).type === 'string' && (t as { type: string }).type.startsWith('web_search'));
  if (serverSide && flavour.webSearch === 'rejected') {
    return openaiError(400, 'unsupported_tool', `Server-side tools are not supported on this endpoint: '${serverSide.type}'.`, 'invalid_request_error', 'tools');
  }
  if (body.background === true && flavour.background === 'rejected') {
    return openaiError(400, 'unsupported_parameter', "Unsupported parameter: 'background' is not supported on this endpoint; requests are synchronous.", 'invalid_request_error', 'background');
  }
  return undefined;
}
