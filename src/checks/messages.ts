/**
 * @module checks/messages
 * The Anthropic surface on /anthropic/v1: a basic message and count_tokens have the documented shape, the
 * `anthropic-version` header is required (measured by a request without it), adaptive thinking is accepted while `budget_tokens` thinking is not
 * (seeds/portkey), and errors come in Anthropic's envelope.
 */
import { isRecord, jsonObject } from '../transport/body.ts';
import { acceptanceCheck, notObservable, observe, observeOk, sentBody } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const API = 'messages' as const;

/** Stop reasons by which the model ends its turn itself (Anthropic's documented values; `max_tokens` is the budget's). */
const MODEL_ENDS: ReadonlySet<string> = new Set(['end_turn', 'refusal', 'stop_sequence']);

/** What a shape check found: the problems, and what the model's output budget hid (never a problem of the endpoint's). */
interface ShapeFindings {
  problems: string[];
  hidden?: string;
}

/**
 * A Message's shape. Its text block is the model's doing as much as the endpoint's: a model that thinks through the
 * whole `max_tokens` ends with `stop_reason: "max_tokens"` and `content: []` or one thinking block, a valid Message
 * whose text the budget hid (the rule answer.non-empty uses, budgetSpent); one that ends its turn at once
 * (`end_turn` with no text, which Claude does) or refuses (`refusal`) sent a valid Message without text. Whether a
 * text block can be carried is then not seen (inconclusive); an answer empty for no reason is answer.non-empty's to
 * judge, per trial.
 */
function messageFindings(body: Record<string, unknown> | undefined, request: Record<string, unknown>): ShapeFindings {
  if (!body) return { problems: ['the body is not a JSON object'] };
  const problems: string[] = [];
  let hidden: string | undefined;
  if (body.type !== 'message') problems.push(`type is ${JSON.stringify(body.type)}, not "message"`);
  if (body.role !== 'assistant') problems.push(`role is ${JSON.stringify(body.role)}`);
  if (typeof body.id !== 'string') problems.push('no string id');
  if (!Array.isArray(body.content)) problems.push('no content blocks');
  else if (!body.content.some((b) => isRecord(b) && b.type === 'text' && typeof b.text === 'string')) {
    const none = body.content.length === 0 ? 'content is an empty array' : `no text block (blocks: ${body.content.map((b) => (isRecord(b) ? JSON.stringify(b.type) : typeof b)).join(', ')})`;
    hidden = budgetSpent(body, limitOf(request));
    // Only a turn the model ended (a documented reason) with nothing but its thinking in it; a block of another type,
    // or a text block whose text is no string, is the endpoint's Message.
    const thoughtOnly = body.content.every((b) => isRecord(b) && (b.type === 'thinking' || b.type === 'redacted_thinking'));
    // `stop_sequence` only for a request that set stop sequences: otherwise no model could have stopped on one.
    const ended = typeof body.stop_reason === 'string' && MODEL_ENDS.has(body.stop_reason) && (body.stop_reason !== 'stop_sequence' || (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0));
    if (!hidden && thoughtOnly && ended) hidden = `the model ended its turn without text (${none}, stop_reason ${JSON.stringify(body.stop_reason)})`;
    if (!hidden) problems.push(none);
  }
  if (typeof body.stop_reason !== 'string') problems.push('no stop_reason');
  const usage = isRecord(body.usage) ? body.usage : undefined;
  if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') problems.push('usage lacks input_tokens/output_tokens');
  return { problems, ...(hidden ? { hidden } : {}) };
}

function shapeCheck(id: string, title: string, api: 'messages' | 'count-tokens', findingsOf: (body: Record<string, unknown> | undefined, request: Record<string, unknown>) => ShapeFindings): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api,
    vocabulary: ['conformant', 'nonconformant'],
    reference: { value: 'conformant', source: 'anthropic-reference: Messages API response shapes' },
    run(input) {
      const seen = observeOk(input);
      if ('settled' in seen) return seen.settled;
      const { problems, hidden } = findingsOf(seen.body, sentBody(seen.exchange));
      const unseen = hidden ? `${hidden}, so whether the Message carries a text block cannot be seen` : undefined;
      if (problems.length) return judge(definition, input, 'nonconformant', seen.evidence, [...problems, ...(unseen ? [unseen] : [])].join('; '));
      if (unseen) return inconclusive(input, `${unseen}; the rest of the shape is as documented`, seen.evidence);
      return judge(definition, input, 'conformant', seen.evidence, 'shape as documented');
    },
  };
  return definition;
}

