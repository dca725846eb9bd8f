/**
 * @module transport/redact-exchange
 * Every byte of an exchange that came from the wire or names it (request line, headers both ways, the body read
 * by read, error messages, request ids, a redirect's Location) goes through the run's redactor before the exchange
 * leaves the transport. Checks, fixtures, reports and the console only ever see the result.
 */
import type { Exchange, ExchangeRequest, ExchangeResponse } from './exchange.ts';
import { joinedSecretRanges } from './joined-secrets.ts';
import { cutRanges, findCredentials, mergedRanges, Redactor, type Secret } from './redactor.ts';

/**
 * The exchange with every credential of the run (the redactor's and `extra`, this request's own) replaced, and
 * `redactions` counting them; a response's reads keep their times.
 */
export function redactExchange(exchange: Exchange, redactor: Redactor, extra: readonly Secret[] = []): Exchange {
  let count = 0;
  // A name is redacted as a header name (base64 without letter case: the HTTP client lower-cased it).
  const text = (value: string, headerName = false) => {
    const redacted = redactor.text(value, extra, { headerName });
    count += redacted.count;
    return redacted.value;
  };
  // Names too: an endpoint may put what it was sent into a header's name, and shapes keep the names they see.
  const headers = (values: Readonly<Record<string, string>>) => uniqueHeaderNames(Object.entries(values).map(([name, value]) => [name, redactedHeaderName(text(name, true)), text(value)]));
  const request: ExchangeRequest = {
    method: exchange.request.method,
    path: text(exchange.request.path),
    headers: headers(exchange.request.headers),
    ...(exchange.request.body !== undefined ? { body: text(exchange.request.body) } : {}),
  };
  let response: ExchangeResponse | null = null;
  if (exchange.response) {
    const parts = redactor.parts(
      exchange.response.chunks.map((chunk) => chunk.data),
      extra,
    );
    count += parts.count;
    // A secret sent in pieces, one per event or per part of an answer, is whole where the fields are joined as
    // clients and checks join them (joined-secrets.ts).
    const joined = joinedSecretRanges(parts.value.join(''), redactor.secrets(extra));
    const data = joined.ranges.length ? cutRanges(parts.value, joined.ranges) : parts.value;
    count += joined.secrets;
    const answered = responseHeaders(exchange.response.headers, (value) => redactor.text(value, extra), redactor.secrets(extra));
    count += answered.count;
    response = { ...exchange.response, headers: uniqueHeaderNames(Object.entries(answered.value).map(([name, value]) => [name, redactedHeaderName(text(name, true)), value])), chunks: rechunk(exchange.response.chunks, data) };
  }
  const error = exchange.error ? { code: exchange.error.code, message: text(exchange.error.message) } : null;
  const redacted: Exchange = { ...exchange, request, response, error };
  if (count > 0) redacted.redactions = (exchange.redactions ?? 0) + count;
  return redacted;
}

/**
 * The values of `headers` redacted. First what no value holds alone: the run's own secrets, as written (not their
 * base64 forms, whose widening would run from one value into the next), sought in the original values joined in
 * header order (an endpoint that spreads a token over several headers, each part too short to be a piece of it);
 * only a find that crosses from one value into the next is cut there. Then each value alone, as any text (the run's
 * secrets in every form, and the credential shapes, which would also run on from one value into the next).
 */
function responseHeaders(headers: Readonly<Record<string, string>>, redact: (value: string) => { value: string; count: number }, secrets: readonly Secret[]): { value: Record<string, string>; count: number } {
  const entries = Object.entries(headers);
  const values = entries.map(([, value]) => value);
  const ends: number[] = [];
  for (const value of values) ends.push((ends.at(-1) ?? 0) + value.length);
  const crosses = (start: number, end: number) => ends.some((at) => start < at && at < end);
  const spread = mergedRanges(findCredentials(values.join(''), secrets, { plainOnly: true }).filter((found) => found.own)).filter((range) => crosses(range.start, range.end));
  let count = spread.length;
  const cut = spread.length ? cutRanges(values, spread) : values;
  const value = Object.fromEntries(
    entries.map(([name], i) => {
      const redacted = redact(cut[i] ?? '');
      count += redacted.count;
      return [name, redacted.value];
    }),
  );
  return { value, count };
}

/** New data on the old reads, each keeping its time; a read that held only the tail of a credential is gone. */
function rechunk(chunks: ExchangeResponse['chunks'], data: readonly string[]): ExchangeResponse['chunks'] {
  return chunks.map((chunk, i) => ({ t: chunk.t, data: data[i] ?? '' })).filter((chunk, i) => chunk.data !== '' || chunks[i]!.data === '');
}

/**
 * A header name as redacted: `[`, `:` and `]` are no header name's characters, and a fetch `Headers` refuses
 * `x-[REDACTED:api-key]` (an SDK judge replaying the answer then failed as the harness's own fault), so in a name the
 * placeholder is written `redacted-<kind>`: `x-redacted-api-key`, still saying what was there.
 */
function redactedHeaderName(name: string): string {
  return name.includes('[') ? name.replace(/\[REDACTED:([a-z0-9-]+)\]/g, 'redacted-$1') : name;
}

/**
 * `headers` with every name redactedHeaderName: a fixture recorded when names kept the placeholder replays as a new
 * one, none lost to a name it now shares (uniqueHeaderNames).
 */
export function redactedHeaderNames(headers: Record<string, string>): Record<string, string> {
  if (!Object.keys(headers).some((name) => name.includes('['))) return headers;
  return uniqueHeaderNames(Object.entries(headers).map(([name, value]) => [name, redactedHeaderName(name), value]));
}

/**
 * Headers under their redacted names, none lost. A name the redaction changed (`x-<key>` to `x-redacted-api-key`) may
 * now be taken: by a header the endpoint sent under that very name, or by another changed name (`x-<KEY>`). It then
 * gets the first free suffix, `x-redacted-api-key-2`, and each value stays whole and apart: joining them with `, `, as
 * HTTP does for a repeated field, would make one value of two the endpoint never sent together. A name the redaction
 * left alone keeps it: it is the endpoint's own. Names are compared without case, as HTTP compares them.
 */
function uniqueHeaderNames(entries: readonly (readonly [original: string, redacted: string, value: string])[]): Record<string, string> {
  const taken = new Set(entries.filter(([original, redacted]) => original === redacted).map(([, name]) => name.toLowerCase()));
  const named = entries.map(([original, redacted, value]): [string, string] => {
    if (original === redacted) return [redacted, value];
    let name = redacted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${redacted}-${n}`;
    taken.add(name.toLowerCase());
    return [name, value];
  });
  return Object.fromEntries(named);
}
