/**
 * @module checks/params
 * Whether parameters a request sends are honoured, ignored (taken, no effect: the dangerous case) or rejected
 * (an error that should name them). "n > 1 and logprobs may be unsupported" (seeds/mantle-openai-api-ga).
 * An effect is only claimed when it could have been seen: output limits and stop sequences are compared with a
 * control exchange (the same request with room to answer, or without the stop sequence), and an answer cut by its
 * output budget is `inconclusive`, not `honored` (a reasoning model may spend a small budget thinking and answer
 * nothing at all: "nothing after the stop sequence" proves nothing then).
 */
import { excerpt, isRecord } from '../transport/body.ts';
import { namesField, notObservable, observe, offTopicRejection, sentBody, unreadableAnswer, type Observation } from './answer.ts';
import { visibleText } from './answer-text.ts';
import { budgetSpent, saysBudgetStop, stoppedByBudget, stopReasonOf } from './budget.ts';
import { inconclusive, judge, unobserved, type CompletedOutcome } from './judge.ts';
import type { SentField } from '../suite/sent-fields.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

const VOCABULARY = ['honored', 'ignored', 'rejected'] as const;

/**
 * What a parameter did: an observation, why the answer cannot tell, or the verdict of a control the endpoint or the
 * run lost (`lost`: the control's `error`, or `skipped` when a stop left it unsent), given where only it could tell.
 */
type Effect = { honored: boolean; detail: string } | { inconclusive: string } | { lost: CheckResult };

/**
 * The control step's 2xx answer; `missing`, why what the case has cannot serve as one (no control step); `lost`, the
 * step broken on the way (a 5xx after the retries, a reset, a timeout), refused or rejected (any 4xx: the control is a
 * plain request the endpoint must serve for the check to judge), answered 2xx with a body that is no JSON object, or
 * not sent because the run stopped: nothing the model did, so no `inconclusive`.
 */
type Control = { body: Record<string, unknown>; request: Record<string, unknown> } | { missing: string } | { lost: CheckResult };

interface EffectInput {
  body: Record<string, unknown>;
  request: Record<string, unknown>;
  control?: Control;
}

