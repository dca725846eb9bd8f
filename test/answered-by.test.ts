/**
 * Which answers name another model than the one asked for (evidence `answeredBy`, which the gate reads for ids nothing
 * vouches for): a gateway routing an unknown id to its default model is caught, and none of the forms in which
 * Mantle and other endpoints echo the id asked for is taken for another model. The bundled recordings (4731 answers
 * naming a model, in the forms below) have none.
 */
import { describe, expect, it } from 'vitest';
import { answeredBy, namesAnotherModel } from '../src/checks/answered-by.ts';
import { evidenceOf } from '../src/checks/judge.ts';
import type { Exchange } from '../src/transport/exchange.ts';

/** The id asked for, and how an answer named it: the same model. */
const SAME: [string, string][] = [
  ['anthropic.claude-opus-4-7', 'claude-opus-4-7'],
  ['anthropic.claude-mythos-preview', 'claude-mythos-preview'],
  ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
  ['us.openai.gpt-6-sol', 'openai.gpt-6-sol'],
  ['openai.gpt-6-sol', 'gpt-6-sol-2026-09-01'],
  ['openai.gpt-oss-120b', 'openai/gpt-oss-120b'],
  ['qwen.qwen3-32b', 'Qwen/Qwen3-32B'],
  ['us.deepseek.v3.1', 'deepseek.v3.1'],
  ['deepseek.v3.1', 'deepseek-v3.1'],
  ['moonshotai.kimi-k2.5', 'kimi-k2.5'],
  ['mistral.mistral-large-3-675b-instruct', 'Mistral-Large-3'],
  ['global.xai.grok-4.3', 'grok-4.3'],
  ['zai.glm-4.7-flash', 'glm-4.7-flash'],
  ['gpt-4o', 'gpt-4o-2024-08-06'],
  // An ARN names a deployment, and an id with no family word cannot be told apart: never another model.
  ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3', 'anthropic.claude-opus-4-7'],
  ['m1', 'meta.llama-default'],
  ['xai.grok-4.3', ''],
];

/** The id asked for, and the model a gateway answered it with instead. */
const OTHER: [string, string][] = [
  ['xai.grok-4-3', 'meta.llama-default'],
  ['anthropic.claude-opus-4-7', 'gpt-4o-mini'],
  ['deepseek.v3.9', 'meta.llama3-70b-instruct'],
  ['openai.gpt-oss-120b', 'Qwen/Qwen3-32B'],
  // Sizes and modes are not families.
  ['mistral.mistral-large-3', 'meta.llama-large-instruct'],
];

describe('namesAnotherModel', () => {
  it.each(SAME)('%s answered as %s: the same model', (sent, echoed) => {
    expect(namesAnotherModel(sent, echoed)).toBe(false);
  });
  it.each(OTHER)('%s answered as %s: another model', (sent, echoed) => {
    expect(namesAnotherModel(sent, echoed)).toBe(true);
  });
});

function exchange(model: string | undefined, status: number, body: string, stream = false): Exchange {
  return {
    step: 'main',
    prefix: '/v1',
    request: { method: 'POST', path: '/v1/chat/completions', headers: {}, ...(model !== undefined ? { body: JSON.stringify({ model, messages: [] }) } : {}) },
    response: { status, headers: { 'content-type': stream ? 'text/event-stream' : 'application/json' }, chunks: [{ t: 0, data: body }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  };
}

const sse = (...events: object[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');

describe('answeredBy', () => {
  it('reads the model a JSON answer or a stream names, and the evidence carries it', () => {
    expect(answeredBy(exchange('xai.grok-4-3', 200, '{"object":"chat.completion","model":"meta.llama-default","choices":[]}'))).toBe('meta.llama-default');
    const chat = exchange('xai.grok-4-3', 200, sse({ object: 'chat.completion.chunk', model: 'meta.llama-default', choices: [] }), true);
    expect(answeredBy(chat)).toBe('meta.llama-default');
    expect(evidenceOf('probe.chat', chat).answeredBy).toBe('meta.llama-default');
    const responses = exchange('xai.grok-4-3', 200, `event: response.created\n${sse({ type: 'response.created', response: { model: 'meta.llama-default' } })}`, true);
    expect(answeredBy(responses)).toBe('meta.llama-default');
    const messages = exchange('anthropic.claude-opus-4-7', 200, sse({ type: 'message_start', message: { model: 'gpt-4o-mini' } }), true);
    expect(answeredBy(messages)).toBe('gpt-4o-mini');
  });

  it('says nothing of the same model, an error answer, a request that names no model, or an answer that names none', () => {
    const same = exchange('anthropic.claude-opus-4-7', 200, '{"type":"message","model":"claude-opus-4-7"}');
    expect(answeredBy(same)).toBeUndefined();
    expect(evidenceOf('probe.messages', same)).not.toHaveProperty('answeredBy');
    expect(answeredBy(exchange('xai.grok-4-3', 400, '{"model":"meta.llama-default","error":{}}'))).toBeUndefined();
    expect(answeredBy(exchange(undefined, 200, '{"model":"meta.llama-default"}'))).toBeUndefined();
    expect(answeredBy(exchange('xai.grok-4-3', 200, '{"choices":[]}'))).toBeUndefined();
    expect(answeredBy(exchange('xai.grok-4-3', 200, 'not json'))).toBeUndefined();
  });

  it('keeps at most 128 characters of the name: it is endpoint text', () => {
    const long = `meta.llama-${'x'.repeat(500)}`;
    expect(answeredBy(exchange('xai.grok-4-3', 200, JSON.stringify({ model: long })))).toBe(long.slice(0, 128));
  });
});
