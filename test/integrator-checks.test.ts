/**
 * What integrators hit (issue 17 item 4), each check against the emulator both ways: with the switch off the check
 * observes the documented behaviour, with it on it observes the deviation, and where an expectation is stated (the
 * catalog or the reference) the deviation fails. A stream that stops after two events is `stalled` within the idle
 * limit, long before --timeout.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { SDK_ANTHROPIC_VERSION } from '../src/checks/sdk-fields.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { buildPlan } from '../src/plan/plan.ts';
import type { Catalog, CatalogClaim } from '../src/suite/load-catalog.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { catalogEmulator, checkModel, liveTarget, projectSuites } from './helpers/harness.ts';
import { expectBothWays, type SwitchRow } from './helpers/switch-rows.ts';

interface Row extends SwitchRow {
  name: string;
}

const DESERIALIZE = /Failed to deserialize the JSON body/;

const ROWS: Row[] = [
  { name: 'prompt_cache_key refused by a strict chat parser', model: 'openai.gpt-oss-20b', check: 'requests.sdk-fields.prompt-cache-key', quirk: { behaviors: { strictFields: { 'chat-completions': ['prompt_cache_key'] } } }, off: 'accepted', on: 'rejected', reason: DESERIALIZE },
  { name: 'safety_identifier refused on Responses', model: 'openai.gpt-oss-120b', check: 'requests.sdk-fields.safety-identifier', quirk: { behaviors: { strictFields: { responses: ['safety_identifier'] } } }, off: 'accepted', on: 'rejected', reason: /responses: rejected/ },
  { name: 'store refused on chat', model: 'qwen.qwen3-32b', check: 'requests.sdk-fields.store', quirk: { behaviors: { strictFields: { 'chat-completions': ['store'] } } }, off: 'accepted', on: 'rejected', reason: DESERIALIZE },
  { name: 'text.verbosity refused on Responses', model: 'openai.gpt-5.4', check: 'requests.sdk-fields.verbosity', quirk: { behaviors: { strictFields: { responses: ['text.verbosity'] } } }, off: 'accepted', on: 'rejected', reason: DESERIALIZE },
  { name: 'text.verbosity taken but echoed as the default', model: 'openai.gpt-5.5', check: 'requests.sdk-fields.verbosity', quirk: { behaviors: { ignoredParams: ['verbosity'] } }, off: 'accepted', on: 'ignored', reason: /echoes "medium", not the "low" sent/ },
  { name: 'service_tier refused on chat', model: 'deepseek.v3.2', check: 'requests.sdk-fields.service-tier', quirk: { behaviors: { strictFields: { 'chat-completions': ['service_tier'] } } }, off: 'accepted', on: 'rejected', reason: DESERIALIZE },
  { name: 'metadata.user_id refused on Messages', model: 'anthropic.claude-opus-4-7', check: 'requests.sdk-fields.metadata', quirk: { behaviors: { strictFields: { messages: ['metadata'] } } }, off: 'accepted', on: 'rejected', reason: DESERIALIZE },
  { name: "the Anthropic SDK's anthropic-version refused", model: 'anthropic.claude-opus-4-8', check: 'requests.sdk-fields.anthropic-version', quirk: { behaviors: { anthropicVersions: ['2023-06-01'] } }, off: 'accepted', on: 'rejected', reason: /2026-10-21/ },
  { name: 'temperature taken where gemma-4 is documented to refuse it', model: 'google.gemma-4-31b', check: 'params.temperature', quirk: { behaviors: { rejectedParams: [], apiParams: { 'chat-completions': { rejected: [], defaultOnly: [] }, responses: { rejected: [], defaultOnly: [] } } } }, off: 'rejected', on: 'accepted' },
  { name: 'top_p taken where gemma-4 is documented to refuse it', model: 'google.gemma-4-31b', check: 'params.top-p', quirk: { behaviors: { rejectedParams: [], apiParams: { 'chat-completions': { rejected: [], defaultOnly: [] }, responses: { rejected: [], defaultOnly: [] } } } }, off: 'rejected', on: 'accepted' },
  { name: 'temperature taken where GPT-5.x is documented to refuse it', model: 'openai.gpt-5.6-sol', check: 'params.temperature', quirk: { behaviors: { rejectedParams: [], apiParams: { 'chat-completions': { rejected: [], defaultOnly: [] }, responses: { rejected: [], defaultOnly: [] } } } }, off: 'rejected', on: 'accepted' },
  { name: 'top_p refused by a model with no claim (an observation)', model: 'openai.gpt-oss-20b', check: 'params.top-p', quirk: { behaviors: { rejectedParams: ['top_p'] } }, off: 'accepted', on: 'rejected', onStatus: 'pass', reason: /Unsupported parameter: 'top_p'/ },
  { name: 'an empty chat and Responses answer', model: 'openai.gpt-oss-20b', check: 'answer.non-empty', quirk: { behaviors: { emptyAnswer: true } }, off: 'non-empty', on: 'empty', reason: /no text and no tool call/ },
  { name: 'an empty Message', model: 'anthropic.claude-opus-4-7', check: 'answer.non-empty', quirk: { behaviors: { emptyAnswer: true } }, off: 'non-empty', on: 'empty' },
  { name: 'POST /responses/compact served (an observation)', model: 'openai.gpt-oss-120b', check: 'api.responses-compact', quirk: { behaviors: { compact: true } }, off: 'unsupported', on: 'supported', onStatus: 'pass', reason: /response\.compaction with 3 output item/ },
  { name: 'Claude echoing the id as sent', model: 'anthropic.claude-opus-4-7', check: 'messages.model-echo', quirk: { behaviors: { modelEcho: 'same' } }, off: 'stripped-prefix', on: 'same' },
  { name: 'an unknown anthropic-beta answered', model: 'anthropic.claude-opus-4-8', check: 'messages.beta', quirk: { behaviors: { betaFlags: 'ignore-unknown' } }, off: 'rejected', on: 'ignored' },
  { name: 'a forced tool_choice taken where Claude Sonnet 5.5 is documented to refuse it', model: 'anthropic.claude-sonnet-5-5', check: 'tools.messages.forced-call', quirk: { behaviors: { forcedToolChoice: 'accept' } }, off: 'rejected', on: 'conformant' },
  { name: 'JSON through a forced tool taken where Claude Sonnet 5.5 is documented to refuse it', model: 'anthropic.claude-sonnet-5-5', check: 'structured-output.messages', quirk: { behaviors: { forcedToolChoice: 'accept' } }, off: 'rejected', on: 'valid' },
  { name: 'a forced tool_choice refused by a Claude with no claim', model: 'anthropic.claude-opus-4-8', check: 'tools.messages.forced-call', quirk: { behaviors: { forcedToolChoice: 'reject' } }, off: 'conformant', on: 'rejected', reason: /forcing a tool is not supported/ },
  // The catalog states both values (no capture shows which Mantle does): either is an observation, not a failure.
  { name: 'a Message without anthropic-version answered', model: 'anthropic.claude-opus-4-7', check: 'messages.anthropic-version', quirk: { behaviors: { anthropicVersionRequired: false } }, off: 'required', on: 'optional', onStatus: 'pass' },
];

describe('integrator checks against the emulator, switch off and on', () => {
  it.each(ROWS)('$name', (row) => expectBothWays(row));

  it("sends the anthropic-version the installed @anthropic-ai/sdk sends on its own", async () => {
    const sdk = join(dirname(createRequire(import.meta.url).resolve('@anthropic-ai/sdk')), 'client.js');
    const sent = [...(await readFile(sdk, 'utf8')).matchAll(/'anthropic-version': '([0-9-]+)'/g)].map((m) => m[1]);
    expect(sent).toEqual([SDK_ANTHROPIC_VERSION]);
  });

  it('an answer empty on one trial of two is flaky, with the rate in its trials', async () => {
    const quirky = await catalogEmulator({ 'openai.gpt-oss-20b': { behaviors: { variants: [{ emptyAnswer: false }, { emptyAnswer: true }] } } });
    try {
      const result = (await checkModel(liveTarget(quirky.url), 'openai.gpt-oss-20b', { checks: ['answer.non-empty'], repeat: 2 })).get('answer.non-empty')!;
      expect(result.status, result.reason).toBe('flaky');
      expect(result.trials?.map((t) => t.observed).sort()).toEqual(['empty', 'non-empty']);
    } finally {
      await quirky.close();
    }
  });
});

describe('answer.non-empty when the output budget hid the answer', () => {
  it('is inconclusive naming the budget, never empty', async () => {
    // A model that thinks for longer than any room the case gives: the answer stops at the limit with no text.
    const quirky = await catalogEmulator({ 'openai.gpt-oss-20b': { behaviors: { thinkingTokens: 100_000 } } });
    try {
      const result = (await checkModel(liveTarget(quirky.url), 'openai.gpt-oss-20b', { checks: ['answer.non-empty'] })).get('answer.non-empty')!;
      expect(result.status, result.reason).toBe('inconclusive');
      expect(result.observed).not.toBe('empty');
      expect(result.reason).toMatch(/output budget was spent on reasoning/);
    } finally {
      await quirky.close();
    }
  });
});

describe('a catalog claim plays in the emulator, and the run meets it', () => {
  /** The project catalog with one more claim on one model. */
  async function claiming(model: string, check: string, value: string): Promise<Catalog> {
    const { catalog } = await projectSuites();
    const claim: CatalogClaim = { value, source: 'seeds/portkey', location: 'test', from: 'model' };
    const models = catalog.models.map((m) => (m.id === model ? { ...m, expect: new Map([...m.expect, [check, claim]]) } : m));
    return { ...catalog, models, byId: new Map(models.map((m) => [m.id, m])) };
  }

  it.each([
    ['openai.gpt-oss-20b', 'requests.sdk-fields.prompt-cache-key', 'rejected'],
    ['openai.gpt-5.4', 'requests.sdk-fields.verbosity', 'rejected'],
    ['anthropic.claude-opus-4-7', 'requests.sdk-fields.metadata', 'rejected'],
    ['openai.gpt-5.5', 'requests.sdk-fields.verbosity', 'ignored'],
  ])('%s: %s claimed %s', async (model, check, value) => {
    const catalog = await claiming(model, check, value);
    const emulator = await startEmulator({ profiles: profilesFromCatalog(catalog) });
    try {
      const { suites } = await projectSuites();
      const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: [model], checks: [check] });
      const result = (await checkModel(liveTarget(emulator.url), model, { plan })).get(check)!;
      expect(result.observed, result.reason).toBe(value);
      expect(result.status, result.reason).toBe('pass');
    } finally {
      await emulator.close();
    }
  });
});

