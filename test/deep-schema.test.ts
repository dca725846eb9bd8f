/**
 * A json_schema nested a few thousand objects deep (a 100 KB body) made the emulator answer 500: the example built
 * from it recursed once per level until the stack ran out (chat and Responses), and Responses' echo of `text` did
 * the same in JSON.stringify. Now an example stops at an empty object or array below 64 levels, and a request
 * nested more than 1000 levels is a 400 saying so: never a 500.
 */
import { describe, expect, it } from 'vitest';
import { startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { exampleFor } from '../src/emulator/generate.ts';
import { ROOT } from './helpers/harness.ts';

/** A schema of `depth` objects, each holding the next as its property `a`, a string at the bottom. */
const nested = (depth: number) => `${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
const BODIES: Record<'chat' | 'responses', (schema: string) => [string, string]> = {
  chat: (schema: string) => ['/openai/v1/chat/completions', `{"model":"openai.gpt-5.6-sol","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${schema}}}}`],
  responses: (schema: string) => ['/openai/v1/responses', `{"model":"openai.gpt-5.6-sol","input":"hi","text":{"format":{"type":"json_schema","name":"x","schema":${schema}}}}`],
};

async function withEmulator(use: (post: (path: string, body: string) => Promise<{ status: number; text: string }>) => Promise<void>): Promise<void> {
  const emulator = await startEmulatorFromFlags({ catalog: `${ROOT}/suites/models.yaml`, port: '0' });
  const post = async (path: string, body: string) => {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text() };
  };
  try {
    await use(post);
  } finally {
    await emulator.close();
  }
}

/** The JSON a chat or Responses answer carries as its text. */
function answered(api: keyof typeof BODIES, text: string): unknown {
  const body = JSON.parse(text) as { choices?: { message: { content: string } }[]; output?: { type: string; content?: { text: string }[] }[] };
  const content = api === 'chat' ? body.choices![0]!.message.content : body.output!.find((item) => item.type === 'message')!.content![0]!.text;
  return JSON.parse(content);
}

const depthOf = (value: unknown): number => {
  let depth = 0;
  for (let at = value; at && typeof at === 'object'; at = (at as { a?: unknown }).a) depth += 1;
  return depth;
};

describe('a json_schema nested deep', () => {
  it.each(['chat', 'responses'] as const)('%s: a few thousand levels is a 400 saying so, never a 500', async (api) => {
    await withEmulator(async (post) => {
      for (const depth of [2500, 20000]) {
        const [path, body] = BODIES[api](nested(depth));
        const answer = await post(path, body);
        expect([depth, answer.status]).toEqual([depth, 400]);
        expect(JSON.parse(answer.text)).toEqual({ error: { code: 'invalid_value', message: 'Request body nests objects and arrays more than 1000 levels deep', param: null, type: 'invalid_request_error' } });
      }
    });
  });

  it.each(['chat', 'responses'] as const)('%s: a hundred levels is answered, the example stopping at an empty object below 64', async (api) => {
    await withEmulator(async (post) => {
      const [path, body] = BODIES[api](nested(100));
      const answer = await post(path, body);
      expect(answer.status).toBe(200);
      expect(depthOf(answered(api, answer.text))).toBe(65);
      // A schema of ordinary depth gets its whole example, as before.
      const [shallowPath, shallow] = BODIES[api](nested(5));
      expect(answered(api, (await post(shallowPath, shallow)).text)).toEqual({ a: { a: { a: { a: { a: 'example a' } } } } });
    });
  });

  it('exampleFor never recurses below 64 levels, whatever the schema', () => {
    const schema = JSON.parse(nested(20000)) as unknown;
    expect(depthOf(exampleFor(schema))).toBe(65);
  });
});
