/**
 * @module checks/thinking-disabled
 * Whether a Messages request with `thinking: {type: "disabled"}` is answered without thinking: Anthropic's reference
 * turns extended thinking off with it, and so does Claude Sonnet 5 on Mantle, which thinks by default otherwise (AWS
 * user guide, document history 2026-08-24), while Claude Sonnet 5.5 refuses it (vercel/ai @ai-sdk/amazon-bedrock
 * 5.0.99, unverified). `off`: answered with content blocks, none of them thinking; `ignored`: answered with a thinking
 * (or redacted_thinking) block, so the request was not honoured, also when the output budget went on thinking alone
 * (the thinking is the evidence, not what the budget hid); `rejected`: a 4xx refusing it, one that names thinking
 * (its param, or the word in its message): the request is an ordinary one but for `thinking`, so a refusal that does
 * not name it (a beta flag, a missing anthropic-version, "malformed request") or names another field the request
 * carried (max_tokens) says nothing of the setting: inconclusive. So is an answer with no block (the budget spent,
 * the model ended at once) or a refusal by the model without thinking; what broke or could not be read is `error`.
 * `off` says only that no thinking block came back: for a model that does not think unasked, an endpoint that
 * dropped the field answers the same. Whether an adaptive model that ignores the setting thinks is its choice per
 * request, so it is judged per trial.
 */
import { isRecord } from '../transport/body.ts';
import { isStreamResponse } from '../transport/exchange.ts';
import { judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge, unobserved } from './judge.ts';
import { contentTypes, thinkingBlocks } from './thinking-blocks.ts';
import type { CheckDefinition } from './types.ts';

/** The field the refusal must name: one naming another the request carried, or none, says nothing of thinking. */
const ABOUT = ['thinking'] as const;

const definition: CheckDefinition = {
  id: 'messages.thinking-disabled',
  title: 'Whether a Messages request with thinking: {type: "disabled"} is answered without thinking blocks',
  api: 'messages',
  vocabulary: ['off', 'ignored', 'rejected'],
  dependsOnModel: true,
  sends: [{ field: 'thinking', example: 'thinking: { type: disabled }' }],
  reference: { value: 'off', source: 'anthropic-reference: thinking {type: "disabled"} turns extended thinking off' },
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence, caseId } = seen;
    const request = sentBody(seen.exchange);
    // Another thinking setting (a user's suite) asks something else: its answer says nothing of `disabled`.
    if (!isRecord(request.thinking) || request.thinking.type !== 'disabled') return unobserved(input, `could not observe: ${caseId} sent thinking ${JSON.stringify(request.thinking)}, not {"type": "disabled"}`, evidence);
    if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, ABOUT, 'thinking {"type": "disabled"}', evidence, true);
    if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
    // The case asks for a whole Message; a stream's blocks are messages.thinking-default's and stream.messages' to read.
    if (isStreamResponse(seen.exchange.response!)) return unobserved(input, `could not observe: ${caseId} was answered with a stream; the check reads a whole Message (send no stream: true)`, evidence);
    const body = answer.body;
    if (!body) return unreadableAnswer(input, answer, evidence);
    const types = contentTypes(body);
    const { thought, shown } = thinkingBlocks(types);
    // A thinking block is the answer to the question whatever else happened: the budget cut it, or it was all there was.
    if (thought) {
      const spent = budgetSpent(body, limitOf(request));
      return judge(definition, input, 'ignored', evidence, `HTTP ${answer.status} with ${thought} thinking block(s) though thinking was disabled (blocks: ${shown})${spent ? `; ${spent}` : ''}`);
    }
    if (!types.length) {
      const spent = budgetSpent(body, limitOf(request));
      const why = spent ?? `the Message holds no content block (stop_reason ${JSON.stringify(body.stop_reason ?? null)})`;
      return inconclusive(input, `${caseId}: ${why}, so whether thinking was off is not seen`, evidence);
    }
    // A refusal is the model declining the prompt: no thinking before it says nothing of the setting.
    if (body.stop_reason === 'refusal') return inconclusive(input, `${caseId}: the model refused (stop_reason "refusal") without thinking first: the model's choice, not the setting's`, evidence);
    return judge(definition, input, 'off', evidence, `HTTP ${answer.status} without a thinking block (blocks: ${shown})`);
  },
};

export const thinkingDisabledChecks: readonly CheckDefinition[] = [definition];
