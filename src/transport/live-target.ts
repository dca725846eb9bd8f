/**
 * @module transport/live-target
 * Sends every request to a real endpoint: Mantle in a region, a gateway, a PrivateLink name, a local server.
 */
import type { Surface } from '../surfaces.ts';
import type { Secret } from './auth/auth.ts';
import type { Exchange, ExchangeRequest } from './exchange.ts';
import { sendHttp, type HttpOptions } from './http-exchange.ts';
import type { SendContext, Target } from './target.ts';

export class LiveTarget implements Target {
  readonly id: string;
  readonly mode: 'live' | 'record' = 'live';
  readonly surface: Surface | undefined;
  readonly #http: HttpOptions;

  constructor(id: string, http: HttpOptions, surface?: Surface) {
    this.id = id;
    this.#http = http;
    this.surface = surface;
  }

  send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    return sendHttp(request, { step: context.step, prefix: context.prefix, ...(context.signal ? { signal: context.signal } : {}) }, this.#http);
  }

  async caseFinished(): Promise<void> {}

  async close(): Promise<void> {}

  /** Every secret the auth provider has sent so far, for the scan before a fixture is written. */
  secrets(): Secret[] {
    return this.#http.auth.secrets();
  }
}
