/**
 * @module checks/params
 * Whether parameters a request sends are honoured, ignored (taken, no effect: the dangerous case) or rejected
 * (an error that should name them). "n > 1 and logprobs may be unsupported" (seeds/mantle-openai-api-ga).
 */
import { isRecord } from '../transport/body.ts';
import { notObservable, observe } from './answer.ts';
import { judge } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const VOCABULARY = ['honored', 'ignored', 'rejected'] as const;

type Effect = { honored: boolean; detail: string };

function paramCheck(id: string, param: string, api: 'chat-completions' | 'responses', title: string, effect: (body: Record<string, unknown>, request: Record<string, unknown>) => Effect): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api,
    vocabulary: VOCABULARY,
    reference: { value: 'honored', source: `openai-reference: ${param}` },
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      if (answer.kind === 'rejected') {
        const named = answer.param === param || answer.message.includes(param);
        return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}${named ? '' : ` (the error does not name ${param})`}`);
      }
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      let request: Record<string, unknown> = {};
      try {
        request = JSON.parse(seen.exchange.request.body ?? '{}') as Record<string, unknown>;
      } catch {
        // the harness always sends JSON
      }
      const { honored, detail } = effect(answer.body ?? {}, request);
      return judge(definition, input, honored ? 'honored' : 'ignored', evidence, detail);
    },
  };
  return definition;
}

const firstChoice = (body: Record<string, unknown>) => (Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {});
const content = (body: Record<string, unknown>) => {
  const message = firstChoice(body).message;
  return isRecord(message) && typeof message.content === 'string' ? message.content : '';
};
const usageOf = (body: Record<string, unknown>, field: string) => (isRecord(body.usage) && typeof body.usage[field] === 'number' ? body.usage[field] : undefined);

function outputLimit(field: 'max_tokens' | 'max_completion_tokens') {
  return (body: Record<string, unknown>, request: Record<string, unknown>): Effect => {
    const limit = Number(request[field]);
    const used = usageOf(body, 'completion_tokens');
    const finish = firstChoice(body).finish_reason;
    if (used !== undefined) return { honored: used <= limit, detail: `${field}: ${limit}, completion_tokens ${used}, finish_reason ${String(finish)}` };
    const words = content(body).split(/\s+/).filter(Boolean).length;
    return { honored: finish === 'length' || words <= limit, detail: `${field}: ${limit}, no usage; ${words} word(s), finish_reason ${String(finish)}` };
  };
}

export const paramChecks: readonly CheckDefinition[] = [
  paramCheck('params.max-tokens', 'max_tokens', 'chat-completions', 'Whether max_tokens limits the output of a chat completion', outputLimit('max_tokens')),
  paramCheck('params.max-completion-tokens', 'max_completion_tokens', 'chat-completions', 'Whether max_completion_tokens limits the output of a chat completion', outputLimit('max_completion_tokens')),
  paramCheck('params.max-output-tokens', 'max_output_tokens', 'responses', 'Whether max_output_tokens limits the output of a response', (body, request) => {
    const limit = Number(request.max_output_tokens);
    const used = usageOf(body, 'output_tokens');
    return used !== undefined
      ? { honored: used <= limit, detail: `max_output_tokens: ${limit}, output_tokens ${used}, status ${String(body.status)}` }
      : { honored: body.status === 'incomplete', detail: `max_output_tokens: ${limit}, no usage, status ${String(body.status)}` };
  }),
  paramCheck('params.stop', 'stop', 'chat-completions', 'Whether stop sequences end a chat completion before they appear', (body, request) => {
    const stops = (Array.isArray(request.stop) ? request.stop : [request.stop]).filter((s): s is string => typeof s === 'string');
    const text = content(body);
    const leaked = stops.filter((s) => text.includes(s));
    return { honored: leaked.length === 0, detail: leaked.length ? `the output contains ${leaked.map((s) => JSON.stringify(s)).join(', ')}` : `stop ${JSON.stringify(stops)}; output ${JSON.stringify(text.slice(0, 40))}` };
  }),
  paramCheck('params.n', 'n', 'chat-completions', 'Whether n: 2 returns two choices', (body, request) => {
    const count = Array.isArray(body.choices) ? body.choices.length : 0;
    return { honored: count === Number(request.n), detail: `n: ${String(request.n)}, ${count} choice(s)` };
  }),
  paramCheck('params.logprobs', 'logprobs', 'chat-completions', 'Whether logprobs: true (with top_logprobs) returns log probabilities', (body) => {
    const logprobs = firstChoice(body).logprobs;
    const tokens = isRecord(logprobs) && Array.isArray(logprobs.content) ? logprobs.content.length : 0;
    return { honored: tokens > 0, detail: tokens ? `${tokens} token(s) with logprobs` : `logprobs is ${JSON.stringify(logprobs ?? null)}` };
  }),
];
