/**
 * `temperature: null` and `top_p: null` were a 400 "expected a decimal, but got a object instead" on chat and on
 * Responses, though OpenAI's SDK types them `number | null` and OpenAI takes null as the parameter left out (as the
 * emulator already did for `n`, `max_tokens` and every field of body-types.ts). Now null is left out for them too,
 * also where a model refuses the parameter, and a type message never says "a object".
 */
import { describe, expect, it } from 'vitest';
import { startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { ROOT } from './helpers/harness.ts';

async function withEmulator(use: (post: (path: string, body: unknown) => Promise<{ status: number; text: string }>) => Promise<void>): Promise<void> {
  const emulator = await startEmulatorFromFlags({ catalog: `${ROOT}/suites/models.yaml`, port: '0' });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  try {
    await use(post);
  } finally {
    await emulator.close();
  }
}

const errorOf = (text: string) => (JSON.parse(text) as { error?: { message: string; param?: string | null }; message?: string }).error ?? (JSON.parse(text) as { message: string });
const CHAT = '/openai/v1/chat/completions';
const RESPONSES = '/openai/v1/responses';
const chat = (model: string, more: Record<string, unknown>) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...more });
const responses = (model: string, more: Record<string, unknown>) => ({ model, input: 'hi', ...more });

describe('temperature and top_p given as null', () => {
  it.each([
    ['chat', CHAT, chat],
    ['Responses', RESPONSES, responses],
  ])('%s: null is the parameter left out (200)', async (_api, path, body) => {
    await withEmulator(async (post) => {
      for (const field of ['temperature', 'top_p']) {
        const answer = await post(path, body('xai.grok-4.3', { [field]: null }));
        expect([field, answer.status, answer.text.includes('a object')]).toEqual([field, 200, false]);
      }
    });
  });

  it('a model that refuses them takes null as left out, and still refuses a value', async () => {
    await withEmulator(async (post) => {
      // gemma-4's chat refuses top_p and takes temperature only at its default (the bundled catalog).
      expect((await post(CHAT, chat('google.gemma-4-31b', { top_p: null, temperature: null }))).status).toBe(200);
      const topP = await post(CHAT, chat('google.gemma-4-31b', { top_p: 0.5 }));
      expect([topP.status, errorOf(topP.text).message]).toEqual([400, "Unsupported parameter: 'top_p' is not supported with this model."]);
      const temperature = await post(CHAT, chat('google.gemma-4-31b', { temperature: 0.5 }));
      expect(temperature.status).toBe(400);
      expect(errorOf(temperature.text).message).toContain("'temperature' does not support 0.5 with this model");
    });
  });

  it.each([
    ['chat', CHAT, chat],
    ['Responses', RESPONSES, responses],
  ])('%s: a value of the wrong type is still the 400 naming it, in OpenAI\'s words', async (_api, path, body) => {
    await withEmulator(async (post) => {
      for (const [field, value, got] of [['temperature', 'hot', 'a string'], ['top_p', { p: 1 }, 'an object'], ['temperature', [1], 'an array']] as const) {
        const answer = await post(path, body('xai.grok-4.3', { [field]: value }));
        expect(answer.status).toBe(400);
        expect(errorOf(answer.text)).toMatchObject({ message: `Invalid type for '${field}': expected a decimal, but got ${got} instead.`, param: field });
      }
    });
  });
});
