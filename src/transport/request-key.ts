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
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  return canonical(value);
}

/** A parsed JSON value written with every object's keys sorted, without building a sorted copy of it first. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
