/**
 * @module checks/prompt-cache
 * Prompt caching on the Anthropic surface: a `cache_control` breakpoint on a long generated prefix
 * (`{{generated.prose-<tokens>}}`, above the minimum Mantle is documented to cache: about 2048 tokens, seeds/portkey),
 * sent twice with different questions after it. `cached` when the second answer reports `cache_read_input_tokens`
 * above 0, `not-cached` when neither answer wrote to or read from the cache (the reason gives both usages, so a prefix
 * below a model's minimum shows as such), `rejected` when the endpoint refuses the breakpoint. Caching is
 * best-effort (a cache entry lives on some host, for some minutes): when the endpoint showed it caches (the first
 * answer wrote the prefix, or read it) and the second still read none, one missed read is no proof that the endpoint
 * does not read its cache, so the pair is `inconclusive`; but in a later trial of `--repeat N`, a pair that wrote the
 * prefix twice more, after the earlier trials wrote it, is an endpoint that writes and never reads: `not-cached`. Judged on every trial (`dependsOnModel`, although what
 * varies is the endpoint's cache, not the model): `--repeat N` sends the pair N times, a read in any trial is
 * `cached`, and trials that read and trials that neither wrote nor read are `flaky`.
 */
import { isRecord } from '../transport/body.ts';
import { notObservable, observe, offTopicRejection, sentBody } from './answer.ts';
import { evidenceOf, inconclusive, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** A cache figure of a Messages usage, when it is a number. */
function cacheTokens(body: Record<string, unknown> | undefined, key: 'cache_creation_input_tokens' | 'cache_read_input_tokens'): number | undefined {
  return num(isRecord(body?.usage) ? body.usage[key] : undefined);
}

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
  dependsOnModel: true,
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
    const read = cacheTokens(again.answer.body, 'cache_read_input_tokens');
    const figures = `first: ${describeUsage(first.answer.body)}; second: ${describeUsage(again.answer.body)}`;
    if (read !== undefined && read > 0) return judge(promptCacheMessages, input, 'cached', evidence, figures);
    const wrote = cacheTokens(first.answer.body, 'cache_creation_input_tokens') ?? 0;
    const readFirst = cacheTokens(first.answer.body, 'cache_read_input_tokens') ?? 0;
    // A later trial whose both requests wrote the prefix again: the endpoint had it cached (the earlier trials wrote
    // it, then this trial's first) and read it back never, in three writes or more: an endpoint that writes every time
    // and never reads. One pair cannot tell that from a best-effort miss (a miss writes again): trial 1 stays inconclusive.
    const rewrote = cacheTokens(again.answer.body, 'cache_creation_input_tokens') ?? 0;
    const trial = again.exchange.trial ?? 1;
    if (wrote > 0 && rewrote > 0 && trial > 1) {
      return judge(promptCacheMessages, input, 'not-cached', evidence, `trial ${trial}: both requests wrote the prefix again (${wrote} and ${rewrote} tokens), after the earlier trials wrote it too, and none read it; ${figures}`);
    }
    if (wrote > 0 || readFirst > 0) {
      const shown = wrote > 0 ? `the first request wrote ${wrote} tokens to the cache` : `the first request read ${readFirst} tokens from the cache`;
      return inconclusive(input, `${shown} but the second read none: caching is best-effort, and one missed read does not show that the endpoint does not read its cache (--repeat N sends the pair again); ${figures}`, evidence);
    }
    return judge(promptCacheMessages, input, 'not-cached', evidence, `${figures}${read === undefined ? '; the second usage has no cache_read_input_tokens' : ''}`);
  },
};

export const promptCacheChecks: readonly CheckDefinition[] = [promptCacheMessages];
