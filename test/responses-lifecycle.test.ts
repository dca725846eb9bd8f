/**
 * The Responses lifecycle checks blame the endpoint only for what it did (review of h68). A 404 alone proves nothing:
 * an endpoint with no GET or DELETE route answers 404 to everything, so `responses.delete` and
 * `responses.store-false` are inconclusive there, not passes; a stored response readable only after a moment
 * (read-after-write lag) is retried, not `not-retrievable`; a background response still under way when the harness
 * stops polling is inconclusive, naming the wait; an echoed previous_response_id whose answer does not name the
 * name the first turn gave is inconclusive. The conforming emulator still passes each.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy, type ProxyRules } from './helpers/wire-proxy.ts';

const OSS = 'openai.gpt-oss-20b';
const CHECKS = ['responses.retrieve', 'responses.delete', 'responses.store-false', 'responses.previous-response-id', 'responses.background'];
const BY_ID = /\/responses\/([^/?]+)(\?.*)?$/;
const notFound = (message: string) => ({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'not_found', param: null } }) });

/** The lifecycle checks on OSS against the emulator, behind a proxy with `rules` (none: the emulator as it is). */
async function lifecycle(rules: ProxyRules = {}, quirk?: ProfileOverride): Promise<Map<string, CheckResult>> {
  const emulator = await catalogEmulator(quirk ? { [OSS]: quirk } : {});
  const proxy = await startProxy(emulator.url, rules);
  try {
    return await checkModel(liveTarget(proxy.url), OSS, { checks: CHECKS });
  } finally {
    await proxy.close();
    await emulator.close();
  }
}

const verdict = (results: Map<string, CheckResult>, check: string) => {
  const result = results.get(check)!;
  return { status: result.status, observed: result.observed, reason: result.reason };
};

describe('a 404 proves something only beside a response that was found', () => {
  it('the conforming emulator: retrievable, deleted, not-retrievable, echoed with the name, completed', async () => {
    const results = await lifecycle();
    expect(verdict(results, 'responses.retrieve')).toMatchObject({ status: 'pass', observed: 'retrievable' });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'pass', observed: 'deleted', reason: expect.stringContaining('fetched before, DELETE answered 2xx') });
    expect(verdict(results, 'responses.store-false')).toMatchObject({ status: 'pass', observed: 'not-retrievable', reason: expect.stringContaining('a stored response was fetched in responses.lifecycle') });
    expect(verdict(results, 'responses.previous-response-id')).toMatchObject({ status: 'pass', observed: 'echoed', reason: expect.stringContaining('the answer names Ada') });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'pass', observed: 'completed' });
  });

  it('no GET and no DELETE route: retrieve fails; delete and store-false are inconclusive, background cannot be polled', async () => {
    const results = await lifecycle({ answer: (r) => (r.method !== 'POST' && BY_ID.test(r.path) ? notFound(`no route ${r.method} ${r.path}`) : undefined) });
    expect(verdict(results, 'responses.retrieve')).toMatchObject({ status: 'fail', observed: 'not-retrievable', reason: expect.stringContaining('(5 attempts)') });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('not fetched before the DELETE either') });
    expect(verdict(results, 'responses.store-false')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('a stored response was not fetched in this run either') });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'fail', observed: 'not-terminal', reason: expect.stringContaining('5 poll(s), last status none (HTTP 404)') });
  });

  it('a DELETE refused, and yet the GET afterwards 404: inconclusive; a refused DELETE that leaves it there: not-deleted', async () => {
    const refused = { status: 405, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"Method not allowed","type":"invalid_request_error","code":null,"param":null}}' };
    const gets = new Map<string, number>();
    const results = await lifecycle({
      answer(r) {
        if (r.method === 'DELETE') return refused;
        const id = r.method === 'GET' ? BY_ID.exec(r.path)?.[1] : undefined;
        if (!id) return undefined;
        gets.set(id, (gets.get(id) ?? 0) + 1);
        return gets.get(id)! > 1 ? notFound(`Response with id '${id}' not found.`) : undefined;
      },
    });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('the DELETE answered 405') });
    const kept = await lifecycle({ answer: (r) => (r.method === 'DELETE' ? refused : undefined) });
    expect(verdict(kept, 'responses.delete')).toMatchObject({ status: 'fail', observed: 'not-deleted' });
  });
});

