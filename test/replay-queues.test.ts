/**
 * Replay finds a recorded answer by the request's exact text where it can and by its key where text cannot tell; the
 * queues it finds are the ones grouping every recorded request by key would give, answer for answer.
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { ReplayQueues } from '../src/transport/replay-queues.ts';
import { requestKey } from '../src/transport/request-key.ts';

type Asked = Pick<ExchangeRequest, 'method' | 'path' | 'body'>;
const exchange = (request: Asked, n: number): Exchange => ({ step: `s${n}`, prefix: '/v1', request: { ...request, headers: {} }, response: null, error: null, durationMs: 0, attempts: 1 });

/** What replay did before: every recorded request grouped by key, in recorded order. */
function reference(recorded: readonly Exchange[]): Map<string, Exchange[]> {
  const queues = new Map<string, Exchange[]>();
  for (const ex of recorded) queues.set(requestKey(ex.request), [...(queues.get(requestKey(ex.request)) ?? []), ex]);
  return queues;
}

const bodies = ['{"a":1,"b":2}', '{"b":2,"a":1}', '{"a":1}', '[1,2]', 'not json', 'json', '', undefined];
// A method with a space is no method the harness sends; it stands for a recording made by anything else.
const request: fc.Arbitrary<Asked> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST x' as Asked['method'], 'DELETE'),
  path: fc.constantFrom('/v1/chat', '/v1/chat ', '/v1/chat not', '/v1/chat {"a":1}', '/v1/x', 'x'),
  body: fc.constantFrom(...bodies),
});

describe('ReplayQueues', () => {
  it('answers bodies whose keys come in another order from one queue, in recorded order', () => {
    const recorded = [exchange({ method: 'POST', path: '/v1/chat', body: '{"a":1,"b":2}' }, 1), exchange({ method: 'POST', path: '/v1/chat', body: '{"b":2,"a":1}' }, 2)];
    const queues = new ReplayQueues(recorded);
    expect(queues.queueFor({ method: 'POST', path: '/v1/chat', body: '{"b":2,"a":1}' })?.exchanges).toEqual(recorded);
    expect(queues.queueFor({ method: 'POST', path: '/v1/chat', body: '{ "a": 1, "b": 2 }' })?.exchanges).toEqual(recorded);
    expect(queues.queueFor({ method: 'POST', path: '/v1/chat', body: '{"a":2}' })).toBeUndefined();
  });

  it('keeps one queue for requests whose keys meet across a path with a space in it', () => {
    // Both keys read `POST /v1/chat not json`.
    const recorded = [exchange({ method: 'POST', path: '/v1/chat', body: 'not json' }, 1), exchange({ method: 'POST', path: '/v1/chat not', body: 'json' }, 2)];
    expect(new ReplayQueues(recorded).queueFor({ method: 'POST', path: '/v1/chat', body: 'not json' })?.exchanges).toEqual(recorded);
  });

  property.prop([fc.array(request, { maxLength: 12 }), fc.array(request, { maxLength: 12 })])('finds the queue grouping by key finds', (recordedRequests, asked) => {
    const recorded = recordedRequests.map((r, i) => exchange(r, i));
    const queues = new ReplayQueues(recorded);
    const expected = reference(recorded);
    for (const r of [...recordedRequests, ...asked]) expect(queues.queueFor(r)?.exchanges ?? []).toEqual(expected.get(requestKey(r)) ?? []);
  });
});
