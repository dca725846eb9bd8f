/**
 * A reasoning model that spends its whole output budget ends a Response `incomplete`: the background lifecycle
 * and the encrypted reasoning round trip are hidden by the budget, so those cells are inconclusive, not failures.
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

  it.each(CHECKS)('%s is inconclusive when the budget was spent on reasoning, and names the figures', async (check) => {
    const result = (await checkModel(liveTarget(overspending.url), 'xai.grok-4.3', { checks: [check] })).get(check)!;
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toMatch(/output budget was spent on reasoning/);
    expect(result.observed).toBeNull();
  });

  it.each(CHECKS)('%s judges a model that leaves room for the answer', async (check) => {
    const result = (await checkModel(liveTarget(plain.url), 'xai.grok-4.3', { checks: [check] })).get(check)!;
    expect(result.status, result.reason).toBe('pass');
  });
});