describe("the shipped catalog's integrator claims: a documented behaviour observed live does not gate", () => {
  it('xai.grok-4.6 and openai.gpt-5.6-sol answering empty (3 of 8 on record) pass; the claim plays non-empty first', async () => {
    for (const model of ['xai.grok-4.6', 'openai.gpt-5.6-sol']) {
      const plain = await catalogEmulator();
      const quirky = await catalogEmulator({ [model]: { behaviors: { emptyAnswer: true } } });
      try {
        const off = (await checkModel(liveTarget(plain.url), model, { checks: ['answer.non-empty'] })).get('answer.non-empty')!;
        expect(off.observed, off.reason).toBe('non-empty');
        const on = (await checkModel(liveTarget(quirky.url), model, { checks: ['answer.non-empty'] })).get('answer.non-empty')!;
        expect(on.observed, on.reason).toBe('empty');
        expect(on.status, on.reason).toBe('pass');
      } finally {
        await Promise.all([plain.close(), quirky.close()]);
      }
    }
  });

  it('openai.gpt-5.6-luna stalling after two events (us-east-1 on record) passes', async () => {
    const quirky = await catalogEmulator({ 'openai.gpt-5.6-luna': { stream: { stallAfterEvents: 2 } } });
    try {
      const target = new LiveTarget('test', { baseUrl: quirky.url, auth: noAuth, timeoutMs: 30_000, idleTimeoutMs: 400 });
      const result = (await checkModel(target, 'openai.gpt-5.6-luna', { checks: ['stream.chat-completions'] })).get('stream.chat-completions')!;
      expect(result.observed, result.reason).toBe('stalled');
      expect(result.status, result.reason).toBe('pass');
    } finally {
      await quirky.close();
    }
  });
});

