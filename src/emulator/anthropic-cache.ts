/**
 * @module emulator/anthropic-cache
 * Prompt caching on the emulated Anthropic surface: the prefix up to the last `cache_control` breakpoint (tools,
 * then system, then messages, as Anthropic renders them) is written to the cache on first sight and read back on
 * the next request with the same prefix, for the same model. Prefixes shorter than the minimum are not cached (no
 * error, as on Mantle: seeds/portkey says about 2048 tokens there).
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from './context.ts';
import type { ModelProfile } from './profile.ts';
import { countTokens } from './wire.ts';

/** The emulator's minimum cacheable prefix, in its own tokens (words). */
export const MIN_CACHED_TOKENS = 1024;

export interface CacheUsage {
  /** Tokens of the prefix written to the cache by this request. */
  written: number;
  /** Tokens of the prefix read from the cache. */
  read: number;
}

const hasBreakpoint = (value: unknown) => Boolean(value && typeof value === 'object' && 'cache_control' in value);

/** The text of everything up to and including the last breakpoint, or undefined when there is none. */
export function cachedPrefix(body: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  let end = -1;
  const visit = (value: unknown) => {
    parts.push(typeof value === 'string' ? value : JSON.stringify(value));
    if (hasBreakpoint(value)) end = parts.length;
  };
  const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  list(body.tools).forEach(visit);
  list(body.system).forEach(visit);
  for (const message of list(body.messages)) {
    const content = (message as Record<string, unknown> | undefined)?.content;
    list(content).forEach(visit);
  }
  // Automatic caching: a top-level breakpoint caches everything sent.
  if (body.cache_control !== undefined) end = parts.length;
  return end === -1 ? undefined : parts.slice(0, end).join('\n');
}

/** Whether the model refuses the request's breakpoints. */
export function cacheRefused(body: Record<string, unknown>, profile: ModelProfile): boolean {
  return profile.behaviors.promptCache === 'rejects' && cachedPrefix(body) !== undefined;
}

/** What the request writes to and reads from the cache (and records the write). */
export function cacheUsage(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): CacheUsage {
  const prefix = cachedPrefix(body);
  if (prefix === undefined || profile.behaviors.promptCache !== 'caches') return { written: 0, read: 0 };
  const tokens = countTokens(prefix);
  if (tokens < MIN_CACHED_TOKENS) return { written: 0, read: 0 };
  const key = createHash('sha256').update(`${profile.id}\u0000${prefix}`).digest('hex');
  if (context.promptCache.has(key)) return { written: 0, read: tokens };
  context.promptCache.add(key);
  return { written: tokens, read: 0 };
}
