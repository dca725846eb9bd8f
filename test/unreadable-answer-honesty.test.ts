/**
 * A 2xx whose body is not a JSON object (cut short on the way, or `[1,2]`) holds nothing a check can read (review of
 * a hostile model server): every check that reads a field of the answer says `error` ("could not observe"), never
 * the finding an absent field would be (`missing`, `other`, `ignored`, `not-retrievable`, `unsupported`), nor
 * `inconclusive` as if the model chose. The same checks still read a readable answer.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { IMAGE_COLOURS } from '../src/suite/generated.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

/** An answer to one step: a JSON value, or a body's raw text. */
type Body = { json: unknown } | { text: string };

/** `check` judged on case `caseId` with its steps answered 200 with `bodies`, in order (one exchange each). */
async function judged(check: string, caseId: string, bodies: Record<string, Body>, model?: string): Promise<CheckResult> {
  const first = await caseStep(caseId, model === undefined ? {} : { model });
  const exchanges = Object.entries(bodies).map(([step, body]) => {
    // Later steps are answered on the first step's request: what they send is not what these checks read.
    const at = { ...first, step: { ...first.step, id: step } };
    return answeredWith(at, 'json' in body ? { json: body.json } : { text: body.text });
  });
  return judgeOn(check, caseId, first.spec.api, exchanges, model === undefined ? {} : { model });
}

const CUT = { text: '{"id":"resp_1","object":"response","created_at":1763500000,"status":"completed","model":"m","output":[{"ty' };
const ARRAY = { text: '[1,2]' };
const text = (said: string) => [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: said }] }];
const usage = { input_tokens: 5, output_tokens: 2, output_tokens_details: { reasoning_tokens: 4 } };

interface Row {
  check: string;
  caseId: string;
  /** Each step's readable answer, and the value the check observes in it. */
  readable: Record<string, Body>;
  observed: unknown;
  /** The step whose answer is made unreadable. */
  cut: string;
  model?: string;
}

const ROWS: Row[] = [
  { check: 'reasoning.default-effort', caseId: 'probe.responses', readable: { main: { json: { object: 'response', reasoning: { effort: 'medium' } } } }, observed: 'medium', cut: 'main' },
  { check: 'messages.model-echo', caseId: 'probe.messages', readable: { main: { json: { type: 'message', model: 'test.model' } } }, observed: 'same', cut: 'main' },
  {
    check: 'reasoning.encrypted-content',
    caseId: 'reasoning.encrypted',
    readable: { first: { json: { object: 'response', output: [{ type: 'reasoning', encrypted_content: 'gAAA' }, ...text('OK')], usage } }, second: { json: { object: 'response', output: text('DONE') } } },
    observed: 'round-trips',
    cut: 'first',
  },
  { check: 'reasoning.chat-field', caseId: 'reasoning.chat-field', readable: { main: { json: { choices: [{ message: { role: 'assistant', content: 'OK', reasoning: 'thinking' } }] } } }, observed: 'message.reasoning', cut: 'main' },
  { check: 'service-tier.responses.flex', caseId: 'service-tier.responses-flex', readable: { main: { json: { object: 'response', status: 'completed', service_tier: 'flex', output: text('OK') } } }, observed: 'accepted', cut: 'main' },
  { check: 'params.n', caseId: 'params.n', readable: { main: { json: { choices: [{ index: 0, message: { content: 'a' } }, { index: 1, message: { content: 'b' } }] } } }, observed: 'honored', cut: 'main' },
  {
    check: 'responses.background',
    caseId: 'responses.background',
    readable: { create: { json: { id: 'resp_1', object: 'response', status: 'queued' } }, poll: { json: { id: 'resp_1', object: 'response', status: 'completed', output: text('OK') } } },
    observed: 'completed',
    cut: 'create',
  },
  { check: 'responses.background', caseId: 'responses.background', readable: { create: { json: { id: 'resp_1', status: 'queued' } }, poll: { json: { id: 'resp_1', status: 'completed' } } }, observed: 'completed', cut: 'poll' },
  { check: 'responses.retrieve', caseId: 'responses.lifecycle', readable: { create: { json: { id: 'resp_1', object: 'response' } }, get: { json: { id: 'resp_1', object: 'response' } } }, observed: 'retrievable', cut: 'get' },
  { check: 'responses.input-items', caseId: 'responses.lifecycle', readable: { create: { json: { id: 'resp_1' } }, get: { json: { id: 'resp_1' } }, items: { json: { object: 'list', data: [] } } }, observed: 'supported', cut: 'items' },
  {
    check: 'responses.previous-response-id',
    caseId: 'responses.chain',
    readable: { first: { json: { id: 'resp_1', object: 'response', output: text('OK') } }, second: { json: { id: 'resp_2', previous_response_id: 'resp_1', output: text('Ada') } } },
    observed: 'echoed',
    cut: 'second',
  },
  { check: 'api.responses-compact', caseId: 'responses.compact', readable: { main: { json: { object: 'response.compaction', output: [] } } }, observed: 'supported', cut: 'main' },
  {
    check: 'prompt-cache.messages',
    caseId: 'prompt-cache.messages',
    readable: {
      first: { json: { type: 'message', usage: { input_tokens: 5, cache_creation_input_tokens: 5000, cache_read_input_tokens: 0 } } },
      second: { json: { type: 'message', usage: { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 5000 } } },
      third: { json: { type: 'message', usage: { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 5000 } } },
    },
    observed: 'cached',
    cut: 'first',
  },
  {
    check: 'prompt-cache.messages',
    caseId: 'prompt-cache.messages',
    readable: Object.fromEntries(['first', 'second', 'third'].map((step) => [step, { json: { usage: { cache_creation_input_tokens: 5000, cache_read_input_tokens: 0 } } }])),
    observed: 'not-cached',
    cut: 'second',
  },
];

