/**
 * Verdicts that hold on real models: repeated trials (flaky when they disagree), preconditions (inconclusive when
 * the output budget or the model's choice hid the behaviour), room to think for reasoning models, and latency.
 * Each new status is tested both ways against the emulator: conclusive and right when the model behaves,
 * inconclusive or flaky when it does not.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exchangeTiming } from '../src/checks/latency.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { combineTrials } from '../src/checks/trials.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { isGating } from '../src/report/build-matrix.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const result = (status: CheckResult['status'], observed: CheckResult['observed'], reason = 'r'): CheckResult => ({ status, observed, expected: 'conformant', reason, evidence: [] });

describe('combineTrials', () => {
  it('gives the shared verdict when every trial observed the same value', () => {
    const combined = combineTrials([result('pass', 'conformant'), result('pass', 'conformant'), result('pass', 'conformant')]);
    expect(combined.status).toBe('pass');
    expect(combined.reason).toContain('3/3 trials observed conformant');
    expect(combined.trials?.map((t) => t.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('is flaky when trials disagree, observing the most frequent value with the spread', () => {
    const combined = combineTrials([result('pass', 'conformant'), result('fail', 'no-call'), result('pass', 'conformant')]);
    expect(combined).toMatchObject({ status: 'flaky', observed: 'conformant', expected: 'conformant' });
    expect(combined.reason).toBe('trials disagree: conformant 2/3, no-call 1/3 (expected "conformant")');
  });

  it('never lets a trial that observed nothing outvote one that did', () => {
    const combined = combineTrials([result('inconclusive', null, 'budget spent'), result('pass', 'conformant'), result('error', null, 'HARNESS_TIMEOUT')]);
    expect(combined.status).toBe('pass');
    expect(combined.reason).toContain('1/3 trials inconclusive: budget spent');
    expect(combined.reason).toContain('1/3 trials error: HARNESS_TIMEOUT');
  });

  it('says a reason once when every trial observed nothing for the same reason, and names each different one', () => {
    const same = combineTrials([result('inconclusive', null, 'budget spent'), result('inconclusive', null, 'budget spent')]);
    expect(same.reason).toBe('budget spent (2/2 trials inconclusive)');
    const mixed = combineTrials([result('inconclusive', null, 'budget spent'), result('error', null, 'HARNESS_TIMEOUT')]);
    expect(mixed.reason).toBe('HARNESS_TIMEOUT (1/2 trials inconclusive: budget spent; 1/2 trials error)');
  });

  it('is an error when no trial observed anything and one broke, inconclusive when none broke', () => {
    expect(combineTrials([result('inconclusive', null), result('error', null)]).status).toBe('error');
    expect(combineTrials([result('inconclusive', null), result('skipped', null)]).status).toBe('inconclusive');
  });

  it('gates a flaky cell only where a single value is stated', () => {
    expect(isGating({ status: 'flaky', expected: 'conformant', expectedSource: 'catalog: x' })).toBe(true);
    expect(isGating({ status: 'flaky', expected: ['conformant', 'no-call'], expectedSource: 'expectations: known' })).toBe(false);
    expect(isGating({ status: 'flaky', expected: 'flaky', expectedSource: 'expectations: known' })).toBe(false);
    expect(isGating({ status: 'flaky', expected: null, expectedSource: null })).toBe(false);
    expect(isGating({ status: 'inconclusive', expected: 'honored', expectedSource: 'catalog: x' })).toBe(false);
  });

  it('gates a flaky cell whose trials saw a value the stated list does not allow: the list lets its values vary, no more', () => {
    const listed = ['message.reasoning', 'none'];
    const trial = (status: CheckResult['status'], observed: string): CheckResult => ({ status, observed, expected: listed, reason: 'r', evidence: [] });
    const outside = combineTrials([trial('pass', 'none'), trial('pass', 'none'), trial('fail', 'reasoning_content')]);
    expect(outside.status).toBe('flaky');
    expect(isGating({ ...outside, expectedSource: 'catalog: x' })).toBe(true);
    const within = combineTrials([trial('pass', 'none'), trial('pass', 'message.reasoning'), trial('pass', 'none')]);
    expect(within.status).toBe('flaky');
    expect(isGating({ ...within, expectedSource: 'catalog: x' })).toBe(false);
    // Any value goes where the expectation says flaky: no trial fails it.
    const any = combineTrials([trial('pass', 'none'), trial('pass', 'reasoning_content')].map((t) => ({ ...t, expected: 'flaky' })));
    expect(isGating({ ...any, expectedSource: 'expectations: known' })).toBe(false);
  });
});

/** Local models that behave as real ones do (the four, plus one that ignores its instructions). */
const MODELS: Record<string, ProfileOverride> = {
  'test.sometimes-calls': { behaviors: { toolCallRate: 0.5 } },
  'test.thinks-4096': { behaviors: { thinkingTokens: 4096, chatReasoning: 'message.reasoning' } },
  'test.ignores-stop': { behaviors: { ignoredParams: ['stop'] } },
  'test.honours-stop': {},
  'test.off-script': { behaviors: { offScript: true } },
  'test.thinks-8': { behaviors: { thinkingTokens: 8, chatReasoning: 'message.reasoning' } },
};

