/**
 * @module checks/structured-output
 * json_schema output (`response_format` on chat, `text.format` on Responses) with strict: true: the text parses
 * as JSON and validates against the schema the request sent (without strict, text that is not JSON or JSON that
 * misses the schema is the model's best effort: inconclusive).
 */
import { isRecord, parseJsonText } from '../transport/body.ts';
import { judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { chatContentText, finalAnswerText, splitThinking } from './answer-text.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge } from './judge.ts';
import { schemaProblems } from './json-schema.ts';
import { integerLexemeNote } from './schema-modes.ts';
import { contentFilterOf, namingFilter } from './content-filter.ts';
import { refusedInstead } from './refusal.ts';
import type { CheckDefinition } from './types.ts';

/** The request's json_schema format (chat `response_format.json_schema`, Responses `text.format`): its schema and whether it is strict. */
type FormatOf = (request: Record<string, unknown>) => Record<string, unknown> | undefined;

/**
 * Whether the request asked for JSON only as a best effort: a json_schema without `strict: true` (OpenAI's default).
 * JSON mode (`json_object`, no format read here) promises valid JSON, and strict a fitting one: held to them.
 */
function bestEffort(format: Record<string, unknown> | undefined): boolean {
  return format !== undefined && format.strict !== true && (format.type === undefined || format.type === 'json_schema');
}

/**
 * For text that is not JSON: whether it is thinking written into the answer (`<think>...</think>`) before JSON that
 * parses. A client parses the whole text and fails, so it stays `not-json`; the reason says where the JSON was and whose
 * part it is (the endpoint did not separate the reasoning, as a reasoning parser does).
 */
function thinkingFirst(text: unknown): string {
  if (typeof text !== 'string') return '';
  const { thinking: thought, answer } = splitThinking(text);
  if (!thought || !parseJsonText(answer).ok) return '';
  return ` (thinking written into it, <think>...</think> of ${thought.length} character(s), comes before JSON that parses: the endpoint did not separate the model's reasoning from its answer, and a client's JSON.parse of the text fails)`;
}

function structuredCheck(id: string, api: 'chat-completions' | 'responses', textOf: (body: Record<string, unknown>) => unknown, formatOf: FormatOf): CheckDefinition {
  const about = api === 'responses' ? ['text', 'input'] : ['response_format', 'messages'];
  const definition: CheckDefinition = {
    id,
    title: `Strict json_schema output on ${api === 'responses' ? 'Responses (text.format)' : 'Chat Completions (response_format)'} parses and validates`,
    api,
    vocabulary: ['valid', 'not-json', 'schema-mismatch', 'rejected'],
    dependsOnModel: true,
    params: about,
    reference: { value: 'valid', source: 'openai-reference: strict structured outputs always match the schema' },
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      const request = sentBody(seen.exchange);
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, about, 'its output format', evidence);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      const body = answer.body;
      if (!body) return unreadableAnswer(input, answer, evidence);
      const text = textOf(body);
      const parsed = typeof text === 'string' ? parseJsonText(text) : undefined;
      // JSON cut short by the output budget says nothing about structured output.
      const spent = () => budgetSpent(body, limitOf(request));
      if (!parsed?.ok) {
        const cut = spent();
        if (cut) return inconclusive(input, `${cut}, so the JSON was never finished`, evidence);
        // A refusal is the documented answer to a request the model will not fulfil, in place of the JSON.
        const refused = refusedInstead(input, body, 'in place of the JSON', evidence);
        if (refused) return refused;
        const filtered = contentFilterOf(body);
        // Without strict the endpoint promises no JSON (OpenAI's default, a best effort, as a schema miss below): text
        // that is not JSON (in ```json fences, a refusal in words) is the model's. A filter is the endpoint's doing.
        if (!filtered && typeof text === 'string' && bestEffort(formatOf(request))) {
          return inconclusive(input, `the output text is not JSON (${JSON.stringify(text.slice(0, 80))}); the json_schema is not strict, so JSON is the model's best effort, not the endpoint's promise (a suite that sends strict: true holds the endpoint to it)`, evidence);
        }
        return namingFilter(judge(definition, input, 'not-json', evidence, `the output text is not JSON: ${JSON.stringify(text)?.slice(0, 80)}${thinkingFirst(text)}`), filtered);
      }
      const format = formatOf(request);
      const schema = format?.schema ?? {};
      const problems = schemaProblems(schema, parsed.value);
      // Only strict: true promises output that fits (OpenAI's default is false, a best effort): a miss without it
      // is the model's, as for tools not declared strict.
      if (problems.length && format?.strict !== true && isRecord(parsed.value)) {
        return inconclusive(input, `${problems.join('; ')}; the json_schema is not strict, so fitting it is the model's best effort, not the endpoint's promise (a suite that sends strict: true holds the endpoint to it)`, evidence);
      }
      if (problems.length) return judge(definition, input, 'schema-mismatch', evidence, problems.join('; '));
      const note = integerLexemeNote(schema, text as string, schemaProblems);
      return judge(definition, input, 'valid', evidence, note ? `the output validates; but ${note}` : 'the output validates');
    },
  };
  return definition;
}

export const structuredOutputChecks: readonly CheckDefinition[] = [
  structuredCheck(
    'structured-output.chat',
    'chat-completions',
    (body) => {
      const content = Array.isArray(body.choices) && isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message.content : undefined;
      // Text parts are read as the text they hold (as every chat reader does); anything else is shown as it came.
      return chatContentText(content) ?? content;
    },
    // The format's type with its json_schema: JSON mode sent with a json_schema beside it is still JSON mode.
    (request) => (isRecord(request.response_format) ? { ...(isRecord(request.response_format.json_schema) ? request.response_format.json_schema : {}), type: request.response_format.type } : undefined),
  ),
  structuredCheck(
    'structured-output.responses',
    'responses',
    // The final answer, not the first message: a commentary message may come before the JSON.
    finalAnswerText,
    (request) => (isRecord(request.text) && isRecord(request.text.format) ? request.text.format : undefined),
  ),
];
