/**
 * `headers.openai-project` reads "not supported" wording as the header refused only beside the header's name or the
 * word project: a refusal of the server-side tools (`param: tools`), which the project request never sent, says
 * nothing of the header (`inconclusive`), so it neither fails Mantle nor passes runtime. A refusal of the header or
 * of projects is still `rejected`: a pass on runtime (the catalog's lack), a fail on Mantle.
 */
import { describe, expect, it } from 'vitest';
import { projectRefusal } from '../src/checks/surface-features.ts';
import type { CheckResult, Expectation } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const RUNTIME: Expectation = { value: ['ignored', 'rejected'], source: 'catalog: aws-ug/inference-responses-api' };

async function refused(error: Record<string, unknown>, expectation: Expectation | null): Promise<CheckResult> {
  const at = await caseStep('surface.project.chat');
  const json = { error: { type: 'invalid_request_error', ...error } };
  return judgeOn('headers.openai-project', 'surface.project.chat', at.spec.api, [answeredWith(at, { status: 400, json })], { expectation });
}

describe('headers.openai-project: not-taken wording about another thing is no refusal of the header', () => {
  const tools = { code: 'unsupported_tool', message: 'Server-side tools are not supported on this endpoint.', param: 'tools' };

  it('"Server-side tools are not supported" (param tools) is inconclusive on Mantle and on runtime', async () => {
    expect(projectRefusal(tools.message)).toBeUndefined();
    expect(projectRefusal('This feature is not supported.')).toBeUndefined();
    for (const expectation of [null, RUNTIME]) {
      const result = await refused(tools, expectation);
      expect(result).toMatchObject({ status: 'inconclusive', observed: null });
      expect(result.reason).toMatch(/says neither that the header is unsupported nor anything about the project \(it names tools\)/);
    }
  });

  it('a refusal naming the header or projects is rejected: a pass on runtime, a fail on Mantle', async () => {
    expect(projectRefusal('OpenAI-Project is not supported on this endpoint')).toBe('rejected');
    expect(projectRefusal('Projects are not allowed here')).toBe('rejected');
    const header = { message: 'The OpenAI-Project header is not supported on this endpoint.' };
    expect(await refused(header, RUNTIME)).toMatchObject({ status: 'pass', observed: 'rejected' });
    expect(await refused(header, null)).toMatchObject({ status: 'fail', observed: 'rejected' });
  });
});