/**
 * Measured, not assumed: the case sends the probe's request without the header (sources disagree on whether Mantle
 * needs it; no capture shows it refusing one). A refusal that does not name the header is still `required` (the
 * header is the only difference from the probe), and the reason says the error did not name it.
 */
const versionCheck: CheckDefinition = {
  id: 'messages.anthropic-version',
  title: 'Whether a Messages request without the anthropic-version header is refused',
  api: API,
  vocabulary: ['required', 'optional'],
  reference: { value: 'required', source: 'anthropic-reference: anthropic-version is a required header' },
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    const sent = seen.exchange.request.headers['anthropic-version'];
    if (sent !== undefined) return unobserved(input, `could not observe: the request carried anthropic-version: ${sent}`, evidence);
    if (answer.kind === 'ok') return judge(versionCheck, input, 'optional', evidence, 'a request without the header was answered');
    if (answer.kind === 'rejected') {
      const named = /anthropic-version/i.test(answer.message) ? '' : ' (the error does not name anthropic-version)';
      return judge(versionCheck, input, 'required', evidence, `${answer.status}: ${answer.message}${named}`);
    }
    return notObservable(input, answer, evidence);
  },
};

/**
 * The envelope of the error a request Anthropic refuses (no `max_tokens`) gets. An endpoint that answers it instead
 * (defaulting the bound) has shown its own behaviour: `accepted`, a value that is not the reference, as
 * errors.bad-parameter calls a 2xx to a bad request nonconformant; never an `error`, which is for what broke.
 */
const errorShapeCheck: CheckDefinition = {
  id: 'messages.error-shape',
  title: 'A bad Messages request gets Anthropic\'s error envelope {"type":"error","error":{"type","message"}}',
  api: API,
  vocabulary: ['anthropic', 'openai', 'other', 'accepted'],
  reference: { value: 'anthropic', source: 'anthropic-reference: errors are {"type":"error","error":{"type","message"}}' },
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') {
      const missing = 'max_tokens' in sentBody(seen.exchange) ? '' : ' without max_tokens (which Anthropic requires)';
      return judge(errorShapeCheck, input, 'accepted', evidence, `the request${missing} was answered HTTP ${answer.status}, not refused: no error envelope to read`);
    }
    if (answer.kind !== 'rejected') return notObservable(input, answer, evidence);
    const body = jsonObject(seen.exchange.response);
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    const observed = isRecord(body) && body.type === 'error' && typeof error?.type === 'string' && typeof error.message === 'string' ? 'anthropic' : error && typeof error.message === 'string' && 'param' in error ? 'openai' : 'other';
    return judge(errorShapeCheck, input, observed, evidence, `${answer.status}: ${answer.message}`);
  },
};

export const messagesChecks: readonly CheckDefinition[] = [
  shapeCheck('messages.basic', 'A basic Message has the documented shape (type, role, content blocks, stop_reason, usage)', API, messageFindings),
  shapeCheck('messages.count-tokens', 'count_tokens answers {"input_tokens": <integer>}', 'count-tokens', (body) => ({
    problems: body && Number.isInteger(body.input_tokens) ? [] : [`input_tokens is ${JSON.stringify(body?.input_tokens)}`],
  })),
  versionCheck,
  acceptanceCheck({
    id: 'messages.thinking-adaptive',
    title: 'Whether thinking: {type: "adaptive"} with output_config.effort is accepted',
    api: API,
    reference: { value: 'accepted', source: 'anthropic-reference: adaptive thinking' },
  }),
  acceptanceCheck({
    id: 'messages.thinking-budget',
    title: 'Whether thinking: {type: "enabled", budget_tokens} is accepted (Mantle documents adaptive thinking instead)',
    api: API,
    // max_tokens must exceed budget_tokens: a refusal naming it is about the thinking budget under test.
    about: ['max_tokens'],
    reference: { value: 'accepted', source: 'anthropic-reference: extended thinking with budget_tokens' },
  }),
  errorShapeCheck,
];