describe('a 2xx whose body is not a JSON object is "could not observe"', () => {
  for (const row of ROWS) {
    for (const [name, body] of [['cut short', CUT], ['an array', ARRAY]] as const) {
      it(`${row.check}: step ${row.cut} answered with ${name}`, async () => {
        const result = await judged(row.check, row.caseId, { ...row.readable, [row.cut]: body }, row.model);
        expect(result).toMatchObject({ status: 'error', observed: null });
        expect(result.reason).toMatch(/not a JSON object/);
      });
    }
    it(`${row.check}: a readable answer is read (${String(row.observed)})`, async () => {
      expect((await judged(row.check, row.caseId, row.readable, row.model)).observed).toBe(row.observed);
    });
  }

  it('images.seen.chat: an unreadable body is error, a readable one naming the colour is seen', async () => {
    const cut = await judged('images.seen.chat', 'images.chat', { main: CUT });
    expect(cut).toMatchObject({ status: 'error' });
    expect(cut.reason).toMatch(/not a JSON object/);
    const verdicts = await Promise.all(Object.keys(IMAGE_COLOURS).map((colour) => judged('images.seen.chat', 'images.chat', { main: { json: { choices: [{ message: { role: 'assistant', content: `The image is ${colour}.` } }] } } })));
    expect(verdicts.filter((v) => v.observed === 'seen')).toHaveLength(1);
  });

  it('params.max-tokens: an unreadable control answer is not read as one that wrote nothing', async () => {
    const limited = { json: { choices: [{ message: { content: '1' }, finish_reason: 'length' }], usage: { completion_tokens: 1 } } };
    const cut = await judged('params.max-tokens', 'params.max-tokens', { limited, control: CUT });
    // Not inconclusive either: the control is a plain request the endpoint must serve (an error, as on the main step).
    expect(cut.status).toBe('error');
    expect(cut.reason).toMatch(/^could not observe: the control answer's HTTP 200 body is not a JSON object/);
    const control = { json: { choices: [{ message: { content: '1 2 3 4 5' }, finish_reason: 'stop' }], usage: { completion_tokens: 50 } } };
    expect((await judged('params.max-tokens', 'params.max-tokens', { limited, control })).observed).toBe('honored');
  });
});
