/**
 * @module checks/non-empty-answer
 * A 200 that holds neither text nor a tool call: the request "worked" and the app has nothing to show (grok-4.6 and
 * gpt-5.6-sol did it in 3 of 8 answers; MANTLE.md "What integrators hit"). It depends on the model, so it is judged
 * per trial and a model that does it sometimes is `flaky` (a rate over `--repeat N`). An answer cut by its output
 * budget is `inconclusive`: the budget, not the endpoint, left it empty (thinking written into the text, `<think>`, is not an
 * answer: text of nothing else is empty, or inconclusive when the budget cut it); unless its usage shows the tokens did not go
 * on reasoning (budget.ts outputLost): then the endpoint lost them, and it is `empty`. A Response that failed inside
 * its 200 is empty too (an SDK that swallows `response.failed` shows nothing), and the reason says it failed. One a
 * content filter emptied (`finish_reason: "content_filter"`) is `empty` as well, its reason naming the filter: the
 * filter is the endpoint's guardrail, and the harness's prompts ask for nothing to filter (content-filter.ts).
 */
import { isRecord } from '../transport/body.ts';
import { acrossApis, readRejection, type ApiExchange, type ApiReading } from './across-apis.ts';
import { failedResponse } from './answer.ts';
import { splitThinking, visibleText } from './answer-text.ts';
import { budgetSpent, limitOf, outputLost } from './budget.ts';
import { contentFilterOf } from './content-filter.ts';
import { refusalOf } from './refusal.ts';
import { callsOf } from './tool-calls.ts';
import type { CheckDefinition } from './types.ts';

/** The tool calls an answer holds, on any of the three APIs (an answer has the shape of one of them). */
const toolCalls = (body: Record<string, unknown>): number => (['chat-completions', 'responses', 'messages'] as const).reduce((n, api) => n + callsOf(api, body).length, 0);

function readAnswer(body: Record<string, unknown> | undefined, request: Record<string, unknown>, status: number): ApiReading {
  if (!body) return { error: `HTTP ${status} with a body that is not a JSON object` };
  const failed = failedResponse(body);
  if (failed) return { observed: 'empty', detail: `HTTP ${status}, but ${failed}` };
  // Thinking written into the text (`<think>...</think>`, a model served without a reasoning parser) is no answer: the
  // app shows what the model mused on and nothing in reply, as a Message with only a thinking block.
  const { answer: text, thinking: thought } = splitThinking(visibleText(body));
  const calls = toolCalls(body);
  if (text || calls) return { observed: 'non-empty', detail: calls ? `${calls} tool call(s)` : `${text.length} character(s) of text` };
  const spent = budgetSpent(body, limitOf(request));
  if (spent) return { inconclusive: spent };
  // A refusal is an answer the app shows (its words), or, said only by its stop reason, the model's choice.
  const refused = refusalOf(body);
  if (refused?.text) return { observed: 'non-empty', detail: `a refusal of ${refused.text.trim().length} character(s)` };
  if (refused) return { inconclusive: `${refused.said} without a word: the model's choice, not an empty answer of the endpoint's` };
  // The endpoint's content filter emptied it (content-filter.ts): an empty answer all the same, and the detail says so.
  const filtered = contentFilterOf(body);
  if (filtered) return { observed: 'empty', detail: `HTTP ${status}, no text and no tool call: the endpoint's content filter ended the answer (${filtered})` };
  const finish = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0].finish_reason : (body.stop_reason ?? body.status);
  const lost = outputLost(body);
  const onlyThinking = thought ? `, only thinking written into its text (<think>...</think>, ${thought.length} character(s))` : '';
  return { observed: 'empty', detail: `HTTP ${status}, no text and no tool call (${JSON.stringify(finish ?? null)})${onlyThinking}${lost ? `; ${lost}` : ''}` };
}

/** A plain request refused: inconclusive when for a field the harness added, else nothing was answered to judge. */
function readRefusal(seen: ApiExchange): ApiReading {
  const reading = readRejection(seen, []);
  return 'inconclusive' in reading ? reading : { error: `could not observe: the request was refused (${'detail' in reading ? reading.detail : 'no answer'})` };
}

const definition: CheckDefinition = {
  id: 'answer.non-empty',
  title: 'A 200 answer holds text or a tool call (an empty one leaves the app with nothing)',
  api: null,
  vocabulary: ['non-empty', 'empty'],
  dependsOnModel: true,
  reference: { value: 'non-empty', source: 'openai-reference: a completed answer carries the model output' },
  run: (input) =>
    acrossApis(definition, input, ['empty', 'non-empty'], (seen) =>
      seen.answer.kind === 'ok' ? readAnswer(seen.answer.body, seen.request, seen.answer.status) : readRefusal(seen),
    ),
};

export const nonEmptyAnswerChecks: readonly CheckDefinition[] = [definition];
