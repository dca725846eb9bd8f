/**
 * @module emulator/client-requests
 * What integrators' clients send that a Mantle model may refuse before it answers, each a switch in the profile:
 * request fields a strict parser does not know (400 "Failed to deserialize the JSON body into the target type",
 * mastra #19228), an `anthropic-version` other than the ones the endpoint takes, an `anthropic-beta` not on its
 * allowlist (400 "invalid beta flag", litellm #41203); and `POST /responses/compact`, which Codex clients need
 * (OpenAI documents it; on Mantle it is undocumented, maximhq/bifrost #6230).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.ts';
import { countTokens, openaiError, anthropicError, sendJson, timestamp } from './wire.ts';
import type { EmulatedApi, ModelProfile } from './profile.ts';
import { typeRefusal } from './request-checks.ts';

/** Betas Anthropic documents that the emulated allowlist keeps; any other value is unknown. */
const KNOWN_BETAS = new Set(['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14', 'fine-grained-tool-streaming-2025-05-14', 'token-efficient-tools-2025-02-19']);

function hasPath(body: Record<string, unknown>, path: string): boolean {
  let at: unknown = body;
  for (const key of path.split('.')) {
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined;
}

/** The strict parser's 400 for the first field of the request it does not know, or undefined. */
export function strictFieldRefusal(body: Record<string, unknown>, api: EmulatedApi, profile: ModelProfile): { status: number; body: unknown } | undefined {
  const field = profile.behaviors.strictFields[api]?.find((path) => hasPath(body, path));
  if (field === undefined) return undefined;
  const name = field.split('.').at(-1)!;
  const message = `Failed to deserialize the JSON body into the target type: unknown field \`${name}\` at line 1 column ${JSON.stringify(body).indexOf(`"${name}"`) + 1}`;
  return api === 'messages' || api === 'count-tokens' ? anthropicError(400, 'invalid_request_error', message) : openaiError(400, 'validation_error', message, 'invalid_request_error');
}

/** A refusal of the request's anthropic-version or anthropic-beta header, or undefined. */
export function anthropicHeaderRefusal(headers: IncomingHttpHeaders, profile: ModelProfile): { status: number; body: unknown } | undefined {
  const version = headers['anthropic-version'];
  const versions = profile.behaviors.anthropicVersions;
  if (versions && typeof version === 'string' && !versions.includes(version)) {
    return anthropicError(400, 'invalid_request_error', `anthropic-version: "${version}" is not a supported version (supported: ${versions.join(', ')})`);
  }
  const beta = headers['anthropic-beta'];
  if (profile.behaviors.betaFlags === 'reject-unknown' && typeof beta === 'string') {
    const unknown = beta.split(',').map((value) => value.trim()).find((value) => value && !KNOWN_BETAS.has(value));
    if (unknown !== undefined) return anthropicError(400, 'invalid_request_error', 'invalid beta flag');
  }
  return undefined;
}

/**
 * `POST /responses/compact`: a `response.compaction` whose output is the input followed by one opaque compaction
 * item (OpenAI's shape), or Mantle's 404 for a route it does not have.
 */
export function handleCompact(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): void {
  if (!profile.behaviors.compact) return sendJson(res, 404, { error: { code: 'not_found', message: 'Not Found', param: null, type: 'not_found_error' } }, context.headers());
  const wrongType = typeRefusal(body, profile, 'responses');
  if (wrongType) return sendJson(res, wrongType.status, wrongType.body, context.headers());
  const input = Array.isArray(body.input) ? body.input : typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : [];
  const inputTokens = countTokens(JSON.stringify(input));
  sendJson(
    res,
    200,
    {
      id: context.id('cmp'),
      object: 'response.compaction',
      created_at: timestamp(context.now(), profile.createdAt.responses),
      output: [...input, { id: context.id('cmp'), type: 'compaction', encrypted_content: `gAAAAemulator${context.id('enc')}` }],
      usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inputTokens + 4 },
    },
    context.headers(),
  );
}
