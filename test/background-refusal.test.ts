/**
 * `responses.background` reads a 4xx as "background refused" only when the refusal names background: a refusal of
 * the input or of the model says nothing of background (`inconclusive`, naming what was refused), so it neither
 * fails Mantle nor passes runtime's documented lack. A real refusal of background is still `rejected`: a pass on
 * runtime (the catalog's lack), a fail on Mantle.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, Expectation } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const RUNTIME: Expectation = { value: ['returned-completed', 'rejected'], source: 'catalog: aws-ug/inference-responses-api' };

/** responses.background on a 400 with `error`, judged against `expectation` (null: the reference, Mantle's `completed`). */
async function refused(error: Record<string, unknown>, expectation: Expectation | null): Promise<CheckResult> {
  const at = await caseStep('responses.background');
  const json = { error: { type: 'invalid_request_error', code: 'invalid_value', ...error } };
  return judgeOn('responses.background', 'responses.background', 'responses', [answeredWith(at, { status: 400, json })], { expectation });
}

describe('responses.background: a refusal of something else is no refusal of background', () => {
  const input = { message: "Invalid 'input': expected a list of input items.", param: 'input' };
  const model = { message: "The model 'test.model' is not supported in this region.", param: 'model' };
  const bare = { message: 'The model is not supported in this region.' };

  for (const [name, error] of [['input', input], ['model', model]] as const) {
    it(`a 400 about ${name} is inconclusive on Mantle and on runtime, naming ${name}`, async () => {
      for (const expectation of [null, RUNTIME]) {
        const result = await refused(error, expectation);
        expect(result).toMatchObject({ status: 'inconclusive', observed: null });
        expect(result.reason).toMatch(new RegExp(`refused for ${name}, not for background`));
      }
    });
  }

  it('a 400 that does not name background is inconclusive', async () => {
    const result = await refused(bare, RUNTIME);
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/does not name background/);
  });

  it('a refusal of background is rejected: a pass on runtime, a fail on Mantle', async () => {
    const error = { code: 'unsupported_parameter', message: "Unsupported parameter: 'background' is not supported on this endpoint.", param: 'background' };
    expect(await refused(error, RUNTIME)).toMatchObject({ status: 'pass', observed: 'rejected' });
    expect(await refused(error, null)).toMatchObject({ status: 'fail', observed: 'rejected' });
    const unnamed = await refused({ message: 'background responses are not supported here' }, RUNTIME);
    expect(unnamed).toMatchObject({ status: 'pass', observed: 'rejected' });
  });
});
