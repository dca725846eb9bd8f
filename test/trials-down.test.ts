/**
 * A trial not sent because its target was given up on (HARNESS_ENDPOINT_DOWN) is a trial not run, as one a stop
 * left unsent: record keeps such a case (case-recording.ts trialsCut), and the cell does not pass on the trials that
 * ran (model-session.ts, the same predicate). Both ways: with every trial answered, the cell passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { HarnessError } from '../src/errors.ts';
import { stoppedTrial, unsentTrial } from '../src/run/case-recording.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECK = 'answer.non-empty';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

/** The emulator, given up on from trial `downFrom` on: those trials' requests are denied as the breaker denies them. */
function downFrom(downFrom: number): Target {
  const inner = liveTarget(emulator.url);
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'send') {
        return async (request: ExchangeRequest, context: SendContext): Promise<Exchange> => {
          if ((context.trial ?? 1) >= downFrom) throw new HarnessError('HARNESS_ENDPOINT_DOWN', 'not sent: target test stopped answering');
          return inner.send(request, context);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
    },
  });
}

describe('a trial kept from a target given up on', () => {
  it('is unsent (not stopped): one predicate for record and the cell', () => {
    const down = { kind: 'error' as const, caseId: 'k', api: 'chat-completions' as const, exchanges: [], error: { code: 'HARNESS_ENDPOINT_DOWN' as const, message: 'gave up' } };
    const skipped = { kind: 'skipped' as const, caseId: 'k', api: 'chat-completions' as const, reason: 'cap' };
    const other = { ...down, error: { code: 'HARNESS_TIMEOUT' as const, message: 'slow' } };
    expect([unsentTrial(down), stoppedTrial(down)]).toEqual([true, false]);
    expect([unsentTrial(skipped), stoppedTrial(skipped)]).toEqual([true, true]);
    expect(unsentTrial(other)).toBe(false);
  });

  it('makes a pass on the trials that ran skipped, naming the trials not run', async () => {
    const cell = (await checkModel(downFrom(2), MODEL, { checks: [CHECK], repeat: 3 })).get(CHECK)!;
    expect(cell.status, cell.reason).toBe('skipped');
    expect(cell.reason).toMatch(/^not judged: 2\/3 trials were not run \(.*HARNESS_ENDPOINT_DOWN/);
  });

  it('with every trial answered, the cell passes', async () => {
    const cell = (await checkModel(downFrom(99), MODEL, { checks: [CHECK], repeat: 3 })).get(CHECK)!;
    expect(cell.status, cell.reason).toBe('pass');
  });
});
