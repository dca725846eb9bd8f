/**
 * @module transport/request-key
 * What a recorded request is matched on in replay: method, path and the body with keys sorted. Values captured
 * from earlier responses (ids) come from the recording too, so they match.
 */
import type { ExchangeRequest } from './exchange.ts';

export function requestKey(request: Pick<ExchangeRequest, 'method' | 'path' | 'body'>): string {
  return `${request.method} ${request.path} ${canonicalBody(request.body)}`;
}

function canonicalBody(body: string | undefined): string {
  if (body === undefined) return '';
  try {
    return JSON.stringify(sortKeys(JSON.parse(body)));
  } catch {
    return body;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
