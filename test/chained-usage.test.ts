/**
 * The emulator's /v1/responses with previous_response_id counts the chained history in usage.input_tokens (every
 * earlier turn's input and answer), as a real endpoint bills it; a model that ignores previous_response_id leaves it
 * out. Before, a chained turn counted only its new input, so a budget-cut chained answer (a reasoning model that spent
 * its budget thinking) read as "history dropped": a gating fail of responses.previous-response-id against the
 * emulator, which does chain. The usage rule itself stands (an endpoint that drops the history still fails:
 * endpoint-not-model.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
type Usage = { input_tokens: number; output_tokens: number; output_tokens_details: { reasoning_tokens: number } };

async function post(url: string, body: Record<string, unknown>): Promise<{ id: string; usage: Usage }> {
  const res = await fetch(`${url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, max_output_tokens: 64, ...body }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; usage: Usage };
}

async function turns(quirk?: ProfileOverride): Promise<{ first: Usage; second: Usage; third: Usage }> {
  const emulator = await catalogEmulator(quirk ? { [MODEL]: quirk } : {});
  try {
    const first = await post(emulator.url, { input: 'My name is Ada.' });
    const second = await post(emulator.url, { input: 'What is my name?', previous_response_id: first.id });
    const third = await post(emulator.url, { input: 'And again?', previous_response_id: second.id });
    return { first: first.usage, second: second.usage, third: third.usage };
  } finally {
    await emulator.close();
  }
}

const answered = (u: Usage) => u.output_tokens - u.output_tokens_details.reasoning_tokens;

describe('the emulator counts the chained history as input', () => {
  it('each turn counts every earlier turn\'s input and answer, then its own input', async () => {
    const { first, second, third } = await turns();
    expect(first.input_tokens).toBe(4);
    expect(second.input_tokens).toBe(first.input_tokens + answered(first) + 4);
    expect(third.input_tokens).toBe(second.input_tokens + answered(second) + 2);
  });

  it('a model that ignores previous_response_id counts its own input only', async () => {
    const { second } = await turns({ behaviors: { previousResponse: 'ignore' } });
    expect(second.input_tokens).toBe(4);
  });
});

describe('responses.previous-response-id on a model that spends its budget thinking, against the emulator', () => {
  it('is inconclusive (the answer was cut by its budget), never a fail', async () => {
    const model = 'openai.gpt-oss-120b';
    const emulator = await catalogEmulator({ [model]: { behaviors: { thinkingTokens: 100_000 } } });
    try {
      const result = (await checkModel(liveTarget(emulator.url), model, { checks: ['responses.previous-response-id'] })).get('responses.previous-response-id')!;
      expect(result, result.reason).toMatchObject({ status: 'inconclusive', observed: null });
      expect(result.reason).toMatch(/does not name Ada .*: the output budget was spent on reasoning before the answer was complete: status "incomplete"/);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});
