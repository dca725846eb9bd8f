/**
 * @module checks/prompt-cache
 * Prompt caching on the Anthropic surface: a `cache_control` breakpoint on a long generated prefix
 * (`{{generated.prose-<tokens>}}`, above the minimum Mantle is documented to cache: about 2048 tokens, seeds/portkey),
 * sent twice with different questions after it. `cached` when the second answer reports `cache_read_input_tokens`
 * above 0, `not-cached` when it reports none (the reason gives what the first call wrote, so a prefix below a
 * model's minimum shows as such), `rejected` when the endpoint refuses the breakpoint. An endpoint behaviour: read
 * on the first trial only.
 */
import { isRecord } from '../transport/body.ts';
import { notObservable, observe, offTopicRejection, sentBody } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** `input 12, cache write 5012, cache read 0` from a Messages usage. */
function describeUsage(body: Record<string, unknown> | undefined): string {
  const usage = isRecord(body?.usage) ? body.usage : {};
  const part = (label: string, key: string) => `${label} ${num(usage[key]) ?? 'absent'}`;
  return [part('input', 'input_tokens'), part('cache write', 'cache_creation_input_tokens'), part('cache read', 'cache_read_input_tokens')].join(', ');
}

export const promptCacheMessages: CheckDefinition = {
  id: 'prompt-cache.messages',
  title: 'A cache_control breakpoint on a long prefix, sent twice: the second Messages answer reads the prefix from the cache',
  api: 'messages',
  vocabulary: ['cached', 'not-cached', 'rejected'],
  params: ['system', 'cache_control'],
  reference: { value: 'cached', source: 'anthropic-reference: prompt caching reports cache_read_input_tokens on a hit' },
  run(input) {
    const first = observe(input, 'first');
    if ('settled' in first) return first.settled;
    const evidence = first.outcome.exchanges.map((ex) => evidenceOf(first.caseId, ex));
    if (first.answer.kind === 'rejected') {
      const other = offTopicRejection(first.answer, sentBody(first.exchange), ['system', 'messages', 'cache_control']);
      if (other) return unobserved(input, `could not observe: the request was refused for ${other}: ${first.answer.status} ${first.answer.message}`, evidence);
      return judge(promptCacheMessages, input, 'rejected', evidence, `${first.answer.status}: ${first.answer.message}`);
    }
    if (first.answer.kind !== 'ok') return notObservable(input, first.answer, evidence);
    const again = observe(input, 'second');
    if ('settled' in again) return again.settled;
    if (again.answer.kind === 'rejected') return judge(promptCacheMessages, input, 'rejected', evidence, `the second call was refused: ${again.answer.status} ${again.answer.message}`);
    if (again.answer.kind !== 'ok') return notObservable(input, again.answer, evidence);
    const read = num(isRecord(again.answer.body?.usage) ? again.answer.body.usage.cache_read_input_tokens : undefined);
    const figures = `first: ${describeUsage(first.answer.body)}; second: ${describeUsage(again.answer.body)}`;
    if (read !== undefined && read > 0) return judge(promptCacheMessages, input, 'cached', evidence, figures);
    return judge(promptCacheMessages, input, 'not-cached', evidence, `${figures}${read === undefined ? '; the second usage has no cache_read_input_tokens' : ''}`);
  },
};

export const promptCacheChecks: readonly CheckDefinition[] = [promptCacheMessages];
