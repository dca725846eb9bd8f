/**
 * A JSON 403 that denies access (API Gateway's "Missing Authentication Token" on a prefix it does not route, AWS's
 * `{"message":"Forbidden"}`) is the account's answer, not the model's: schema.error does not judge it, and
 * errors.wrong-route does not count a denied route as one that served the model. Both ways: a real error body that
 * breaks the envelope still fails, and a real wrong-route answer reads as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy, type ProxiedRequest } from './helpers/wire-proxy.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECKS = ['schema.error', 'errors.wrong-route'];
const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const MISSING_TOKEN = json(403, { message: 'Missing Authentication Token' });
const ENVELOPE_404 = json(404, { error: { message: 'Not Found', type: 'not_found_error', param: null, code: null } });
const onOtherPrefixes = (path: string) => /^\/(openai|anthropic)\//.test(path);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(() => emulator.close());

/** The checks' results through a proxy that answers what `answer` returns and forwards the rest to the emulator. */
async function through(answer: (request: ProxiedRequest) => ReturnType<typeof json> | undefined): Promise<Map<string, CheckResult>> {
  const proxy = await startProxy(emulator.url, { answer });
  try {
    return await checkModel(liveTarget(proxy.url), MODEL, { checks: CHECKS });
  } finally {
    await proxy.close();
  }
}

describe('a 403 that denies access', () => {
  it('on the other prefixes: schema.error judges only the real errors, wrong-route names the denied routes', async () => {
    const results = await through((r) => (onOtherPrefixes(r.path) ? MISSING_TOKEN : undefined));
    const schema = results.get('schema.error')!;
    expect(`${schema.status} ${schema.observed}`).toBe('pass valid');
    expect(schema.reason).toMatch(/not judged: \d+ answer\(s\) were 403 denials of access.*\/openai\/v1\/models: 403 denied access \(Missing Authentication Token\)/);
    expect(schema.evidence.every((e) => e.status !== 403)).toBe(true);
    const route = results.get('errors.wrong-route')!;
    expect(`${route.status} ${route.observed}`).toBe('error null');
    expect(route.reason).not.toMatch(/served the model/);
    expect(route.reason).toMatch(/\/openai\/v1\/chat\/completions: 403 denied access \(Missing Authentication Token\)/);
    expect(route.reason).toMatch(/\/openai\/v1\/responses: 403 denied access/);
  });

  it('on every request: schema.error is not observed (error), never a fail', async () => {
    const results = await through(() => json(403, { message: 'Forbidden' }));
    const schema = results.get('schema.error')!;
    expect(`${schema.status} ${schema.observed}`).toBe('error null');
    expect(schema.reason).toMatch(/^could not observe the error object: \d+ answer\(s\) were 403 denials of access.*403 denied access \(Forbidden\)/);
    expect(results.get('errors.wrong-route')!.status).toBe('error');
  });

  it('on one wrong route while another answered the envelope: wrong-route is not conformant on what it did not read', async () => {
    const results = await through((r) => (r.path === '/openai/v1/responses' ? MISSING_TOKEN : onOtherPrefixes(r.path) ? ENVELOPE_404 : undefined));
    const route = results.get('errors.wrong-route')!;
    expect(`${route.status} ${route.observed}`).toBe('error null');
    expect(route.reason).toMatch(/wrong-route answer\(s\) read, all OpenAI envelopes, but not every wrong route answered \(\/openai\/v1\/responses: 403 denied access \(Missing Authentication Token\)\)/);
  });
});

describe('the same routes answered by the endpoint itself (read as before)', () => {
  it('a real error body without the envelope is invalid and nonconformant', async () => {
    const results = await through((r) => (onOtherPrefixes(r.path) ? json(404, { message: 'Not Found' }) : undefined));
    const schema = results.get('schema.error')!;
    expect(`${schema.status} ${schema.observed}`).toBe('fail invalid');
    expect(schema.reason).toMatch(/missing "error"/);
    expect(schema.reason).not.toMatch(/not judged/);
    const route = results.get('errors.wrong-route')!;
    expect(route.observed).toBe('nonconformant');
    expect(route.reason).toMatch(/\/openai\/v1\/chat\/completions 404: no "error" object/);
  });

  it('a real wrong-route answer in the envelope is conformant', async () => {
    const results = await through((r) => (onOtherPrefixes(r.path) ? ENVELOPE_404 : undefined));
    expect(`${results.get('schema.error')!.status} ${results.get('schema.error')!.observed}`).toBe('pass valid');
    const route = results.get('errors.wrong-route')!;
    expect(`${route.status} ${route.observed}`).toBe('pass conformant');
  });
});
