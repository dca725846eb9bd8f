/**
 * A refusal of the model on the route its probe found serving it is no "not served" (review of 2026-12-05): a model
 * whose chat probe answered 2xx, refused on one request ("does not exist", "isn't supported on this route"), read as
 * `unsupported` (n/a, never gating, coverage 100%) and, under --repeat, was outvoted. The endpoint said both: the
 * cell could not observe anything, so `error`. A refusal on a probe (no route chosen yet) still says "not served".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import { compareMatrices } from '../src/report/compare.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { answeredWith, caseStep } from './helpers/suite-answers.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const NOT_FOUND = { error: { message: "The model 'openai.gpt-oss-20b' does not exist", type: 'invalid_request_error', code: 'model_not_found' } };

async function refused(caseId: string, routed: boolean): Promise<CaseOutcome> {
  const at = await caseStep(caseId, { prefix: '/v1' });
  return { kind: 'completed', caseId, api: at.spec.api, exchanges: [answeredWith(at, { status: 404, json: NOT_FOUND })], ...(routed ? { routed: true as const } : {}) };
}

const run = (check: string, outcomes: CaseOutcome[]): CheckResult => getCheck(check)!.run({ model: 'openai.gpt-oss-20b', expectation: null, outcomes }) as CheckResult;

describe('a refusal on the route the probe found serving the model', () => {
  it.each([
    ['tools.chat.forced-call', 'tools.chat'],
    ['structured-output.chat', 'structured.chat'],
  ])('%s: error naming the contradiction; the same answer to a request sent before any route was chosen is n/a', async (check, caseId) => {
    const served = run(check, [await refused(caseId, true)]);
    expect(served.status, served.reason).toBe('error');
    expect(served.reason).toMatch(/refused the model \(404: The model 'openai\.gpt-oss-20b' does not exist\) on the route its probe found serving it/);
    expect(run(check, [await refused(caseId, false)]).status).toBe('unsupported');
  });

  it('answer.non-empty (read on every API): the API whose served route refused is an error, not left out', async () => {
    const result = run('answer.non-empty', [await refused('answer.chat', true), { kind: 'unsupported', caseId: 'answer.messages', api: 'messages', reason: 'not served (404)' }]);
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toContain('on the route its probe found serving it');
  });
});

describe('compare', () => {
  it('an observed cell now n/a is no longer observed, never silent', () => {
    const before = smallMatrix();
    const after = smallMatrix([{ model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'unsupported', observed: null, reason: 'the model is not served here' }]);
    expect(compareMatrices(before, after).noLongerObserved!.map((c) => `${c.model} ${c.check} ${c.before!.status} -> ${c.after!.status}`)).toEqual(['qwen.qwen3-32b path-prefix pass -> unsupported']);
  });
});

describe('a route no probe of the API chose', () => {
  // A suite with no probe for an API (a custom --suites folder): the route is the catalog's guess, so a refusal on it
  // says only that the guess was wrong: an error naming the missing probe cases, not "not served" (a new user's suite
  // of one case read a model moved to /openai/v1 as n/a and passed the gate), nor a contradiction (review of 69454a6f).
  it('a refusal there is an error naming the missing probe cases, not n/a and not a contradiction', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-probe-'));
    const emulator = await catalogEmulator();
    try {
      await writeFile(join(dir, 'mini.suite.yaml'), 'suite: mini\ndescription: one chat case, no probe\ncases:\n  - id: mini.chat\n    title: chat with no probe\n    api: chat-completions\n    request: { body: { messages: [{ role: user, content: Reply with the word OK. }], max_tokens: 16 } }\n    checks: [sdk.strict.chat]\n');
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--auth', 'none', '--suites', dir, '--catalog', join(ROOT, 'suites', 'models.yaml'), '--no-expectations', '--models', 'anthropic.claude-opus-4-7', '--report-dir', join(dir, 'reports'), '--quiet']);
      const matrix = JSON.parse(await readFile(join(dir, 'reports', 'matrix.json'), 'utf8')) as { results: CheckResult[] };
      expect(matrix.results[0]!.status, matrix.results[0]!.reason).toBe('error');
      expect(matrix.results[0]!.reason).toMatch(/no probe case for chat-completions in the loaded suites/);
      expect(matrix.results[0]!.reason).not.toContain('on the route its probe found serving it');
      expect(run.stderr).toMatch(/warning: .*no probe case for chat-completions/);
      expect(run.code, run.stderr).toBe(1);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
