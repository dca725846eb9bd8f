/**
 * @module report/capability-special-columns
 * The columns of the capability table that read their checks their own way: the route prefixes that serve the
 * model, images per API, service tiers, and reasoning effort (Responses' efforts, or Claude's adaptive thinking).
 */
import { notObserved, observed, UNMEASURED, type Column } from './capability-reading.ts';

const OPENAI_PREFIXES: Record<string, string[]> = { '/v1': ['/v1'], '/openai/v1': ['/openai/v1'], both: ['/v1', '/openai/v1'], none: [] };

const ROUTE_CHECKS = ['path-prefix', 'api.messages', 'api.count-tokens'];

/**
 * The route prefixes that serve the model: the OpenAI ones the probes found, and /anthropic/v1 when it serves
 * Messages. `no` only when every probe answered: a probe that errored or was not run may be the one that serves it.
 */
export const route: Column = {
  name: 'Route prefix',
  checks: ROUTE_CHECKS,
  judge(get, notRun) {
    const openai = observed(get, 'path-prefix');
    const anthropic = ['api.messages', 'api.count-tokens'].map((check) => observed(get, check));
    if (openai === undefined && anthropic.every((v) => v === undefined)) return { value: 'unknown', notes: [] };
    const prefixes = [...(OPENAI_PREFIXES[String(openai)] ?? []), ...(anthropic.includes('supported') ? ['/anthropic/v1'] : [])];
    if (prefixes.length) return { value: 'yes', notes: prefixes };
    // A probe with no result is named as the API columns name theirs: why it did not run (a stop came first, or a
    // filter left it out), not `not run` for a probe an interrupted run never reached.
    const gaps = ROUTE_CHECKS.flatMap((check) => {
      const status = get(check)?.status;
      if (status === undefined) return [`${check}: ${notRun?.(check) ?? 'not run'}`];
      return UNMEASURED.has(status) ? [`${check}: ${status}, not measured`] : [];
    });
    // One of Messages and count_tokens answering is enough to say /anthropic/v1 does not serve it; an error is not.
    const answered = openai !== undefined && anthropic.some((v) => v !== undefined) && !ROUTE_CHECKS.some((check) => UNMEASURED.has(get(check)?.status ?? 'pass'));
    return answered ? { value: 'no', notes: [] } : { value: 'unknown', notes: gaps };
  },
};

const SHORT: Record<string, string> = { chat: 'chat', responses: 'Responses', messages: 'Messages' };

/** `rejected on chat, Responses`: the notes of several APIs that say the same, said once. */
function grouped(entries: readonly { what: string; api: string }[]): string[] {
  const byWhat = new Map<string, string[]>();
  for (const { what, api } of entries) byWhat.set(what, [...(byWhat.get(what) ?? []), SHORT[api] ?? api]);
  return [...byWhat].map(([what, apis]) => `${what} on ${[...new Set(apis)].join(', ')}`);
}

/** Images per API: seen (yes), taken but not seen, or refused; an answer that could not tell counts as taken. */
const IMAGE_CHECKS = ['chat', 'responses', 'messages'].flatMap((api) => [`images.${api}`, `images.seen.${api}`]);

export const images: Column = {
  name: 'Images',
  checks: IMAGE_CHECKS,
  judge(get) {
    const apis = ['chat', 'responses', 'messages'].flatMap((api) => {
      const taken = observed(get, `images.${api}`);
      const seen = observed(get, `images.seen.${api}`);
      if (taken === undefined && seen === undefined) return [];
      if (seen === 'seen') return [{ api, ok: true, what: '' }];
      const what = taken === 'rejected' || seen === 'rejected' ? 'rejected' : seen === 'not-seen' ? 'taken but not seen' : 'taken (seeing not measured)';
      return [{ api, ok: false, what }];
    });
    if (apis.length === 0) return notObserved(get, IMAGE_CHECKS);
    const bad = apis.filter((a) => !a.ok);
    const value = bad.length === 0 ? 'yes' : bad.length === apis.length && bad.every((a) => a.what === 'rejected') ? 'no' : 'partial';
    return { value, notes: grouped(bad) };
  },
};

/** Service tiers: which of priority and flex each OpenAI API takes and echoes. */
const TIER_CHECKS = ['chat', 'responses'].flatMap((api) => ['priority', 'flex'].map((tier) => ({ api, tier, id: `service-tier.${api}.${tier}` })));

export const serviceTiers: Column = {
  name: 'Service tiers',
  checks: TIER_CHECKS.map((c) => c.id),
  judge(get) {
    const checks = TIER_CHECKS;
    const seen = checks.flatMap((c) => {
      const value = observed(get, c.id);
      return value === undefined ? [] : [{ ...c, value }];
    });
    if (seen.length === 0) return notObserved(get, checks.map((c) => c.id));
    const accepted = [...new Set(seen.filter((s) => s.value === 'accepted').map((s) => s.tier))];
    const refused = seen.filter((s) => s.value !== 'accepted');
    const byValue = [...new Set(refused.map((s) => String(s.value)))].map((value) => {
      const of = refused.filter((s) => String(s.value) === value);
      return { what: `${[...new Set(of.map((s) => s.tier))].join(', ')} ${value}`, apis: [...new Set(of.map((s) => s.api))] };
    });
    const notes = [...(accepted.length ? [accepted.join(', ')] : []), ...byValue.flatMap(({ what, apis }) => grouped(apis.map((api) => ({ what, api }))))];
    const all = seen.every((s) => s.value === 'accepted');
    return { value: all ? 'yes' : accepted.length ? 'partial' : 'no', notes };
  },
};

/** Reasoning effort: the values Responses takes; for Claude, adaptive thinking with output_config.effort. */
const EFFORTS = ['none', 'low', 'medium', 'high'];

export const reasoningEffort: Column = {
  name: 'Reasoning effort',
  checks: [...EFFORTS.map((e) => `reasoning.effort.${e}`), 'messages.thinking-adaptive'],
  judge(get) {
    const all = EFFORTS;
    const efforts = all.filter((e) => observed(get, `reasoning.effort.${e}`) === 'accepted');
    if (all.some((e) => observed(get, `reasoning.effort.${e}`) !== undefined)) {
      return { value: efforts.length === 4 ? 'yes' : efforts.length ? 'partial' : 'no', notes: efforts.length ? [efforts.join(', ')] : [] };
    }
    const adaptive = observed(get, 'messages.thinking-adaptive');
    if (adaptive !== undefined) return adaptive === 'accepted' ? { value: 'yes', notes: ['adaptive thinking, output_config.effort low tried'] } : { value: 'no', notes: ['adaptive thinking rejected'] };
    return notObserved(get, [...all.map((e) => `reasoning.effort.${e}`), 'messages.thinking-adaptive']);
  },
};