/** `sends`: what the case's request must hold in the field under test (any value when `is` is not given: `stop`), and the line to add. */
function paramCheck(options: { id: string; param: string; also?: string[]; api: 'chat-completions' | 'responses'; title: string; step?: string; control?: boolean; dependsOnModel?: boolean; sends: Pick<SentField, 'is' | 'example'>; effect(input: EffectInput): Effect }): CheckDefinition {
  const about = [options.param, ...(options.also ?? [])];
  const definition: CheckDefinition = {
    id: options.id,
    title: options.title,
    api: options.api,
    vocabulary: VOCABULARY,
    params: about,
    // Not `control`: without one the check still judges a limit exceeded (the comparison only tells a limit honoured).
    // A control the endpoint broke on is `error` only where the verdict needs it (controlOf, `lost`).
    readsSteps: options.step ? [options.step] : [],
    // A request without the field can only show the default: "ignored" would blame the endpoint for it (sent-request.ts).
    sends: [{ field: options.param, ...(options.step ? { step: options.step } : {}), ...options.sends }],
    ...(options.dependsOnModel === false ? {} : { dependsOnModel: true as const }),
    reference: { value: 'honored', source: `openai-reference: ${options.param}` },
    run(input) {
      const seen = observe(input, options.step);
      if ('settled' in seen) return seen.settled;
      const { answer } = seen;
      const evidence = [...seen.evidence];
      if (answer.kind === 'rejected') {
        const other = offTopicRejection(answer, sentBody(seen.exchange), about);
        if (other) return inconclusive(input, `the request was refused for ${other}, not ${options.param}: ${answer.status} ${answer.message}`, evidence);
        const named = about.some((field) => namesField(answer.param, answer.message, field));
        return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}${named ? '' : ` (the error does not name ${options.param})`}`);
      }
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      // An empty stand-in for a body that is not a JSON object would read as no output, no choices, no logprobs.
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const effect = options.effect({ body: answer.body, request: sentBody(seen.exchange), ...(options.control ? { control: controlOf(input, seen.outcome, evidence) } : {}) });
      if ('lost' in effect) return effect.lost;
      if ('inconclusive' in effect) return inconclusive(input, effect.inconclusive, evidence);
      return judge(definition, input, effect.honored ? 'honored' : 'ignored', evidence, effect.detail);
    },
  };
  return definition;
}

/**
 * The control step's 2xx answer (its evidence added), why there is none to compare with, or the verdict of one the
 * endpoint or the run lost: a step that broke, that the endpoint refused or rejected, or whose 2xx body cannot be read
 * (`error`, as for any step a check reads: run/observed-steps.ts; the same fault on the limited step is an error too,
 * so it gates wherever it hits), or that was not sent (`skipped`; after a stop, "not reached"). Only a case with no
 * control step at all is `missing`.
 */
function controlOf(input: CheckInput, outcome: CompletedOutcome, evidence: Observation['evidence']): Control {
  const seen = observe(input, 'control');
  if ('settled' in seen) return seen.settled.status === 'error' || outcome.incomplete ? { lost: seen.settled } : { missing: `no control answer to compare with (${seen.settled.reason})` };
  evidence.push(...seen.evidence);
  if (seen.answer.kind === 'broken') return { lost: notObservable(input, seen.answer, evidence) };
  // The endpoint's own words, quoted short as a JSON string (reports make the line inert).
  if (seen.answer.kind !== 'ok') return { lost: unobserved(input, `could not observe: the control request was answered ${seen.answer.status} (${JSON.stringify(excerpt(seen.answer.message, 120))})`, evidence) };
  if (!seen.answer.body) return { lost: unobserved(input, `could not observe: the control answer's HTTP ${seen.answer.status} body is not a JSON object`, evidence) };
  return { body: seen.answer.body, request: sentBody(seen.exchange) };
}

/** A lost control's verdict, its reason saying what the control was needed for (the step's own error first). */
const withContext = (lost: CheckResult, why: string): CheckResult => ({ ...lost, reason: `${lost.reason}; ${why}` });

const firstChoice = (body: Record<string, unknown>) => (Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {});
const outputTokens = (body: Record<string, unknown>) => {
  const usage = isRecord(body.usage) ? body.usage : {};
  const value = usage.completion_tokens ?? usage.output_tokens;
  return typeof value === 'number' ? value : undefined;
};
const words = (body: Record<string, unknown>) => visibleText(body).split(/\s+/).filter(Boolean).length;

/**
 * An output limit is honoured when the answer stays within it, ignored when it does not; "within the limit" only
 * means something when the control (the same prompt with room to answer) went past it.
 */
function outputLimit(field: 'max_tokens' | 'max_completion_tokens' | 'max_output_tokens') {
  return ({ body, request, control }: EffectInput): Effect => {
    const limit = Number(request[field]);
    const used = outputTokens(body);
    const size = used !== undefined ? `${used} output token(s)` : `no usage, ${words(body)} word(s)`;
    const within = used !== undefined ? used <= limit : words(body) <= limit;
    if (!within) return { honored: false, detail: `${field}: ${limit}, ${size}` };
    // Every word of the visible answer is a token at least (a tokenizer splits words, never joins two): more words
    // than the limit is an answer past it, whatever the usage says of itself.
    const shown = words(body);
    if (used !== undefined && shown > limit) return { honored: false, detail: `${field}: ${limit}, ${size} said, but the answer shows ${shown} word(s), each a token at least` };
    if (control && 'lost' in control) return { lost: withContext(control.lost, `the control tells whether ${field}: ${limit} had an effect (${size})`) };
    if (!control || 'missing' in control) return { inconclusive: `${field}: ${limit}, ${size}, but ${control && 'missing' in control ? control.missing : 'the case has no control step'}, so there is no telling whether the limit had an effect` };
    const free = outputTokens(control.body) ?? words(control.body);
    if (free <= limit) return { inconclusive: `${field}: ${limit}, ${size}; but the control with room to answer wrote only ${free} token(s), so the limit could not show` };
    // Within the limit is not cut by it: an answer that ended on its own under the limit (the model said less this
    // time) never met it. It is met when the answer says it was cut, or used the whole limit.
    // Said cut counts whatever the usage: this check asks whether the limit ended the answer, not whether a budget hid it.
    if (!saysBudgetStop(body) && !stoppedByBudget(body, limit) && used !== limit) {
      return { inconclusive: `${field}: ${limit}, ${size}, ended on its own (${stopReasonOf(body)}); the limit was never reached, though the control wrote ${free}` };
    }
    return { honored: true, detail: `${field}: ${limit}, ${size}; the control wrote ${free}` };
  };
}

/**
 * Whether `free` (the control's text) goes on with `stop` right after `text` (the stopped answer, a prefix of it as
 * far as whitespace goes): a stop sequence of words is compared with whitespace folded, one of whitespace as it is.
 */
function nextIs(free: string, text: string, stop: string): boolean {
  if (!stop.trim()) return free.startsWith(text) && free.slice(text.length).startsWith(stop);
  const fold = (t: string) => t.replace(/\s+/g, ' ').trim();
  return fold(free).slice(fold(text).length).trimStart().startsWith(fold(stop));
}

export const paramChecks: readonly CheckDefinition[] = [
  paramCheck({ id: 'params.max-tokens', param: 'max_tokens', api: 'chat-completions', title: 'Whether max_tokens limits the output of a chat completion', step: 'limited', control: true, sends: { is: 'number', example: 'max_tokens: 1' }, effect: outputLimit('max_tokens') }),
  paramCheck({ id: 'params.max-completion-tokens', param: 'max_completion_tokens', api: 'chat-completions', title: 'Whether max_completion_tokens limits the output of a chat completion', step: 'limited', control: true, sends: { is: 'number', example: 'max_completion_tokens: 1' }, effect: outputLimit('max_completion_tokens') }),
  paramCheck({ id: 'params.max-output-tokens', param: 'max_output_tokens', api: 'responses', title: 'Whether max_output_tokens limits the output of a response', step: 'limited', control: true, sends: { is: 'number', example: 'max_output_tokens: 16' }, effect: outputLimit('max_output_tokens') }),
  paramCheck({
    id: 'params.stop',
    param: 'stop',
    api: 'chat-completions',
    title: 'Whether stop sequences end a chat completion before they appear',
    step: 'stopped',
    control: true,
    sends: { example: 'stop: ["7"]' },
    effect({ body, request, control }) {
      const stops = (Array.isArray(request.stop) ? request.stop : [request.stop]).filter((s): s is string => typeof s === 'string');
      const text = visibleText(body);
      const leaked = stops.filter((s) => text.includes(s));
      if (leaked.length) return { honored: false, detail: `the output contains ${leaked.map((s) => JSON.stringify(s)).join(', ')}` };
      const spent = budgetSpent(body, Number(request.max_tokens ?? request.max_completion_tokens) || undefined);
      if (spent) return { inconclusive: `${spent}, so the answer may have ended before it reached ${JSON.stringify(stops)}` };
      if (control && 'lost' in control) return { lost: withContext(control.lost, `the control tells whether stop ${JSON.stringify(stops)} cut the output, which holds none`) };
      if (!control || 'missing' in control) return { inconclusive: `the output holds no stop sequence, but ${control && 'missing' in control ? control.missing : 'the case has no control step'}` };
      const free = visibleText(control.body);
      if (!stops.some((s) => free.includes(s))) {
        const why = budgetSpent(control.body) ?? `it reads ${JSON.stringify(free.slice(0, 60))}`;
        return { inconclusive: `the control answer without stop never reached ${JSON.stringify(stops)} (${why}), so its absence here says nothing` };
      }
      // Cut by the stop sequence, the answer reads as the control's up to it, and the control goes on with it. Another
      // answer that merely lacks it (the model wrote "seven" this time), or one that ended sooner on its own (nothing
      // at all, "1 2 3"), shows nothing about stop.
      const oneLine = (t: string) => t.replace(/\s+/g, ' ').trim();
      if (!oneLine(free).startsWith(oneLine(text))) {
        return { inconclusive: `the output ${JSON.stringify(text.slice(0, 40))} holds no stop sequence, but it is not the control's answer cut short (${JSON.stringify(free.slice(0, 40))}): the model answered differently, so whether stop cut it cannot be seen` };
      }
      if (!stops.some((stop) => nextIs(free, text, stop))) {
        return { inconclusive: `the output ${JSON.stringify(text.slice(0, 40))} ends where the control (${JSON.stringify(free.slice(0, 60))}) does not go on with ${JSON.stringify(stops)}: it ended on its own before the stop sequence, so whether stop would cut it cannot be seen` };
      }
      return { honored: true, detail: `stop ${JSON.stringify(stops)}; output ${JSON.stringify(text.slice(0, 40))}; the control without stop reached it` };
    },
  }),
  paramCheck({
    id: 'params.n',
    param: 'n',
    api: 'chat-completions',
    title: 'Whether n: 2 returns two choices',
    // How many choices come back is the endpoint's doing, whatever the model writes in them.
    dependsOnModel: false,
    sends: { is: 'several', example: 'n: 2' },
    effect({ body, request }) {
      const count = Array.isArray(body.choices) ? body.choices.length : 0;
      return { honored: count === Number(request.n), detail: `n: ${String(request.n)}, ${count} choice(s)` };
    },
  }),
  paramCheck({
    id: 'params.logprobs',
    param: 'logprobs',
    also: ['top_logprobs'],
    api: 'chat-completions',
    title: 'Whether logprobs: true (with top_logprobs) returns log probabilities',
    sends: { is: 'true', example: 'logprobs: true' },
    effect({ body, request }) {
      const logprobs = firstChoice(body).logprobs;
      const tokens = isRecord(logprobs) && Array.isArray(logprobs.content) ? logprobs.content.length : 0;
      if (tokens > 0) return { honored: true, detail: `${tokens} token(s) with logprobs` };
      if (!visibleText(body)) {
        const spent = budgetSpent(body, Number(request.max_tokens) || undefined);
        return { inconclusive: `no visible token to carry log probabilities (${spent ?? 'the answer is empty'})` };
      }
      return { honored: false, detail: `logprobs is ${JSON.stringify(logprobs ?? null)}` };
    },
  }),
];
