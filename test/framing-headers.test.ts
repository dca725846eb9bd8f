/**
 * A request header that frames the request (Transfer-Encoding, Content-Length, Expect, Upgrade...) cannot be sent:
 * undici refuses it before anything leaves. `validate` said `ok` and a run retried it three times as
 * HARNESS_CONNECTION, "could not reach" an endpoint that was up. A suite's headers undici refuses are refused at
 * load, at file:line:col (--header-env refuses those and the other framing headers); and a request undici refuses is the harness's own
 * (HARNESS_INTERNAL), never a connection failure, never retried.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_ENV_REFUSED } from '../src/framing-headers.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { cli } from './helpers/harness.ts';
import { headerBed, sendHeaders, suitesWith } from './helpers/header-suites.ts';

const bed = headerBed();

describe('a suite header that frames the request', () => {
  it.each([
    ['Transfer-Encoding', '{ "Transfer-Encoding": "chunked" }'],
    ['Content-Length', '{ "Content-Length": "5" }'],
    ['expect', '{ expect: 100-continue }'],
    ['Upgrade', '{ Upgrade: h2c }'],
  ])('%s: validate refuses it at file:line:col, naming it, exit 2', async (header, headers) => {
    const suites = await suitesWith(bed.dir, `s-${header}`, headers);
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(code).toBe(2);
    expect(stderr).toContain('HARNESS_SUITE_INVALID');
    expect(stderr).toMatch(new RegExp(`x\\.suite\\.yaml:7:\\d+ .*header ${header} makes the case unsendable: .*refuses .*before anything is sent; remove it from the headers of case "x\\.one"`));
  });

  it('a header the harness does not set passes (the refusal is the list, not every header)', async () => {
    const suites = await suitesWith(bed.dir, 's-ok', '{ x-trace: abc, anthropic-version: null }');
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(stderr).not.toContain('frames the request');
    expect(code).toBe(0);
  });

  it('--header-env refuses them too', async () => {
    for (const header of ['Transfer-Encoding', 'Expect']) {
      expect(HEADER_ENV_REFUSED.has(header.toLowerCase())).toBe(true);
      const { code, stderr } = await cli(['run', '--mode', 'live', '--endpoint', bed.url, '--surface', 'mantle', '--auth', 'none', '--header-env', `${header}=SOME_VAR`, '--report-dir', join(bed.dir, 'r')]);
      expect(code).toBe(2);
      expect(stderr).toContain(`${header} frames the request`);
    }
  });
});

describe('a request the HTTP client refuses before sending it', () => {
  const send = (headers: Record<string, string>) => sendHeaders(bed.url, headers);

  it.each([
    ['transfer-encoding', { 'transfer-encoding': 'chunked' }, 'UND_ERR_INVALID_ARG'],
    ['expect', { expect: '100-continue' }, 'UND_ERR_NOT_SUPPORTED'],
    ['content-length', { 'content-length': '5' }, 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'],
  ])('%s: HARNESS_INTERNAL naming undici\'s code, not a connection failure', async (_name, headers, undiciCode) => {
    const before = bed.seen.length;
    const exchange = await send(headers);
    expect(exchange.error?.code).toBe('HARNESS_INTERNAL');
    expect(exchange.error?.message).toContain(undiciCode);
    expect(exchange.error?.message).not.toMatch(/could not reach/);
    expect(bed.seen.length).toBe(before);
  });

  it('is never retried', async () => {
    const live = new LiveTarget('t', { baseUrl: bed.url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), timeoutMs: 5000 });
    const target = new RetryingTarget(live, { retries: 3, baseDelayMs: 1, maxDelayMs: 1 });
    const exchange = await target.send({ method: 'POST', path: '/chat/completions', headers: { 'transfer-encoding': 'chunked' }, body: '{"model":"m"}' }, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(exchange.error?.code).toBe('HARNESS_INTERNAL');
    expect(exchange.attempts).toBe(1);
  });

  it('a request undici takes is sent as ever', async () => {
    const exchange = await send({ 'x-trace': 'abc' });
    expect(exchange.error).toBeNull();
    expect(exchange.response?.status).toBe(200);
  });
});
