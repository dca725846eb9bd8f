/**
 * @module checks/reasoning
 * Reasoning controls: which `reasoning.effort` values a model takes, the effort it defaults to (echoed by the
 * Responses object), whether encrypted reasoning comes back and is accepted on the next turn (seeds/grok-guide),
 * and where Chat Completions puts reasoning text (its own case, with room to think: the probe's 16 tokens are
 * too few to show a reasoning model's reasoning reliably).
 */
import { isRecord } from '../transport/body.ts';
import { acceptanceCheck, answerOf, failedResponse, judgeRejection, notObservable, observe, offTopicRejection, sentBody, stepOf, successfulExchange, unreadableAnswer } from './answer.ts';
import { budgetSpent, limitOf, reasoningUnshown } from './budget.ts';
import { evidenceOf, inconclusive, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

export const EFFORTS = ['none', 'low', 'medium', 'high'] as const;

const effortChecks = EFFORTS.map((effort) =>
  // Mantle refuses an effort inside a 200 (status "failed", invalid_prompt): a refusal, not a 2xx that took it.
  acceptanceCheck({ id: `reasoning.effort.${effort}`, title: `Whether Responses takes reasoning: {effort: "${effort}"}`, api: 'responses', about: ['reasoning'], failedInside: failedResponse }),
);

const defaultEffort: CheckDefinition = {
  id: 'reasoning.default-effort',
  title: 'The reasoning.effort the Responses object echoes when the request sets none',
  api: 'responses',
  vocabulary: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'missing'],
  run(input) {
    const found = successfulExchange(input);
    if ('settled' in found) return found.settled;
    const answer = answerOf(found.exchange);
    const evidence = [evidenceOf(found.caseId, found.exchange)];
    // The echo is the default only when the request set no effort: else it is the harness's own (a suite that adds one).
    const sent = sentBody(found.exchange);
    const asked = isRecord(sent.reasoning) && 'effort' in sent.reasoning ? JSON.stringify(sent.reasoning.effort) : 'reasoning_effort' in sent ? JSON.stringify(sent.reasoning_effort) : undefined;
    if (asked !== undefined) return unobserved(input, `case ${found.caseId} sets reasoning.effort ${asked}; reasoning.default-effort needs a request that omits it (fix the suite)`, evidence);
    if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
    // A body cut short or malformed holds no echo to read: `missing` would claim the endpoint left it out.
    if (!answer.body) return unreadableAnswer(input, answer, evidence);
    const body = answer.body;
    const reasoning = isRecord(body.reasoning) ? body.reasoning : undefined;
    const effort = typeof reasoning?.effort === 'string' ? reasoning.effort : 'missing';
    return judge(defaultEffort, input, effort, [evidenceOf(found.caseId, found.exchange, `reasoning: ${JSON.stringify(body.reasoning ?? null)}`)], `reasoning.effort ${JSON.stringify(reasoning?.effort ?? null)}`);
  },
};

const encryptedContent: CheckDefinition = {
  id: 'reasoning.encrypted-content',
  title: 'include: ["reasoning.encrypted_content"] returns encrypted reasoning that the next turn accepts',
  api: 'responses',
  vocabulary: ['round-trips', 'not-returned', 'rejected-on-return', 'rejected'],
  readsSteps: ['first', 'second'],
  dependsOnModel: true,
  run(input) {
    const first = stepOf(input, 'first');
    if ('settled' in first) return first.settled;
    const evidence = first.outcome.exchanges.map((ex) => evidenceOf(first.caseId, ex));
    const answer = answerOf(first.exchange);
    // Refused for a field it is not about (a bound, an effort) says nothing of encrypted reasoning.
    if (answer.kind === 'rejected') return judgeRejection(encryptedContent, input, answer, sentBody(first.exchange), ['include'], 'include: reasoning.encrypted_content', evidence);
    if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
    // A body that is not a JSON object shows neither reasoning nor its absence.
    if (!answer.body) return unreadableAnswer(input, answer, evidence);
    const body = answer.body;
    const output = Array.isArray(body.output) ? body.output : [];
    const reasoning = output.find((item) => isRecord(item) && item.type === 'reasoning' && typeof item.encrypted_content === 'string' && item.encrypted_content.length > 0);
    if (!reasoning) {
      // "Not returned" only says something when the answer shows the model reasoned: else there was nothing to encrypt.
      const unshown = reasoningUnshown(body, 'nothing to encrypt');
      if (unshown) return inconclusive(input, unshown, evidence);
      const spent = budgetSpent(body, limitOf(sentBody(first.exchange)));
      if (spent) return inconclusive(input, `no reasoning item with encrypted_content: ${spent}`, evidence);
      return judge(encryptedContent, input, 'not-returned', evidence, 'no reasoning item with encrypted_content in the output');
    }
    const second = stepOf(input, 'second');
    if ('settled' in second) return second.settled;
    const next = answerOf(second.exchange);
    if (next.kind === 'ok') return judge(encryptedContent, input, 'round-trips', evidence, 'returned, and the next turn took it back');
    if (next.kind === 'rejected') {
      // A first answer its budget cut to a reasoning item with nothing after it: OpenAI refuses that item sent back
      // alone ("provided without its required following item"), so the budget, not the endpoint, made that turn.
      // An item that had its message after it was refused for itself.
      const cut = budgetSpent(body, limitOf(sentBody(first.exchange)));
      const last = output.filter(isRecord).at(-1);
      if (cut && last?.type === 'reasoning') return inconclusive(input, `the next turn was refused (${next.status} ${next.message}), but the first answer was cut to its reasoning, with nothing after it to send back: ${cut}`, evidence);
      const other = offTopicRejection(next, sentBody(second.exchange), ['input']);
      if (other) return inconclusive(input, `the next turn was refused for ${other}, not for the reasoning it carried: ${next.status} ${next.message}`, evidence);
      return judge(encryptedContent, input, 'rejected-on-return', evidence, `the next turn was refused: ${next.status} ${next.message}`);
    }
    return notObservable(input, next, evidence);
  },
};

const chatField: CheckDefinition = {
  id: 'reasoning.chat-field',
  title: 'Where a chat completion carries reasoning text: message.reasoning, message.reasoning_content, or nowhere',
  api: 'chat-completions',
  vocabulary: ['message.reasoning', 'reasoning_content', 'none'],
  dependsOnModel: true,
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
    if (!answer.body) return unreadableAnswer(input, answer, evidence);
    const body = answer.body;
    const choices = Array.isArray(body.choices) ? body.choices : [];
    const message = isRecord(choices[0]) && isRecord(choices[0].message) ? choices[0].message : {};
    const observed = typeof message.reasoning === 'string' && message.reasoning ? 'message.reasoning' : typeof message.reasoning_content === 'string' && message.reasoning_content ? 'reasoning_content' : 'none';
    // "Nowhere" only says something when the usage shows the model reasoned: 0 reasoning tokens, or no usage, does not.
    const unshown = observed === 'none' ? reasoningUnshown(body, 'no reasoning to carry') : undefined;
    if (unshown) return inconclusive(input, unshown, evidence);
    return judge(chatField, input, observed, evidence, `message keys: ${Object.keys(message).join(', ')}`);
  },
};

export const reasoningChecks: readonly CheckDefinition[] = [...effortChecks, defaultEffort, encryptedContent, chatField];
