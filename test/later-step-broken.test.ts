/**
 * A case that breaks on a later step (a 503 after its retries) keeps what its earlier steps observed: the checks that
 * read only those steps (tools.*.forced-call reads `call`) are judged on them, with their evidence, while the checks
 * that read the broken step (tools.*.result-turn) are `error` as before. A break on the first step leaves nothing to
 * judge, and a check that names no steps, or reads the broken one, still gets the case's error.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepOf } from '../src/checks/answer.ts';
import type { CaseOutcome, CheckInput, CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { outcomeReadBy, runOnObserved } from '../src/run/observed-steps.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { catalogEmulator, checkModel, cli, liveTarget } from './helpers/harness.ts';
import { startProxy, type ProxiedRequest } from './helpers/wire-proxy.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECKS = ['tools.chat.forced-call', 'tools.responses.forced-call', 'tools.chat.result-turn', 'tools.responses.result-turn'];
const UNAVAILABLE = { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '0' }, body: '{"error":{"message":"Service Unavailable","type":"server_error"}}' };

/** The tool-result turn of either API: the `result` step of tools.chat and tools.responses. */
const resultTurn = (request: ProxiedRequest) => request.body.includes('"role":"tool"') || request.body.includes('function_call_output');
/** Either step of the tool cases (the forced call is the first). */
const toolCase = (request: ProxiedRequest) => request.body.includes('get_weather');

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'later-step-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI's live run through a proxy that answers 503 where `fails` says, no retries: the cells by check id. */
async function runThrough(fails: (request: ProxiedRequest) => boolean, name: string): Promise<Map<string, Matrix['results'][number]>> {
  const proxy = await startProxy(emulator.url, { answer: (request) => (fails(request) ? UNAVAILABLE : undefined) });
  try {
    const reports = join(dir, name);
    const args = ['run', '--mode', 'live', '--endpoint', proxy.url, '--auth', 'none', '--models', MODEL, '--checks', CHECKS.join(','), '--retries', '0', '--report-dir', reports, '--plain'];
    await cli(args);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    return new Map(matrix.results.map((cell) => [cell.check, cell]));
  } finally {
    await proxy.close();
  }
}

