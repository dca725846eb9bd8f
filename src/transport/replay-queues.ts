/**
 * @module transport/replay-queues
 * The recorded answers of one trial of a fixture, queued by request: recorded requests with the same key
 * (request-key.ts) share a queue, in recorded order, and a request is answered from the queue of its key. A request
 * built now is most often the very text recorded (the same text, the same key), so queues are found by method, path
 * and body text, and a key is worked out only where text cannot tell: bodies of one method and path that differ in
 * text (their keys may still agree, keys in another order), a request whose text was not recorded, and a method or
 * path that holds a space (the key joins the three with spaces, so such keys could meet across places).
 */
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { requestKey } from './request-key.ts';

export interface Queue {
  exchanges: Exchange[];
  next: number;
}

/** Method and path, unambiguously (a path may hold any character). */
function placeOf(request: Pick<ExchangeRequest, 'method' | 'path'>): string {
  return JSON.stringify([request.method, request.path]);
}

/** The exchanges by request key, each queue in recorded order; `found` hears of each exchange's queue. */
function byRequestKey(exchanges: readonly Exchange[], found: (exchange: Exchange, queue: Queue) => void): Map<string, Queue> {
  const queues = new Map<string, Queue>();
  for (const exchange of exchanges) {
    const key = requestKey(exchange.request);
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = { exchanges: [], next: 0 }));
    queue.exchanges.push(exchange);
    found(exchange, queue);
  }
  return queues;
}

export class ReplayQueues {
  /** Every queue, by method and path, then by body text. */
  readonly #byText = new Map<string, Map<string | undefined, Queue>>();
  /** Every queue by request key: made when first needed, unless the recorded requests needed it at once. */
  #byKey: Map<string, Queue> | undefined;

  constructor(recorded: readonly Exchange[]) {
    if (recorded.some((ex) => ex.request.method.includes(' ') || ex.request.path.includes(' '))) {
      this.#byKey = byRequestKey(recorded, (exchange, queue) => this.#bodies(exchange.request).set(exchange.request.body, queue));
      return;
    }
    const places = new Map<string, Exchange[]>();
    for (const exchange of recorded) {
      const place = placeOf(exchange.request);
      const list = places.get(place);
      if (list) list.push(exchange);
      else places.set(place, [exchange]);
    }
    for (const list of places.values()) {
      const bodies = this.#bodies(list[0]!.request);
      const first = list[0]!.request.body;
      if (list.every((ex) => ex.request.body === first)) {
        bodies.set(first, { exchanges: list, next: 0 });
        continue;
      }
      byRequestKey(list, (exchange, queue) => bodies.set(exchange.request.body, queue));
    }
  }

  #bodies(request: Pick<ExchangeRequest, 'method' | 'path'>): Map<string | undefined, Queue> {
    const place = placeOf(request);
    let bodies = this.#byText.get(place);
    if (!bodies) this.#byText.set(place, (bodies = new Map()));
    return bodies;
  }

  /** The queue that answers `request` (already redacted as recorded ones were), if any does. */
  queueFor(request: Pick<ExchangeRequest, 'method' | 'path' | 'body'>): Queue | undefined {
    const same = this.#byText.get(placeOf(request))?.get(request.body);
    if (same) return same;
    if (!this.#byKey) {
      // Without a space in any recorded method or path, every queue holds one key, and no two queues the same one.
      this.#byKey = new Map();
      for (const bodies of this.#byText.values()) for (const queue of bodies.values()) this.#byKey.set(requestKey(queue.exchanges[0]!.request), queue);
    }
    return this.#byKey.get(requestKey(request));
  }
}
