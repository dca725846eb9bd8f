/**
 * messages.thinking-disabled reads a 4xx as `rejected` only when the refusal is about thinking: its param names
 * `thinking`, or its message names it as a word of its own. A refusal of a header (an unknown anthropic-beta, a
 * missing anthropic-version), of a beta flag whose name holds the word, or a generic "malformed request" says nothing
 * of the setting: `inconclusive`, naming what was refused. Otherwise Claude Sonnet 5.5's claim (`rejected`) was
 * "confirmed", and Sonnet 5 failed, by a refusal of something else (review r3a, finding 2).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';

const CHECK = 'messages.thinking-disabled';
const SONNET_5_5_CLAIM: Expectation = { value: 'rejected', source: 'catalog: vercel-ai/amazon-bedrock-5.0.99' };
const SONNET_5_CLAIM: Expectation = { value: 'off', source: 'catalog: aws-ug/doc-history-2026-08-24' };

let step: Awaited<ReturnType<typeof caseStep>>;
beforeAll(async () => {
  step = await caseStep(CHECK);
});

const judged = (exchange: Exchange, expectation: Expectation | null): CheckResult => {
  const outcome: CaseOutcome = { kind: 'completed', caseId: CHECK, api: 'messages', exchanges: [exchange] };
  return getCheck(CHECK)!.run({ model: 'test.model', expectation, outcomes: [outcome] }) as CheckResult;
};
const refusal = (message: string, param?: string) => answeredWith(step, { status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } } });

describe('a refusal that is not about thinking', () => {
  const OTHER = [
    { name: 'a beta flag refused without naming it', message: 'invalid beta flag' },
    { name: 'a missing anthropic-version header', message: 'anthropic-version: header is required' },
    { name: "a thinking beta flag refused (Anthropic's wording)", message: 'Unexpected value(s) `interleaved-thinking-2099` for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header.' },
    { name: 'a generic malformed request', message: 'Malformed input request, please reformat your input and try again.' },
    { name: 'a param naming a header', message: 'Invalid value', param: 'anthropic-beta' },
  ];

  it.each(OTHER)('$name is inconclusive, never confirming Sonnet 5.5 nor failing Sonnet 5', ({ message, param }) => {
    for (const claim of [SONNET_5_5_CLAIM, SONNET_5_CLAIM, null]) {
      const result = judged(refusal(message, param), claim);
      expect([result.status, result.observed], result.reason).toEqual(['inconclusive', null]);
      // It names what was refused: the endpoint's own words.
      expect(result.reason).toContain('does not name thinking');
      expect(result.reason).toContain(`400 ${message}`);
    }
  });
});

describe('a refusal about thinking is still rejected', () => {
  const ABOUT = [
    { name: "the emulator's (and Anthropic's) wording", exchange: () => refusal('thinking.type: "disabled" is not supported for this model; use {"type": "adaptive"} with output_config.effort') },
    { name: 'param thinking.type with a generic message', exchange: () => refusal('Invalid value', 'thinking.type') },
    { name: 'param thinking', exchange: () => refusal('Input should be a valid dictionary', 'thinking') },
    { name: 'the word in prose', exchange: () => refusal('Extended thinking cannot be turned off for this model') },
  ];

  it.each(ABOUT)('$name', ({ exchange }) => {
    const claimed = judged(exchange(), SONNET_5_5_CLAIM);
    expect([claimed.status, claimed.observed], claimed.reason).toEqual(['pass', 'rejected']);
    const reference = judged(exchange(), SONNET_5_CLAIM);
    expect([reference.status, reference.observed], reference.reason).toEqual(['fail', 'rejected']);
  });
});

describe('against the emulator with a run-wide anthropic-beta it does not know', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await catalogEmulator();
    dir = await mkdtemp(join(tmpdir(), 'mantle-thinking-refusal-'));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("the beta header's 400 neither passes Sonnet 5.5 nor fails Sonnet 5: both inconclusive, the gate not red on them", async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--header-env', 'anthropic-beta=FXR_BETA', '--models', 'anthropic.claude-sonnet-5-5,anthropic.claude-sonnet-5', '--checks', CHECK, '--report-dir', dir, '--plain'], { FXR_BETA: 'interleaved-thinking-2099' });
    const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as { results: { model: string; check: string; status: string; observed: unknown; reason: string; gating: boolean }[] };
    const cells = matrix.results.filter((r) => r.check === CHECK);
    expect(cells.map((c) => c.model).sort(), run.stdout + run.stderr).toEqual(['anthropic.claude-sonnet-5', 'anthropic.claude-sonnet-5-5']);
    for (const cell of cells) {
      expect([cell.model, cell.status, cell.observed, cell.gating], cell.reason).toEqual([cell.model, 'inconclusive', null, false]);
      expect(cell.reason).toMatch(/does not name thinking.*400/);
    }
    expect(run.stdout + run.stderr).not.toMatch(/gating: .*messages\.thinking-disabled/);
  }, 60_000);
});
