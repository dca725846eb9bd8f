/**
 * The emulator plays what the catalog's sources say, and no more (MANTLE.md):
 * - /v1/models leaves out Claude (no source lists a Claude model) and keeps the /openai/v1 models, whose listing is
 *   disputed (the emulator plays the first value, listed);
 * - gpt-oss Responses refuse inside a 200 what grafana/ai-sdk #207 shows (an assistant turn as output_text parts),
 *   not user input_text arrays;
 * - reasoning efforts are the catalog's lists (Grok 4.6 takes xhigh, GPT-6 max; neither takes minimal), and Grok 4.3's
 *   effort none turns reasoning off (seeds/grok-guide).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator } from './helpers/harness.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const answer = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: answer.status, body: (await answer.json()) as Record<string, any> };
}

describe('the emulator follows the catalog', () => {
  it('lists no Claude model on /v1/models, and still lists the /openai/v1 models (disputed: played listed)', async () => {
    const list = (await (await fetch(`${emulator.url}/v1/models`)).json()) as { data: { id: string }[] };
    const ids = list.data.map((m) => m.id);
    expect(ids.some((id) => id.startsWith('anthropic.'))).toBe(false);
    expect(ids).toEqual(expect.arrayContaining(['openai.gpt-oss-20b', 'qwen.qwen3-32b', 'openai.gpt-5.6-sol', 'xai.grok-4.3', 'google.gemma-4-31b']));
  });

  it('gpt-oss Responses: an assistant output_text array fails inside a 200 (invalid_prompt); user input_text arrays are answered', async () => {
    const failed = await post('/v1/responses', {
      model: 'openai.gpt-oss-20b',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Say hi.' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Hi.' }] },
        { role: 'user', content: 'Reply with the word OK.' },
      ],
    });
    expect(failed.status).toBe(200);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error.code).toBe('invalid_prompt');
    const user = await post('/v1/responses', { model: 'openai.gpt-oss-20b', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Reply with the word OK.' }] }] });
    expect(user.status).toBe(200);
    expect(user.body.status).toBe('completed');
  });

  it('efforts are the sources\' lists: Grok 4.6 takes xhigh, GPT-6 Sol max; minimal is refused by both', async () => {
    const effort = (model: string, value: string) => post('/openai/v1/responses', { model, input: 'Reply with the word OK.', max_output_tokens: 64, reasoning: { effort: value } });
    expect((await effort('xai.grok-4.6', 'xhigh')).status).toBe(200);
    expect((await effort('xai.grok-4.6', 'none')).status).toBe(400);
    expect((await effort('openai.gpt-6-sol', 'max')).status).toBe(200);
    for (const model of ['xai.grok-4.6', 'openai.gpt-6-sol', 'xai.grok-4.3']) expect((await effort(model, 'minimal')).status).toBe(400);
  });

  it('Grok 4.3 with effort none answers without reasoning; with low it reasons', async () => {
    const none = await post('/openai/v1/responses', { model: 'xai.grok-4.3', input: 'Reply with the word OK.', max_output_tokens: 64, reasoning: { effort: 'none' } });
    expect(none.body.output.some((item: { type: string }) => item.type === 'reasoning')).toBe(false);
    expect(none.body.usage.output_tokens_details.reasoning_tokens).toBe(0);
    const low = await post('/openai/v1/responses', { model: 'xai.grok-4.3', input: 'Reply with the word OK.', max_output_tokens: 64, reasoning: { effort: 'low' } });
    expect(low.body.output.some((item: { type: string }) => item.type === 'reasoning')).toBe(true);
    expect(low.body.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });
});