describe('a stream that stops after two events', () => {
  it('is stalled within the idle limit, not after --timeout, with the last event seen', async () => {
    const quirky = await catalogEmulator({ 'qwen.qwen3-coder-next': { stream: { stallAfterEvents: 2 } } });
    try {
      const target = new LiveTarget('test', { baseUrl: quirky.url, auth: noAuth, timeoutMs: 30_000, idleTimeoutMs: 400 });
      const started = performance.now();
      const result = (await checkModel(target, 'qwen.qwen3-coder-next', { checks: ['stream.chat-completions'] })).get('stream.chat-completions')!;
      const elapsed = performance.now() - started;
      expect(result.observed, result.reason).toBe('stalled');
      expect(result.status).toBe('fail');
      expect(result.reason).toMatch(/no data for 400 ms after 2 event\(s\), the last .*chat\.completion\.chunk/);
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await quirky.close();
    }
  });

  it('a stream that ends is never stalled', async () => {
    const emulator = await catalogEmulator({ 'qwen.qwen3-coder-next': { stream: { eventDelayMs: 20 } } });
    try {
      const target = new LiveTarget('test', { baseUrl: emulator.url, auth: noAuth, timeoutMs: 30_000, idleTimeoutMs: 400 });
      const result = (await checkModel(target, 'qwen.qwen3-coder-next', { checks: ['stream.chat-completions'] })).get('stream.chat-completions')!;
      expect(result.observed, result.reason).toBe('conformant');
    } finally {
      await emulator.close();
    }
  });
});