describe('a 503 on the tool-result step', () => {
  it('judges forced-call on the call it observed; result-turn, which reads the broken step, is error', async () => {
    const cells = await runThrough(resultTurn, 'result-503');
    for (const id of ['tools.chat.forced-call', 'tools.responses.forced-call']) {
      const cell = cells.get(id)!;
      expect(`${id} ${cell.status} ${JSON.stringify(cell.observed)}`).toBe(`${id} pass "conformant"`);
      // Judged on the call step, and only it: its 200 answer with the forced call is the evidence.
      expect(cell.evidence.map((e) => `${e.step} ${e.status}`)).toEqual(['call 200']);
      expect(cell.reason).toMatch(/get_weather\(\{"city":\s*"Paris"\}\).*; judged on the steps of case tools\.\w+ answered before step result broke \(HARNESS_SERVER_ERROR\)/);
    }
    for (const id of ['tools.chat.result-turn', 'tools.responses.result-turn']) {
      const cell = cells.get(id)!;
      expect(`${id} ${cell.status}`).toBe(`${id} error`);
      expect(cell.reason).toMatch(/^HARNESS_SERVER_ERROR/);
    }
  });

  it('a 503 on the first step (the call) leaves nothing observed: every check is error', async () => {
    const cells = await runThrough(toolCase, 'call-503');
    for (const id of CHECKS) {
      const cell = cells.get(id)!;
      expect(`${id} ${cell.status}`).toBe(`${id} error`);
      expect(cell.reason).toMatch(/^HARNESS_SERVER_ERROR/);
    }
  });

  it('with --repeat, each trial is judged on what it observed', async () => {
    let left = 1;
    const proxy = await startProxy(emulator.url, { answer: (request) => (resultTurn(request) && left-- > 0 ? UNAVAILABLE : undefined) });
    try {
      // As the CLI sends (a 503 left after the retries is the harness's HARNESS_SERVER_ERROR), with none.
      const target = new RetryingTarget(liveTarget(proxy.url), { retries: 0, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} });
      const results = await checkModel(target, MODEL, { checks: ['tools.chat.forced-call', 'tools.chat.result-turn'], repeat: 2 });
      const call = results.get('tools.chat.forced-call')!;
      expect(call.trials?.map((t) => t.status)).toEqual(['pass', 'pass']);
      const turn = results.get('tools.chat.result-turn')!;
      expect(turn.trials?.map((t) => t.status).sort()).toEqual(['error', 'pass']);
      expect(turn.trials?.find((t) => t.status === 'error')?.reason).toMatch(/^HARNESS_SERVER_ERROR/);
      expect(call.trials?.filter((t) => /before step result broke/.test(t.reason))).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

describe('which checks read the steps before a broken one', () => {
  const exchange = (step: string, error?: boolean): Exchange =>
    ({
      model: MODEL,
      caseId: 'c',
      step,
      prefix: '/v1',
      request: { method: 'POST', path: '/v1/chat/completions', headers: {} },
      response: error ? null : { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{}' }] },
      ...(error ? { error: { code: 'HARNESS_SERVER_ERROR', message: '503' } } : {}),
    }) as unknown as Exchange;
  const earlier: CaseOutcome = { kind: 'completed', caseId: 'c', api: 'chat-completions', exchanges: [exchange('a'), exchange('b')], routed: true };
  const broken: CaseOutcome = {
    kind: 'error',
    caseId: 'c',
    api: 'chat-completions',
    exchanges: [exchange('a'), exchange('b'), exchange('c', true)],
    error: { code: 'HARNESS_SERVER_ERROR', message: '503' },
    laterStepBroke: { step: 'c', earlier },
  };

  it('only a check whose every read step was answered before the break gets them', () => {
    const read = { ...earlier, brokenStep: { step: 'c', error: { code: 'HARNESS_SERVER_ERROR', message: '503' } } };
    expect(outcomeReadBy(['a'], broken)).toEqual(read);
    expect(outcomeReadBy(['a', 'b'], broken)).toEqual(read);
    expect(outcomeReadBy(['a', 'c'], broken)).toBe(broken);
    expect(outcomeReadBy(['d'], broken)).toBe(broken);
    expect(outcomeReadBy([], broken)).toBe(broken);
    expect(outcomeReadBy(undefined, broken)).toBe(broken);
  });

  it('an error with no step answered before it (the first step, the route, a fixture not written) stays error', () => {
    const { laterStepBroke: _kept, ...whole } = broken as Extract<CaseOutcome, { kind: 'error' }>;
    expect(outcomeReadBy(['a'], whole)).toBe(whole);
  });

  it('the check reads the earlier steps and its reason says the case broke later', async () => {
    const seen: CaseOutcome[][] = [];
    const run = (input: CheckInput): CheckResult => (seen.push([...input.outcomes]), { status: 'pass', observed: 'x', expected: null, reason: 'read a', evidence: [] });
    const input: CheckInput = { model: MODEL, expectation: null, outcomes: [broken] };
    const result = await runOnObserved({ readsSteps: ['a'], run }, input);
    expect(seen[0]).toEqual([{ ...earlier, brokenStep: { step: 'c', error: broken.kind === 'error' && broken.error } }]);
    expect(result.reason).toBe('read a; judged on the steps of case c answered before step c broke (HARNESS_SERVER_ERROR), a step this check does not read');
    const unchanged = await runOnObserved({ readsSteps: ['c'], run }, input);
    expect(seen[1]).toEqual([broken]);
    expect(unchanged.reason).toBe('read a');
  });

  it('a step the check looks up besides the ones it needs (optional), at or after the break, is unobserved: error', async () => {
    // responses.delete needs create, delete, get-after-delete, and reads get when there is one.
    const run = (input: CheckInput): CheckResult => {
      const needed = stepOf(input, 'a');
      if ('settled' in needed) return needed.settled;
      const optional = stepOf(input, 'd');
      return 'settled' in optional ? optional.settled : { status: 'pass', observed: 'x', expected: null, reason: 'read a and d', evidence: [] };
    };
    const result = await runOnObserved({ readsSteps: ['a'], run }, { model: MODEL, expectation: null, outcomes: [broken] });
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/^HARNESS_SERVER_ERROR: step d not observed: step c of case c broke \(503\)/);
    expect(result.evidence.map((e) => e.step)).toEqual(['a', 'b']);
  });
});
