/** A target that hands every exchange it answers to `seen` too, for tests that read what went over the wire. */
import type { Exchange } from '../../src/transport/exchange.ts';
import type { Target } from '../../src/transport/target.ts';

export function capturing(target: Target, seen: Exchange[]): Target {
  return {
    id: target.id,
    mode: target.mode,
    caseFinished: (...args) => target.caseFinished(...args),
    close: () => target.close(),
    async send(request, context) {
      const exchange = await target.send(request, context);
      seen.push(exchange);
      return exchange;
    },
  };
}