describe('after a create on the same route, a refusal is the answer to the step, never "not served here"', () => {
  const refusal = (status: number, message: string, param: string | null, code: string | null = null) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } }) });
  const served = (results: Map<string, CheckResult>) => [...results.values()].filter((r) => r.status === 'unsupported').map((r) => r.reason);

  it('GET and DELETE answered 405: not-retrievable and not-deleted (fail); store-false inconclusive', async () => {
    const results = await lifecycle({ answer: (r) => (r.method !== 'POST' && BY_ID.test(r.path) ? refusal(405, 'Method Not Allowed', null) : undefined) });
    expect(served(results)).toEqual([]);
    expect(verdict(results, 'responses.retrieve')).toMatchObject({ status: 'fail', observed: 'not-retrievable', reason: expect.stringContaining('GET answered 405: Method Not Allowed') });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'fail', observed: 'not-deleted', reason: expect.stringContaining('the DELETE answered 405: Method Not Allowed') });
    expect(verdict(results, 'responses.store-false')).toMatchObject({ status: 'inconclusive', reason: expect.stringMatching(/a stored response was not fetched in this run either .*so the 405 does not show/) });
  });

  it('GET answered 400 "Response with id ... does not exist": not-retrievable; delete and store-false inconclusive', async () => {
    const results = await lifecycle({ answer: (r) => (r.method === 'GET' && BY_ID.test(r.path) ? refusal(400, "Response with id 'resp_x' does not exist", 'response_id') : undefined) });
    expect(served(results)).toEqual([]);
    expect(verdict(results, 'responses.retrieve')).toMatchObject({ status: 'fail', observed: 'not-retrievable', reason: expect.stringContaining("GET answered 400: Response with id 'resp_x' does not exist") });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('not fetched before the DELETE either') });
    expect(verdict(results, 'responses.store-false')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('a stored response was not fetched in this run either') });
  });

  /** The lifecycle with every GET after a DELETE of its response answered 400 `message`. */
  const afterDelete = (message: (id: string) => string, param: string | null) => {
    const deleted = new Set<string>();
    return lifecycle({
      answer(r) {
        const id = BY_ID.exec(r.path)?.[1];
        if (id && r.method === 'DELETE') deleted.add(id);
        return id && r.method === 'GET' && deleted.has(id) ? refusal(400, message(id), param) : undefined;
      },
    });
  };

  it('a GET after a DELETE that answers 400 "does not exist", once the response was fetched: deleted', async () => {
    const results = await afterDelete((id) => `Response with id '${id}' does not exist`, 'response_id');
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'pass', observed: 'deleted', reason: expect.stringContaining('GET after DELETE answered 400: Response with id') });
  });

  it('a GET after a DELETE that answers 400 about something else "not found" (a header) is not the response gone', async () => {
    const results = await afterDelete(() => "Header 'x-response-region' not found", null);
    expect(verdict(results, 'responses.delete').observed).not.toBe('deleted');
  });

  it('a chained turn answered 400 "Previous response ... does not exist.": rejected', async () => {
    const results = await lifecycle({ answer: (r) => (r.method === 'POST' && r.body.includes('previous_response_id') ? refusal(400, "Previous response with id 'resp_abc' does not exist.", 'previous_response_id', 'previous_response_not_found') : undefined) });
    expect(verdict(results, 'responses.previous-response-id')).toMatchObject({ status: 'fail', observed: 'rejected', reason: expect.stringContaining("400: Previous response with id 'resp_abc' does not exist.") });
  });
});

describe('read-after-write lag', () => {
  /** The first `count` GETs of each id answer 404, as an endpoint that is not yet consistent does. */
  const lag = (count: number): ProxyRules => {
    const seen = new Map<string, number>();
    return {
      answer(r) {
        const id = r.method === 'GET' ? BY_ID.exec(r.path)?.[1] : undefined;
        if (!id) return undefined;
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        return n <= count ? notFound(`Response with id '${id}' not found.`) : undefined;
      },
    };
  };

  it('a stored response readable at the third GET is retrievable, and background still completes', async () => {
    const results = await lifecycle(lag(2));
    expect(verdict(results, 'responses.retrieve')).toMatchObject({ status: 'pass', observed: 'retrievable' });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'pass', observed: 'completed' });
    expect(verdict(results, 'responses.delete')).toMatchObject({ status: 'pass', observed: 'deleted' });
    // The store: false GET is asked once: with lag shown, its 404 may be the lag.
    expect(verdict(results, 'responses.store-false')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('only at attempt 3') });
  });

  it('a response found and then lost while polled ends the polling: not-terminal', async () => {
    const seen = new Map<string, number>();
    const results = await lifecycle({
      answer(r) {
        const id = r.method === 'GET' ? BY_ID.exec(r.path)?.[1] : undefined;
        if (!id) return undefined;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return seen.get(id)! > 1 ? notFound(`Response with id '${id}' not found.`) : undefined;
      },
    }, { behaviors: { background: 'stuck' } });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'fail', observed: 'not-terminal', reason: expect.stringContaining('2 poll(s), last status none (HTTP 404)') });
  });
});

