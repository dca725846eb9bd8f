/**
 * A model that answered (2xx) but whose every answer hid what the checks look for was not observed, whatever APIs
 * that do not serve it said: adding tools.messages.* to a run of a chat and Responses model turned "nothing observed,
 * gate fail" into a pass (hostile review of verdicts, 2026-12-05). A model known to exist that only refusals answered
 * (a run filtered to APIs it does not speak) is still an observation.
 */
import { describe, expect, it } from 'vitest';
import type { MatrixResult } from '../src/report/matrix.ts';
import { unobservedModels } from '../src/report/observed-models.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'xai.grok-4.3';
const CHECKS = ['tools.chat.forced-call', 'tools.responses.forced-call', 'tools.messages.forced-call'];
const burnt = (check: string): Partial<MatrixResult> => ({
  model: MODEL,
  check,
  status: 'inconclusive',
  observed: null,
  reason: 'the model spent its whole output budget on reasoning',
  evidence: [{ case: 'tools.x', step: 'call', request: 'POST /v1/chat/completions', status: 200 }],
});
const refused = (check: string): Partial<MatrixResult> => ({ model: MODEL, check, status: 'unsupported', observed: null, reason: 'Messages does not serve the model', evidence: [] });

describe('a model observed only by APIs that do not serve it', () => {
  it('answered with 2xx but every answer hid the behaviour: nothing observed, naming the budget, not the id', () => {
    const matrix = smallMatrix([burnt(CHECKS[0]!), burnt(CHECKS[1]!), refused(CHECKS[2]!)], [MODEL], CHECKS);
    const { problems } = unobservedModels(matrix);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(
      `${MODEL} (emulator): nothing observed, 2 of 3 cells inconclusive (the model's output budget or its choices hid what the checks look for), 1 of APIs that do not serve it (unsupported)`,
    );
    expect(problems[0]!.message).not.toContain('is the id right');
  });

  it('one answer read is an observation', () => {
    const matrix = smallMatrix([burnt(CHECKS[0]!), refused(CHECKS[2]!)], [MODEL], CHECKS);
    expect(unobservedModels(matrix).problems).toEqual([]);
  });

  it('a known model only refusals answered (a run filtered to APIs it does not speak) is still observed', () => {
    const matrix = smallMatrix([refused(CHECKS[0]!), refused(CHECKS[1]!), refused(CHECKS[2]!)], [MODEL], CHECKS);
    expect(unobservedModels(matrix).problems).toEqual([]);
  });
});
