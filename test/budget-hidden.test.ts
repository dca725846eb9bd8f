/**
 * A reasoning model that spends its whole output budget ends a Response `incomplete`: the background lifecycle is
 * hidden by the budget, so that cell is inconclusive, not a failure; the encrypted reasoning still comes with the
 * cut answer (real-model-verdicts.test.ts holds a refusal of it sent back alone to inconclusive).
 * The same checks on a model that does not overspend still judge (pass), so neither check is made unable to fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const CHECKS = ['responses.background', 'reasoning.encrypted-content'];

describe('checks whose answer the output budget cut', () => {
  let overspending: RunningEmulator;
  let plain: RunningEmulator;
  beforeAll(async () => {
    overspending = await catalogEmulator({ 'xai.grok-4.3': { behaviors: { thinkingTokens: 100_000 } } });
    plain = await catalogEmulator();
  });
  afterAll(async () => {
    await overspending.close();
    await plain.close();
  });

  it('responses.background is inconclusive when the budget was spent on reasoning, and names the figures', async () => {
    const check = 'responses.background';
    const result = (await checkModel(liveTarget(overspending.url), 'xai.grok-4.3', { checks: [check] })).get(check)!;
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/output budget was spent on reasoning/);
    expect(result.observed).toBeNull();
  });

  it('reasoning.encrypted-content reads the encrypted reasoning a cut answer still carries (as OpenAI returns it): taken back, round-trips', async () => {
    const check = 'reasoning.encrypted-content';
    const result = (await checkModel(liveTarget(overspending.url), 'xai.grok-4.3', { checks: [check] })).get(check)!;
    expect(result.observed, result.reason).toBe('round-trips');
  });

  it.each(CHECKS)('%s judges a model that leaves room for the answer', async (check) => {
    const result = (await checkModel(liveTarget(plain.url), 'xai.grok-4.3', { checks: [check] })).get(check)!;
    expect(result.status, result.reason).toBe('pass');
  });
});
