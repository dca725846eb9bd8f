/**
 * The SDK judges and the strict-client column say only what they observed: the SDKs never print the endpoint's text
 * (escapes, GitHub workflow commands) to the console, a failure of the harness's own replay is an `error` and not the
 * endpoint's `throws`, a 204 is judged as the real SDK reads it, and a timestamp past 64 bits breaks a strict client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { CaseOutcome } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

const INJECTED = '::error file=README.md,line=1::endpoint-controlled annotation \x1b[31mEVIL\x1b[0m';
const chunk = (delta: Record<string, unknown>) => JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1763500000, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] });

async function judged(check: string, caseId: string, api: CaseOutcome['api'], answer: Parameters<typeof answeredWith>[1], extra: Partial<Exchange> = {}) {
  return judgeOn(check, caseId, api, [answeredWith(await caseStep(caseId), answer, extra)]);
}

describe('the SDK judges print nothing of the endpoint', () => {
  let consoles: MockInstance[] = [];
  let stderr: MockInstance | undefined;
  // Spied once for the whole block: an SDK binds the console's methods on its first log, so spies made afresh for
  // each test would miss what a later test prints.
  beforeAll(() => {
    // Debug logging in the environment would have the SDKs dump every request and answer; the judges' clients hold it off.
    vi.stubEnv('OPENAI_LOG', 'debug');
    vi.stubEnv('ANTHROPIC_LOG', 'debug');
    consoles = (['error', 'warn', 'log', 'info', 'debug'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => undefined));
    stderr = vi.spyOn(process.stderr, 'write');
  });
  beforeEach(() => [...consoles, ...(stderr ? [stderr] : [])].forEach((spy) => spy.mockClear()));
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  /** Every console call, and what reached stderr of the endpoint's text (the test runner may write there itself). */
  const printed = () => [
    ...consoles.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(' '))),
    ...(stderr?.mock.calls ?? []).map((call) => String(call[0])).filter((text) => text.includes('::error') || text.includes('\x1b') || text.includes('Could not parse')),
  ];

  it('a whole stream still parses (ok), with debug logging asked for in the environment and nothing printed', async () => {
    const sse = sseText([{ data: chunk({ role: 'assistant', content: '' }) }, { data: chunk({ content: 'OK' }) }, { data: '[DONE]' }]);
    const result = await judged('sdk.openai.chat-stream', 'stream.chat', 'chat-completions', { sse });
    expect(result.observed, result.reason).toBe('ok');
    expect(printed()).toEqual([]);
  });

  it.each([
    { name: 'an event that does not parse', event: { data: `{broken\ndata: ${INJECTED}` } },
    { name: 'a thread.* event that does not parse (openai prints it with console.error itself)', event: { name: 'thread.run.created', data: `{broken ${INJECTED}` } },
  ])('chat stream with $name: throws, and nothing reaches the console', async ({ event }) => {
    const sse = sseText([{ data: chunk({ role: 'assistant', content: '' }) }, event, { data: chunk({ content: 'OK' }) }, { data: '[DONE]' }]);
    const result = await judged('sdk.openai.chat-stream', 'stream.chat', 'chat-completions', { sse });
    expect(result.observed, result.reason).toBe('throws');
    expect(printed()).toEqual([]);
  });

  it('anthropic stream with an event that does not parse: throws, and nothing reaches the console', async () => {
    const start = JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 0 } } });
    const sse = sseText([{ name: 'message_start', data: start }, { name: 'content_block_delta', data: `{"x": ${INJECTED}` }]);
    const result = await judged('sdk.anthropic.messages-stream', 'stream.messages', 'messages', { sse });
    expect(result.observed, result.reason).toBe('throws');
    expect(printed()).toEqual([]);
  });

});

describe('a failure of the replay is the harness\'s, a throw of the SDK the endpoint\'s', () => {
  it('a 204 is judged as the real openai SDK reads it: it returns null (mistyped), and throws on a Response', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const real = new OpenAI({ apiKey: 'x', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0, logLevel: 'off' });
      expect(await real.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toBeNull();
      await expect(real.responses.create({ model: 'm', input: 'hi' })).rejects.toThrow(TypeError);
    } finally {
      server.close();
    }
    for (const check of ['sdk.openai.chat', 'sdk.openai-bedrock.chat']) {
      const chat = await judged(check, 'probe.chat', 'chat-completions', { status: 204, text: '' });
      expect(chat.observed, chat.reason).toBe('mistyped');
      expect(chat.reason).toContain('returned null, not a chat completion');
    }
    const responses = await judged('sdk.openai.responses', 'probe.responses', 'responses', { status: 204, text: '' });
    expect(responses.observed, responses.reason).toBe('throws');
    expect(responses.reason).toContain('TypeError');
  });

  it.each([
    { check: 'sdk.openai.chat', caseId: 'probe.chat', api: 'chat-completions' as const, json: { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [] } },
    { check: 'sdk.anthropic.messages', caseId: 'probe.messages', api: 'messages' as const, json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1, output_tokens: 1 } } },
  ])('$check: the judge\'s fetch failing to replay the answer (a header it cannot rebuild) is an error, not the SDK throwing', async ({ check, caseId, api, json }) => {
    const exchange = answeredWith(await caseStep(caseId), { json });
    exchange.response!.headers['bad header'] = 'x';
    const result = await judgeOn(check, caseId, api, [exchange]);
    expect(result.status, result.reason).toBe('error');
    expect(result.observed).toBeNull();
    expect(result.reason).toMatch(/^HARNESS_INTERNAL: the judge's fetch failed: .*header/);
  });

  it('a body the SDK cannot parse is still the SDK throwing', async () => {
    const result = await judged('sdk.openai.chat', 'probe.chat', 'chat-completions', { text: '{"id":"c1","object":"chat.completion","cre' });
    expect(result.observed, result.reason).toBe('throws');
    expect(result.reason).toContain('SyntaxError');
  });
});

describe('sdk.strict.*: a timestamp a strict client reads into an int64', () => {
  const chatBody = (created: string) => `{"id":"c1","object":"chat.completion","created":${created},"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`;
  const responseBody = (createdAt: string) => `{"id":"r1","object":"response","created_at":${createdAt},"model":"m","status":"completed","output":[]}`;

  it.each(['9223372036854775807', '-9223372036854775808', '1763500000'])('created %s fits: ok', async (created) => {
    const result = await judged('sdk.strict.chat', 'probe.chat', 'chat-completions', { text: chatBody(created) });
    expect(result.observed, result.reason).toBe('ok');
  });

  it.each(['9223372036854775808', '-9223372036854775809', '18446744073709551615'])('created %s overflows: breaks, and says so', async (created) => {
    const result = await judged('sdk.strict.chat', 'probe.chat', 'chat-completions', { text: chatBody(created) });
    expect(result.observed, result.reason).toBe('breaks');
    expect(result.reason).toContain(`created ${created} overflows a 64-bit integer`);
  });

  it('created_at of a Response: the same bound', async () => {
    const fits = await judged('sdk.strict.responses', 'probe.responses', 'responses', { text: responseBody('9223372036854775807') });
    expect(fits.observed, fits.reason).toBe('ok');
    const overflows = await judged('sdk.strict.responses', 'probe.responses', 'responses', { text: responseBody('18446744073709551615') });
    expect(overflows.observed, overflows.reason).toBe('breaks');
    expect(overflows.reason).toContain('created_at 18446744073709551615 overflows a 64-bit integer');
  });
});
