/**
 * A suite's `headers:` was refused for any header `--header-env` refuses, "the HTTP client would refuse it": but
 * undici sends Connection, Host, TE, Trailer and Content-Encoding as given, and a `null` (remove it) sends nothing.
 * A suite setting `Connection: close`, or a Host for a gateway reached by its IP, was valid and sent, then refused.
 * Now a suite is refused only the headers undici refuses (each sent here to a loopback server to show it), and
 * `--header-env` keeps its wider list.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_ENV_REFUSED, UNSENDABLE_HEADERS } from '../src/framing-headers.ts';
import { cli } from './helpers/harness.ts';
import { headerBed, sendHeaders, suitesWith } from './helpers/header-suites.ts';

const bed = headerBed();

/** The values a test sends for each framing header: a valid one where undici sends it. */
const VALUES: Record<string, string> = { host: 'gateway.example.test', 'content-length': '5', 'transfer-encoding': 'chunked', connection: 'close', 'keep-alive': 'timeout=5', upgrade: 'h2c', te: 'trailers', trailer: 'x-checksum', expect: '100-continue', 'content-encoding': 'identity' };
const send = (headers: Record<string, string>) => sendHeaders(bed.url, headers);

describe('the HTTP client, on a loopback server', () => {
  it.each([...HEADER_ENV_REFUSED].filter((h) => !UNSENDABLE_HEADERS.has(h)))('%s is sent as given', async (header) => {
    bed.seen.length = 0;
    const exchange = await send({ [header]: VALUES[header]! });
    expect(exchange.error).toBeNull();
    expect(exchange.response?.status).toBe(200);
    // undici keeps Connection to itself (close ends the socket after the answer); the others arrive as given.
    if (header !== 'connection') expect(bed.seen[0]?.[header]).toBe(VALUES[header]);
  });

  it.each([...UNSENDABLE_HEADERS])('%s is refused before anything is sent', async (header) => {
    bed.seen.length = 0;
    const exchange = await send({ [header]: VALUES[header]! });
    expect(exchange.error?.code).toBe('HARNESS_INTERNAL');
    expect(bed.seen).toEqual([]);
  });
});

describe('a suite\'s headers', () => {
  it('Connection, Host, TE, Trailer and Content-Encoding are valid again', async () => {
    const suites = await suitesWith(bed.dir, 's-sent', '{ "Connection": "close", "Host": "gateway.example.test", "Te": "trailers", "Trailer": "x-checksum", "Content-Encoding": "identity" }');
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(stderr).not.toContain('unsendable');
    expect(code).toBe(0);
  });

  it('null removes a header: never refused, whatever its name', async () => {
    const suites = await suitesWith(bed.dir, 's-null', '{ "Host": null, "Transfer-Encoding": null, "Content-Length": null }');
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(stderr).not.toContain('unsendable');
    expect(code).toBe(0);
  });

  it.each([['Keep-Alive', '{ "Keep-Alive": "timeout=5" }'], ['Content-Length', '{ "Content-Length": "5" }']])('%s is refused, saying why', async (header, headers) => {
    const suites = await suitesWith(bed.dir, `s-${header}`, headers);
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(code).toBe(2);
    const why = header === 'Content-Length' ? 'the harness sets it from the body it sends, and the HTTP client refuses any other value before anything is sent' : 'the HTTP client refuses it before anything is sent';
    expect(stderr).toContain(`header ${header} makes the case unsendable: ${why}; remove it from the headers of case "x.one"`);
  });

  it('--header-env still refuses Connection and Host (the harness sets them)', async () => {
    for (const header of ['Connection', 'Host']) {
      const { code, stderr } = await cli(['run', '--mode', 'live', '--endpoint', bed.url, '--surface', 'mantle', '--auth', 'none', '--header-env', `${header}=SOME_VAR`, '--report-dir', join(bed.dir, 'r')]);
      expect(code).toBe(2);
      expect(stderr).toContain(`${header} frames the request`);
    }
  });
});