describe('background: what the harness can tell in its wait', () => {
  it('still in_progress when the polls run out (about 88 s, for a 16-token answer): not-terminal, naming the wait', async () => {
    const results = await lifecycle({}, { behaviors: { background: 'stuck' } });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'fail', observed: 'not-terminal', reason: expect.stringMatching(/45 poll\(s\), last status in_progress: still under way when the harness stopped polling after 45 attempt\(s\), 2000 ms apart \(about 88 s\), for a 16-token answer/) });
  });

  it('a status the API does not have is not-terminal', async () => {
    const results = await lifecycle({ body: (text, status, r) => (r.method === 'GET' && status === 200 ? text.replace(/"status":"(in_progress|completed)"/, '"status":"paused"') : text) });
    expect(verdict(results, 'responses.background')).toMatchObject({ status: 'fail', observed: 'not-terminal', reason: expect.stringContaining('last status paused') });
  });

  it('incomplete because the model spent its budget is inconclusive on that trial, and every trial is judged', async () => {
    const create = exchange('create', { id: 'resp_1', object: 'response', status: 'queued', output: [] }, { input: 'Reply with the word OK.', max_output_tokens: 16, background: true });
    const spent = { id: 'resp_1', object: 'response', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'reasoning', summary: [] }], usage: { input_tokens: 10, output_tokens: 16, output_tokens_details: { reasoning_tokens: 16 } } };
    const result = await run('responses.background', 'responses.background', [create, exchange('poll', spent)]);
    expect(result).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('the output budget was spent') });
    expect(ALL_CHECKS.find((c) => c.id === 'responses.background')?.dependsOnModel).toBe(true);
  });

  it('incomplete because the content filter ended it is inconclusive, naming the filter; status failed still fails', async () => {
    const create = exchange('create', { id: 'resp_1', object: 'response', status: 'queued', output: [] }, { input: 'Reply with the word OK.', max_output_tokens: 16, background: true });
    const filtered = { id: 'resp_1', object: 'response', status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [], usage: { input_tokens: 10, output_tokens: 1 } };
    expect(await run('responses.background', 'responses.background', [create, exchange('poll', filtered)])).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining(`the answer ended by the endpoint's content filter (status "incomplete", incomplete_details.reason "content_filter")`) });
    // An incomplete for a reason no filter names (interrupted) is the endpoint's: it fails.
    const interrupted = { ...filtered, incomplete_details: { reason: 'interrupted' } };
    expect(await run('responses.background', 'responses.background', [create, exchange('poll', interrupted)])).toMatchObject({ status: 'fail', observed: 'failed' });
    const failed = { id: 'resp_1', object: 'response', status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] };
    expect(await run('responses.background', 'responses.background', [create, exchange('poll', failed)])).toMatchObject({ status: 'fail', observed: 'failed' });
  });
});

describe('store-false when a stop left its control unrun', () => {
  it('is skipped, the control named as not run (a stop is the run\'s doing, not inconclusive)', async () => {
    const definition = ALL_CHECKS.find((c) => c.id === 'responses.store-false')!;
    const create = exchange('create', { id: 'resp_1', object: 'response', status: 'completed', output: [] }, { input: 'Reply with the word OK.', store: false });
    const get = { ...exchange('get', {}), response: { status: 404, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify({ error: { message: "Response with id 'resp_1' not found.", type: 'invalid_request_error', code: 'not_found', param: null } }) }] } };
    const result = await definition.run({
      model: 'm',
      expectation: { value: 'not-retrievable', source: 'test' },
      outcomes: [
        { kind: 'completed', caseId: 'responses.store-false', api: 'responses', exchanges: [create, get] },
        { kind: 'skipped', caseId: 'responses.lifecycle', api: 'responses', reason: 'the request was abandoned because the run was interrupted' },
      ],
    });
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('the control, a stored response fetched in responses.lifecycle, was not run') });
  });
});

describe('previous_response_id: the answer is read', () => {
  it('an echoed id whose answer does not name Ada is inconclusive (its usage counts the history)', async () => {
    // The emulator counts only the new input; a real endpoint counts the first turn in it too (else: ignored).
    const forgot = (text: string) => text.replace(/"text":"Ada\."/, '"text":"I do not know."').replace(/"input_tokens":(\d+)/, (_m, n: string) => `"input_tokens":${Number(n) + 100}`);
    const results = await lifecycle({ body: (text, _status, r) => (r.body.includes('previous_response_id') ? forgot(text) : text) });
    expect(verdict(results, 'responses.previous-response-id')).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('does not name Ada') });
  });

  it('an id not echoed is still ignored', async () => {
    const results = await lifecycle({}, { behaviors: { previousResponse: 'ignore' } });
    expect(verdict(results, 'responses.previous-response-id')).toMatchObject({ status: 'fail', observed: 'ignored' });
  });
});

function exchange(step: string, body: unknown, sent?: unknown): Exchange {
  const request = sent ? { method: 'POST' as const, path: '/v1/responses', headers: {}, body: JSON.stringify(sent) } : { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };
  return { step, prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] }, error: null, durationMs: 1, attempts: 1 };
}

async function run(check: string, caseId: string, exchanges: Exchange[]): Promise<CheckResult> {
  const definition = ALL_CHECKS.find((c) => c.id === check)!;
  return definition.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId, api: 'responses', exchanges }] });
}
