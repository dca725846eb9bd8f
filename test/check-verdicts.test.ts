/**
 * Each check against the emulator both ways: with the quirk off the check passes, with it on the check fails (or
 * observes the deviation). A check that cannot fail is a defect, so every row flips one switch.
 */
import { describe, expect, it } from 'vitest';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { expectBothWays, type SwitchRow } from './helpers/switch-rows.ts';

interface Row extends SwitchRow {
  name: string;
}

const ROWS: Row[] = [
  { name: 'path-prefix sees a model move to both prefixes', model: 'openai.gpt-oss-20b', check: 'path-prefix', quirk: { prefixes: ['/v1', '/openai/v1'] }, off: '/v1', on: 'both' },
  { name: 'path-prefix sees /openai/v1 for Grok, none when unserved', model: 'xai.grok-4.3', check: 'path-prefix', quirk: { prefixes: [] }, off: '/openai/v1', on: 'none' },
  { name: 'api.chat-completions sees chat withdrawn', model: 'qwen.qwen3-32b', check: 'api.chat-completions', quirk: { apis: ['responses'] }, off: 'supported', on: 'unsupported' },
  { name: 'api.responses sees Responses withdrawn', model: 'openai.gpt-oss-120b', check: 'api.responses', quirk: { apis: ['chat-completions'] }, off: 'supported', on: 'unsupported' },
  { name: 'api.messages sees Messages withdrawn', model: 'anthropic.claude-opus-4-7', check: 'api.messages', quirk: { apis: ['count-tokens'] }, off: 'supported', on: 'unsupported' },
  { name: 'api.count-tokens sees count_tokens withdrawn', model: 'anthropic.claude-opus-4-8', check: 'api.count-tokens', quirk: { apis: ['messages'] }, off: 'supported', on: 'unsupported' },
  { name: 'created-at.chat reads an exponent lexeme', model: 'mistral.devstral-2-123b', check: 'created-at.chat', quirk: { createdAt: { chat: 'exponent' } }, off: 'integer', on: 'exponent' },
  { name: 'created-at.chat reads a float lexeme', model: 'zai.glm-5', check: 'created-at.chat', quirk: { createdAt: { chat: 'float' } }, off: 'integer', on: 'float' },
  { name: 'created-at.chat reads a string', model: 'deepseek.v3.2', check: 'created-at.chat', quirk: { createdAt: { chat: 'string' } }, off: 'integer', on: 'string' },
  { name: 'created-at.chat reads a missing field', model: 'deepseek.v3.1', check: 'created-at.chat', quirk: { createdAt: { chat: 'missing' } }, off: 'integer', on: 'missing' },
  { name: 'created-at.responses reads gpt-oss-120b turning integer', model: 'openai.gpt-oss-120b', check: 'created-at.responses', quirk: { createdAt: { responses: 'integer' } }, off: 'exponent', on: 'integer' },
  { name: 'created-at.responses reads an exponent', model: 'openai.gpt-oss-20b', check: 'created-at.responses', quirk: { createdAt: { responses: 'exponent' } }, off: 'integer', on: 'exponent' },
  { name: 'content.array.chat sees a 400 rejection', model: 'nvidia.nemotron-nano-9b-v2', check: 'content.array.chat', quirk: { arrayContent: { chat: 'reject-400' } }, off: 'accepted', on: 'rejected' },
  { name: 'content.array.responses sees a rejection inside a 200', model: 'openai.gpt-5.4', check: 'content.array.responses', quirk: { arrayContent: { responses: 'reject-200-failed' } }, off: 'accepted', on: 'rejected' },
  { name: 'content.array.responses sees gpt-oss start accepting', model: 'openai.gpt-oss-20b', check: 'content.array.responses', quirk: { arrayContent: { responses: 'accept' } }, off: 'rejected', on: 'accepted' },
  { name: 'defaults.temperature sees Grok default change', model: 'xai.grok-4.3', check: 'defaults.temperature', quirk: { defaults: { temperature: 1 } }, off: 0.7, on: 1 },
  { name: 'defaults.top-p sees Grok default change', model: 'xai.grok-4.3', check: 'defaults.top-p', quirk: { defaults: { top_p: 1 } }, off: 0.95, on: 1 },
  { name: 'defaults.max-output-tokens sees a number where null was', model: 'google.gemma-4-31b', check: 'defaults.max-output-tokens', quirk: { defaults: { max_output_tokens: 4096 } }, off: null, on: 4096 },
  { name: 'stream.chat-completions: no [DONE]', model: 'qwen.qwen3-coder-next', check: 'stream.chat-completions', quirk: { stream: { omitDone: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.chat-completions: no finish_reason', model: 'qwen.qwen3-coder-next', check: 'stream.chat-completions', quirk: { stream: { omitFinishReason: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.chat-completions: usage chunk with choices', model: 'minimax.minimax-m2', check: 'stream.chat-completions', quirk: { stream: { usageWithChoices: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.chat-completions: error frame', model: 'minimax.minimax-m2.1', check: 'stream.chat-completions', quirk: { stream: { errorFrame: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.chat-completions: stream ends mid-event', model: 'minimax.minimax-m2.5', check: 'stream.chat-completions', quirk: { stream: { truncate: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.responses: sequence_number from 1', model: 'openai.gpt-oss-20b', check: 'stream.responses', quirk: { stream: { sequenceFromOne: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.responses: sequence gap', model: 'openai.gpt-oss-120b', check: 'stream.responses', quirk: { stream: { sequenceGap: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.responses: no response.created', model: 'openai.gpt-5.5', check: 'stream.responses', quirk: { stream: { skipCreated: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.responses: no terminal event', model: 'openai.gpt-5.4', check: 'stream.responses', quirk: { stream: { noTerminal: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.responses: deltas disagree with done', model: 'xai.grok-4.3', check: 'stream.responses', quirk: { stream: { deltaMismatch: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.messages: no message_start', model: 'anthropic.claude-opus-4-7', check: 'stream.messages', quirk: { stream: { noMessageStart: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.messages: delta before block start', model: 'anthropic.claude-opus-4-8', check: 'stream.messages', quirk: { stream: { deltaBeforeStart: true } }, off: 'conformant', on: 'nonconformant' },
  { name: 'stream.messages: no message_stop', model: 'anthropic.claude-opus-4-8', check: 'stream.messages', quirk: { stream: { noTerminal: true } }, off: 'conformant', on: 'nonconformant' },
];

describe('checks against the emulator, quirk off and on', () => {
  it.each(ROWS)('$name', (row) => expectBothWays({ reason: /expected/, ...row }));
});

describe('legal stream variations pass', () => {
  it.each([
    { name: 'CRLF line endings', quirk: { crlf: true } },
    { name: 'events split across TCP writes', quirk: { splitWrites: true } },
    { name: 'obfuscation inside choices and ping comments', quirk: { obfuscation: true, pings: true } },
  ])('$name', async ({ quirk }) => {
    const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: quirk }, 'anthropic.claude-opus-4-7': { stream: quirk } });
    try {
      const oss = await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks: ['stream.*'] });
      for (const id of ['stream.chat-completions', 'stream.responses']) expect(oss.get(id)?.status, `${id}: ${oss.get(id)?.reason}`).toBe('pass');
      const claude = await checkModel(liveTarget(emulator.url), 'anthropic.claude-opus-4-7', { checks: ['stream.messages'] });
      expect(claude.get('stream.messages')?.status, claude.get('stream.messages')?.reason).toBe('pass');
    } finally {
      await emulator.close();
    }
  });

  it('records several reads per event when the server splits its writes', async () => {
    const emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { stream: { splitWrites: true } } });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks: ['stream.chat-completions'] });
      const reads = results.get('stream.chat-completions')!.reason;
      const match = /(\d+) events, (\d+) reads/.exec(reads);
      expect(match, reads).not.toBeNull();
      expect(Number(match![2])).toBeGreaterThan(Number(match![1]));
    } finally {
      await emulator.close();
    }
  });
});
