/**
 * @module checks/prompt-cache
 * Prompt caching on the Anthropic surface: a `cache_control` breakpoint on a long generated prefix
 * (`{{generated.prose-<tokens>}}`, above the minimum Mantle is documented to cache: about 2048 tokens, seeds/portkey),
 * sent three times in a row with different questions after it. `cached` when a later answer reports
 * `cache_read_input_tokens` above 0; `not-cached` when no answer wrote to or read from the cache (the reason gives the
 * usages, so a prefix below a model's minimum shows as such), or when every one of the three wrote the prefix again
 * and none read it (an endpoint that writes and never reads); `rejected` when the endpoint refuses the breakpoint.
 * Caching is best-effort (an entry lives on some host, for some minutes): a write then misses that did not write
 * again is `inconclusive`. The three are one trial's steps, sent in turn: the trials of `--repeat N` run at once, so
 * no trial can read another's write. Judged on every trial (`dependsOnModel`, although what varies is the endpoint's
 * cache, not the model).
 */
import { isRecord } from '../transport/body.ts';
import { notObservable, observe, offTopicRejection, sentBody, unreadableAnswer } from './answer.ts';
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
  title: 'A cache_control breakpoint on a long prefix, sent three times: a later Messages answer reads the prefix from the cache',
  api: 'messages',
  vocabulary: ['cached', 'not-cached', 'rejected'],
  params: ['system', 'cache_control'],
  readsSteps: ['first', 'second', 'third'],
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
    // Usage read from a body that is not a JSON object is none: it would read as "no cache figures" (not-cached).
    if (!first.answer.body) return unreadableAnswer(input, first.answer, evidence);
    const firstBody = first.answer.body;
    const later: { step: string; body: Record<string, unknown> | undefined }[] = [];
    const figuresOf = (answers: typeof later) => [{ step: 'first', body: firstBody }, ...answers].map(({ step, body }) => `${step}: ${describeUsage(body)}`).join('; ');
    const readBy = (answers: typeof later) => answers.filter(({ body }) => (cacheTokens(body, 'cache_read_input_tokens') ?? 0) > 0);
    for (const step of ['second', 'third']) {
      const seen = observe(input, step);
      // A read already seen is the finding, whatever became of the requests after it.
      if ('settled' in seen || seen.answer.kind !== 'ok' || !seen.answer.body) {
        if (readBy(later).length) return judge(promptCacheMessages, input, 'cached', evidence, `the ${readBy(later).map((r) => r.step).join(' and ')} read the prefix from the cache; ${figuresOf(later)}`);
        if ('settled' in seen) return seen.settled;
        if (seen.answer.kind === 'rejected') return judge(promptCacheMessages, input, 'rejected', evidence, `the ${step} call was refused: ${seen.answer.status} ${seen.answer.message}`);
        if (seen.answer.kind === 'ok') return unreadableAnswer(input, seen.answer, evidence);
        return notObservable(input, seen.answer, evidence);
      }
      later.push({ step, body: seen.answer.body });
    }
    const all = [{ step: 'first', body: firstBody }, ...later];
    const figures = figuresOf(later);
    const reads = readBy(later);
    if (reads.length) return judge(promptCacheMessages, input, 'cached', evidence, `the ${reads.map((r) => r.step).join(' and ')} read the prefix from the cache; ${figures}`);
    const writes = all.filter(({ body }) => (cacheTokens(body, 'cache_creation_input_tokens') ?? 0) > 0);
    // Three requests in a row, each writing the prefix it had just cached: not a miss, an endpoint that never reads.
    if (writes.length === all.length) return judge(promptCacheMessages, input, 'not-cached', evidence, `each of the ${all.length} requests wrote the prefix again and none read it; ${figures}`);
    const readFirst = cacheTokens(first.answer.body, 'cache_read_input_tokens') ?? 0;
    if (writes.length || readFirst > 0) {
      return inconclusive(input, `the endpoint cached the prefix (${writes.length ? `written by the ${writes.map((w) => w.step).join(' and ')}` : 'read by the first'}), but no later request read it: caching is best-effort, and misses that did not write again do not show an endpoint that never reads; ${figures}`, evidence);
    }
    const absent = later.some(({ body }) => cacheTokens(body, 'cache_read_input_tokens') === undefined);
    return judge(promptCacheMessages, input, 'not-cached', evidence, `${figures}${absent ? '; a later usage has no cache_read_input_tokens' : ''}`);
  },
};

export const promptCacheChecks: readonly CheckDefinition[] = [promptCacheMessages];