describe('against models that behave like real ones, --repeat 3', () => {
  let emulator: RunningEmulator;
  const results = new Map<string, Map<string, CheckResult>>();
  const checks = ['params.stop', 'params.max-tokens', 'tools.chat.forced-call', 'tools.responses.forced-call', 'structured-output.chat', 'params.logprobs', 'reasoning.chat-field', 'created-at.chat'];
  beforeAll(async () => {
    emulator = await catalogEmulator(MODELS, { unknownModels: 'generic' });
    const target = liveTarget(emulator.url);
    for (const model of Object.keys(MODELS)) results.set(model, await checkModel(target, model, { checks, repeat: 3 }));
  });
  afterAll(() => emulator.close());
  const cell = (model: string, check: string) => results.get(model)!.get(check)!;

  it('(a) a forced call made on every other request is flaky, with the spread', () => {
    for (const check of ['tools.chat.forced-call', 'tools.responses.forced-call']) {
      const r = cell('test.sometimes-calls', check);
      expect(r.status, r.reason).toBe('flaky');
      expect(r.observed).toBe('conformant');
      expect(r.reason).toContain('conformant 2/3, no-call 1/3');
      // Which trial got which answer depends on arrival order; the spread does not.
      expect(r.trials?.map((t) => t.observed).sort()).toEqual(['conformant', 'conformant', 'no-call']);
    }
    // The endpoint's own behaviour is not repeated, and stays stable.
    expect(cell('test.sometimes-calls', 'created-at.chat')).toMatchObject({ status: 'pass', observed: 'integer' });
    expect(cell('test.sometimes-calls', 'created-at.chat').trials).toBeUndefined();
  });

  it('(b) a model that spends every budget up to 4096 tokens on reasoning is inconclusive, never a false verdict', () => {
    for (const check of ['params.stop', 'tools.chat.forced-call', 'structured-output.chat', 'params.logprobs']) {
      const r = cell('test.thinks-4096', check);
      expect(r.status, `${check}: ${r.reason}`).toBe('inconclusive');
      expect(r.observed).toBeNull();
      expect(r.reason).toMatch(/the output budget was spent on reasoning|no visible token/);
    }
    expect(cell('test.thinks-4096', 'params.stop').reason).toContain('reasoning tokens 1024');
  });

  it('(c) a model that ignores stop is "ignored", (d) one that honours it "honored", each stable', () => {
    expect(cell('test.ignores-stop', 'params.stop')).toMatchObject({ status: 'fail', observed: 'ignored' });
    expect(cell('test.honours-stop', 'params.stop')).toMatchObject({ status: 'pass', observed: 'honored' });
    expect(cell('test.honours-stop', 'params.stop').reason).toContain('3/3 trials observed honored');
    expect(cell('test.honours-stop', 'tools.chat.forced-call')).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  it('a model that does not follow the instruction leaves params.stop inconclusive: the control never reached the stop', () => {
    const r = cell('test.off-script', 'params.stop');
    expect(r.status).toBe('inconclusive');
    expect(r.reason).toContain('the control answer without stop never reached ["7"]');
  });

  it('a reasoning model that gets room to think is conclusive', () => {
    expect(cell('test.thinks-8', 'params.stop')).toMatchObject({ status: 'pass', observed: 'honored' });
    expect(cell('test.thinks-8', 'tools.chat.forced-call')).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(cell('test.thinks-8', 'structured-output.chat')).toMatchObject({ status: 'pass', observed: 'valid' });
    expect(cell('test.thinks-8', 'reasoning.chat-field')).toMatchObject({ status: 'pass', observed: 'message.reasoning' });
    // The limit check compares with its control: 1 token (all reasoning) against a control that wrote 64.
    expect(cell('test.thinks-8', 'params.max-tokens')).toMatchObject({ status: 'pass', observed: 'honored' });
  });

  it('gives room to think only to models that reason, as the requests show', () => {
    const sent = (model: string) => emulator.stats.log.filter((l) => l.model === model && l.path.endsWith('/chat/completions')).map((l) => l.maxTokens);
    expect(sent('test.thinks-8')).toContain(1024);
    expect(sent('test.honours-stop')).not.toContain(1024);
  });
});

describe('latency', () => {
  it('never puts the first token after the end: the times are rounded on one clock', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Start and send at 1000.0 ms, headers at 1000.5 (rounds up to 1 ms), every later reading 1151.2: rounded apart,
    // the headers (1) plus the read after them (150.7 -> 151) made a first token at 152 ms in a 151 ms exchange.
    const readings = [1000, 1000, 1000.5];
    const now = vi.spyOn(performance, 'now').mockImplementation(() => readings.shift() ?? 1151.2);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const exchange = await sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: noAuth });
      const timing = exchangeTiming(exchange)!;
      expect(timing).toEqual({ headersMs: 1, firstTokenMs: 151, totalMs: 151 });
    } finally {
      now.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is measured per exchange: headers, first content token, total; a slow first token shows', async () => {
    const emulator = await catalogEmulator({ 'test.slow-start': { stream: { firstTokenDelayMs: 150 } } }, { unknownModels: 'generic' });
    try {
      const results = await checkModel(liveTarget(emulator.url), 'test.slow-start', { checks: ['stream.chat-completions', 'created-at.chat'] });
      const stream = results.get('stream.chat-completions')!.evidence.find((e) => e.timing?.firstTokenMs !== undefined)!;
      // The delay sits between the headers and the first content token. Under load the headers are read late (the
      // emulator's 150 ms start at its write), so the bound leaves room: 135 ms was seen beside four busy processes.
      expect(stream.timing!.firstTokenMs! - stream.timing!.headersMs).toBeGreaterThanOrEqual(100);
      expect(stream.timing!.totalMs).toBeGreaterThanOrEqual(stream.timing!.firstTokenMs!);
      const plain = results.get('created-at.chat')!.evidence[0]!;
      expect(plain.timing?.firstTokenMs).toBeUndefined();
      expect(plain.timing?.totalMs).toBeGreaterThanOrEqual(0);
    } finally {
      await emulator.close();
    }
  });
});
