/**
 * An output limit is judged from usage, and usage is the endpoint's word about itself: `completion_tokens: 1` beside
 * fifteen words of answer passed params.max-completion-tokens as honored (hostile review of verdicts, 2026-12-05).
 * Every word of the visible answer is a token at least, so more words than the limit is an answer past it.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

async function judged(check: string, bodies: Record<string, unknown>): Promise<CheckResult> {
  const first = await caseStep(check, {});
  const exchanges = Object.entries(bodies).map(([step, json]) => answeredWith({ ...first, step: { ...first.step, id: step } }, { json }));
  return judgeOn(check, check, first.spec.api, exchanges, {});
}

const answer = (content: string, completionTokens: number, finish = 'stop') => ({ choices: [{ message: { role: 'assistant', content }, finish_reason: finish }], usage: { completion_tokens: completionTokens } });
const control = answer('1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20', 64, 'length');

describe('an output limit the usage says was kept and the answer shows was not', () => {
  it.each(['params.max-tokens', 'params.max-completion-tokens'])('%s: ignored, naming both', async (check) => {
    const result = await judged(check, { limited: answer('One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen.', 1), control });
    expect(result.observed).toBe('ignored');
    expect(result.reason).toContain('1 output token(s) said, but the answer shows 15 word(s), each a token at least');
  });

  it.each(['params.max-tokens', 'params.max-completion-tokens'])('%s: one word within usage of 1 is still honored', async (check) => {
    const result = await judged(check, { limited: answer('1', 1, 'length'), control });
    expect(result.observed).toBe('honored');
  });
});
