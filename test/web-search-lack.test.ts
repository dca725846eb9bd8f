/**
 * runtime's documented lack of server-side tools (MANTLE.md: "no server-side tools") does not say whether runtime
 * refuses the web_search tool or drops it, so the catalog states both, as it does for background and projects: a
 * runtime that drops the tool without a word (`ignored`) passes as that lack, and so does one that refuses it; on
 * Mantle, which has the tool, either fails.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import type { Expectation } from '../src/checks/types.ts';
import { buildPlan, plannedOn } from '../src/plan/plan.ts';
import { projectSuites } from './helpers/harness.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const MODEL = 'openai.gpt-6-sol';
const CHECK = 'responses.web-search';

async function expectationOn(surface: 'mantle' | 'runtime', target: string): Promise<Expectation | null> {
  const { suites, catalog } = await projectSuites();
  const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: [MODEL], checks: [CHECK] });
  return plannedOn(plan.models[0]!, { id: target, surface }).checks[0]!.expectation;
}

/** The web-search case answered `status` with `json`, judged against what `surface` is expected to do. */
async function judged(surface: 'mantle' | 'runtime', status: number, json: unknown) {
  const at = await caseStep('surface.web-search', { model: MODEL });
  const expectation = await expectationOn(surface, surface === 'runtime' ? 'runtime.local' : 'local');
  return judgeOn(CHECK, 'surface.web-search', 'responses', [answeredWith(at, { status, json })], { model: MODEL, expectation });
}

const dropped = { id: 'resp_1', object: 'response', status: 'completed', tools: [], output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'OK' }] }] };
const refusal = { error: { type: 'invalid_request_error', code: 'unsupported_tool', message: 'Tool type web_search is not supported', param: 'tools' } };

describe('responses.web-search on runtime: refused or dropped, both the documented lack', () => {
  it('the catalog expects rejected or ignored on runtime, with a note that which one is not documented', async () => {
    const expectation = await expectationOn('runtime', 'runtime.local');
    expect(expectation?.value).toEqual(['rejected', 'ignored']);
    expect(expectation?.source).toMatch(/^catalog: runtime lacks server-side tools/);
    expect(expectation?.note).toMatch(/whether the tool is refused or dropped is not documented/);
  });

  it('a tool dropped without a word passes on runtime and fails on Mantle', async () => {
    expect(await judged('runtime', 200, dropped)).toMatchObject({ status: 'pass', observed: 'ignored' });
    expect(await judged('mantle', 200, dropped)).toMatchObject({ status: 'fail', observed: 'ignored' });
  });

  it('a refusal of the tool passes on runtime and fails on Mantle', async () => {
    expect(await judged('runtime', 400, refusal)).toMatchObject({ status: 'pass', observed: 'rejected' });
    expect(await judged('mantle', 400, refusal)).toMatchObject({ status: 'fail', observed: 'rejected' });
  });
});
