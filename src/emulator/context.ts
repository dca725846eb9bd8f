/**
 * @module emulator/context
 * Per-server state the API handlers share: ids, the clock, response headers, and the Responses store.
 * Deterministic by default: a fixed clock, and ids derived from the request itself (and how many times the same
 * request was seen), so concurrent runs and re-recorded fixtures give the same ids.
 */
import { createHash } from 'node:crypto';

export interface StoredResponse {
  id: string;
  body: Record<string, unknown>;
  /** Polls left before a background response completes. */
  pendingPolls: number;
}

/** How an id is spelt after its prefix. Real Mantle ids: `chatcmpl-<52 base32>`, `resp_<52 base32>`, `msg_<32 hex>`. */
export interface IdFormat {
  /** @default '_' */
  separator?: '_' | '-';
  /** @default 'hex' */
  alphabet?: 'hex' | 'base32' | 'base62';
  /** @default 32 */
  length?: number;
}

/** The id shapes of real Mantle answers (the gemma-4-31b recording; MANTLE.md: Claude's `msg_bdrk_...`). */
export const MANTLE_IDS = {
  chat: ['chatcmpl', { separator: '-', alphabet: 'base32', length: 52 }],
  response: ['resp', { alphabet: 'base32', length: 52 }],
  message: ['msg_bdrk', { alphabet: 'base62', length: 24 }],
  toolUse: ['toolu_bdrk', { alphabet: 'base62', length: 24 }],
} as const satisfies Record<string, readonly [string, IdFormat]>;

const ALPHABETS = { hex: '0123456789abcdef', base32: 'abcdefghijklmnopqrstuvwxyz234567', base62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' };

export interface EmulatorContext {
  /** How many times this same request (method, path, body) was seen before: 0 the first time. */
  occurrence: number;
  /** An id like `resp_<hex>`, derived from the request (`seed`); `format` spells it as real answers do. */
  id(prefix: string, format?: IdFormat): string;
  /** Seconds since the epoch. */
  now(): number;
  headers(): Record<string, string>;
  responses: Map<string, StoredResponse>;
  /** Anthropic prompt-cache entries written so far (keys from anthropic-cache.ts). */
  promptCache: Set<string>;
}

/** 2026-09-23T12:26:40Z: near the live recording's own timestamps. */
export const FIXED_EPOCH = 1_790_166_400;

export interface SharedState {
  deterministic: boolean;
  responses: Map<string, StoredResponse>;
  /** How many times each request has been seen, so a repeated request gets fresh ids. */
  seen: Map<string, number>;
  /** Anthropic prompt-cache entries. @default empty */
  promptCache?: Set<string>;
}

/** A context for one request; `seed` identifies the request (method, path, body). */
export function requestContext(shared: SharedState, seed: string): EmulatorContext {
  const count = (shared.seen.get(seed) ?? 0) + 1;
  shared.seen.set(seed, count);
  let local = 0;
  const hash = (label: string) =>
    createHash('sha256')
      .update(`${label}:${seed}:${count}:${local++}:${shared.deterministic ? '' : Math.random()}`)
      .digest('hex');
  return {
    occurrence: count - 1,
    id(prefix, format = {}) {
      const alphabet = ALPHABETS[format.alphabet ?? 'hex'];
      const length = format.length ?? 32;
      let digest = hash(prefix);
      if (alphabet === ALPHABETS.hex) return `${prefix}${format.separator ?? '_'}${digest.slice(0, length)}`;
      while (digest.length < length * 2) digest += hash(prefix);
      // Two hex digits (one byte) per character: an even spread over alphabets of up to 256 characters.
      const chars = Array.from({ length }, (_, i) => alphabet[Number.parseInt(digest.slice(i * 2, i * 2 + 2), 16) % alphabet.length]);
      return `${prefix}${format.separator ?? '_'}${chars.join('')}`;
    },
    now: () => (shared.deterministic ? FIXED_EPOCH : Math.floor(Date.now() / 1000)),
    headers() {
      const id = hash('request');
      return { 'x-request-id': `req_${id.slice(0, 24)}`, 'x-amzn-requestid': `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}` };
    },
    responses: shared.responses,
    promptCache: (shared.promptCache ??= new Set()),
  };
}
