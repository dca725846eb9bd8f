/**
 * @module checks/messages-clients
 * What Anthropic clients trip on at /anthropic/v1 beyond the message shape: the `model` a Message echoes (Claude on
 * Mantle echoes "claude-opus-4-7" for "anthropic.claude-opus-4-7", so clients that compare ids break; a dated or
 * otherwise re-spelled echo counts as the form it re-spells), and an
 * `anthropic-beta` value the endpoint does not know (Mantle keeps an allowlist: unknown betas are a 400 "invalid
 * beta flag", litellm #41203), which breaks clients that add betas of their own.
 */
import { modelNames, namesAnotherModel } from './answered-by.ts';
import { notObservable, observe, offTopicRejection, sentBody, unreadableAnswer } from './answer.ts';
import { inconclusive, judge } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const modelEcho: CheckDefinition = {
  id: 'messages.model-echo',
  title: 'The model a Message echoes: the id as sent, the id without its provider prefix (anthropic.), or another',
  api: 'messages',
  vocabulary: ['same', 'stripped-prefix', 'other'],
  reference: { value: 'same', source: 'anthropic-reference: the Message names the model that answered, as requested' },
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer } = seen;
    if (answer.kind !== 'ok') return notObservable(input, answer, seen.evidence);
    // No model field can be read from a body that is not a JSON object: `other` would claim a wrong echo.
    if (!answer.body) return unreadableAnswer(input, answer, seen.evidence);
    const sent = sentBody(seen.exchange).model;
    const echoed = answer.body.model;
    const detail = `sent ${JSON.stringify(sent)}, echoed ${JSON.stringify(echoed ?? null)}`;
    if (typeof echoed !== 'string' || typeof sent !== 'string') return judge(modelEcho, input, 'other', seen.evidence, detail);
    const { observed, note } = echoForm(sent, echoed);
    return judge(modelEcho, input, observed, seen.evidence, note ? `${detail} (${note})` : detail);
  },
};

/**
 * How `echoed` spells the id `sent`. Names are compared as answered-by.ts compares them (modelNames: without a
 * release suffix, a region prefix, case and separators), so a dated echo of an alias (Anthropic's own API echoes
 * `claude-sonnet-4-5-20250929` for `claude-sonnet-4-5`) is the form it re-spells: `same` with the provider prefix
 * kept, `stripped-prefix` without it. `other` is another model, or the same one with a provider prefix the id lacks.
 */
function echoForm(sent: string, echoed: string): { observed: 'same' | 'stripped-prefix' | 'other'; note?: string } {
  if (echoed === sent) return { observed: 'same' };
  if (echoed.trim() === '') return { observed: 'other' };
  const [own, stripped] = modelNames(sent);
  const [echoedOwn] = modelNames(echoed);
  const respelled = 'the same name in another spelling: a release suffix, a region prefix, case or separators';
  if (echoedOwn === own) return { observed: 'same', note: respelled };
  if (stripped !== undefined && echoedOwn === stripped) return { observed: 'stripped-prefix', ...(sent.endsWith(`.${echoed}`) ? {} : { note: respelled }) };
  return { observed: 'other', ...(namesAnotherModel(sent, echoed) ? {} : { note: 'the same model, but with a prefix the id sent does not have' }) };
}

const beta: CheckDefinition = {
  id: 'messages.beta',
  title: 'Whether a Messages request with an anthropic-beta value the endpoint does not know is refused or answered',
  api: 'messages',
  vocabulary: ['rejected', 'ignored'],
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    const sent = seen.exchange.request.headers['anthropic-beta'];
    if (answer.kind === 'ok') return judge(beta, input, 'ignored', evidence, `anthropic-beta: ${sent ?? '(none)'} was answered HTTP ${answer.status}`);
    if (answer.kind === 'rejected') {
      // The beta is a header, no body field: a refusal naming a field the body carried (a max_tokens below the model's
      // minimum) is about that field, and says nothing of the beta.
      const other = offTopicRejection(answer, sentBody(seen.exchange), []);
      if (other) return inconclusive(input, `the request was refused for ${other}, not for the anthropic-beta value: ${answer.status} ${answer.message}`, evidence);
      return judge(beta, input, 'rejected', evidence, `anthropic-beta: ${sent ?? '(none)'}: HTTP ${answer.status} ${answer.message}`);
    }
    return notObservable(input, answer, evidence);
  },
};

export const messagesClientChecks: readonly CheckDefinition[] = [modelEcho, beta];
