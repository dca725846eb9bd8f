/**
 * @module checks/router-page
 * A router's page for a path it does not have, told apart from an API's error body: schema.error judges the one
 * and sets the other aside.
 */
import { writtenBody } from '../transport/body.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import type { CheckInput } from './types.ts';

/**
 * Whether an error answer is a router's page for a path it does not have: a 404 or 405 that the route classifier
 * reads as "this prefix or API is not served", in a body that is not JSON (Go's `404 page not found`, a proxy's HTML),
 * from an API on a prefix that answered no 2xx in the cases read (`served`). No API answered, so no envelope was owed
 * here (errors.wrong-route judges a probe's answer on a wrong prefix). Where the API did answer on that prefix (a
 * Response retrieved, then its 404 once deleted), a page is its error, and judged. Mantle's own route refusals
 * (400 "isn't supported on this route", 401 Berm, 404 `{"error":{...}}`) are JSON: judged too.
 */
export function routerPage(exchange: Exchange, api: ApiId, served: ReadonlySet<string>): boolean {
  const response = exchange.response!;
  // A body that stalled is neither a page nor an envelope: no client read it whole (stalled-body.ts). addSamples, the
  // one caller, sets it aside before asking, so this test is a safeguard for a caller that does not.
  if ((response.status !== 404 && response.status !== 405) || response.stalledAfterMs !== undefined) return false;
  if (served.has(servedKey(api, exchange.prefix))) return false;
  const kind = classifyAnswer(response).kind;
  const parsed = writtenBody(response);
  // JSON nested too deep to read is JSON all the same: judged as such, not set aside as a page.
  return (kind === 'route-unsupported' || kind === 'api-unsupported') && !parsed.ok && !parsed.tooDeep;
}

const servedKey = (api: ApiId, prefix: string) => `${api} ${prefix}`;

/** The APIs and prefixes that answered a 2xx in the cases a check reads. */
export function servedRoutes(outcomes: CheckInput['outcomes']): Set<string> {
  const served = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'completed' && outcome.kind !== 'error') continue;
    for (const exchange of outcome.exchanges) {
      const status = exchange.response?.status;
      if (status !== undefined && status >= 200 && status < 300) served.add(servedKey(outcome.api, exchange.prefix));
    }
  }
  return served;
}
