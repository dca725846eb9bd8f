/**
 * @module report/capability-columns
 * The columns of the capability table and how each reads a model's results in one run: the route that serves the
 * model (`/anthropic/v1` included), each API with its caveats, then features read from several checks across the
 * three APIs (tool calling, streamed tool calls, structured output, images, prompt caching, service tiers, ...).
 * A feature whose every check needs an API the model does not serve is `n/a`; `unknown` (`?`) is kept for what was
 * not measured at all (not run, or the endpoint errored). A check read that was not measured (error, inconclusive,
 * skipped) is named in the cell's notes, and a flaky one makes the cell `partial` with what its trials saw: a cell
 * never reads as a plain answer a check did not give.
 */
import type { MatrixResult } from './matrix.ts';

export type CapabilityValue = 'yes' | 'no' | 'partial' | 'n/a' | 'unknown';

export type Lookup = (check: string) => MatrixResult | undefined;

export interface Capability {
  name: string;
  /** The cell for one target's results, before provenance. */
  judge(get: Lookup): { value: CapabilityValue; notes: string[] };
}

/** A column as written below: how it reads its checks, and which checks it reads (for the notes `told` adds). */
interface Column extends Capability {
  checks: readonly string[];
}

type Judged = ReturnType<Capability['judge']>;

/** Statuses that ran and observed nothing: the endpoint errored, the model's answer could not tell, a step was not sent. */
const UNMEASURED: ReadonlySet<MatrixResult['status']> = new Set(['error', 'inconclusive', 'skipped']);

/** The observed value of a check, when it observed one (pass, fail or flaky: the most frequent, `told` says it varies). */
const observed = (get: Lookup, check: string) => {
  const r = get(check);
  return r && (r.status === 'pass' || r.status === 'fail' || r.status === 'flaky') ? r.observed : undefined;
};

/** `conformant 2/3, no-call 1/3`: what the trials of a flaky cell saw, most frequent first. */
function trialCounts(r: MatrixResult): string {
  const trials = r.trials ?? [];
  if (trials.length === 0) return 'between trials';
  const counts = new Map<string, number>();
  for (const t of trials) {
    const seen = t.observed === null || t.observed === undefined ? t.status : String(t.observed);
    counts.set(seen, (counts.get(seen) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([seen, n]) => `${seen} ${n}/${trials.length}`).join(', ');
}

/**
 * The column with what its value does not show said: a flaky check makes it `partial` (its value is only the most
 * frequent one), and a check that was not measured is named, so one check observed among several errored ones does
 * not read as the whole feature. `?` and `n/a` are left as they are: there is no answer to qualify.
 */
function told(column: Column): Capability {
  return {
    name: column.name,
    judge(get) {
      const judged = column.judge(get);
      if (judged.value === 'unknown' || judged.value === 'n/a') return judged;
      const results = column.checks.flatMap((check) => {
        const r = get(check);
        return r ? [{ check, r }] : [];
      });
      const varies = results.filter(({ r }) => r.status === 'flaky').map(({ check, r }) => `${check} varies: ${trialCounts(r)}`);
      const unmeasured = results.filter(({ r }) => UNMEASURED.has(r.status)).map(({ check, r }) => `${check}: ${r.status}, not measured`);
      return { value: varies.length ? 'partial' : judged.value, notes: [...new Set([...judged.notes, ...varies, ...unmeasured])] };
    },
  };
}

/** Nothing observed: `n/a` when every check needs an API the model does not serve, else not measured. */
function notObserved(get: Lookup, checks: readonly string[]): Judged {
  const results = checks.map(get);
  return { value: results.length > 0 && results.every((r) => r?.status === 'unsupported') ? 'n/a' : 'unknown', notes: [] };
}

/** A caveat: the note a check's observed value makes of its API (`get` reads the checks it is said together with). */
type Caveat = (value: unknown, get: Lookup) => string | undefined;

/**
 * The checks of an API's own shape (its bodies, events and errors) and the values that are the shape: any other
 * value, or the check not measuring (error, inconclusive, skipped), leaves the API `partial`, never a plain `yes`
 * its bodies did not show. `lenient-only` is not a caveat here: the bodies parse, and the strict SDKs column says
 * what breaks on them.
 */
type Shape = Record<string, readonly string[]>;

const SCHEMA_OK = ['valid', 'lenient-only'] as const;

/** The notes of an API's shape checks that ran: what they observed when it is not the shape, or that they did not measure. */
function shapeNotes(get: Lookup, shape: Shape): string[] {
  return Object.entries(shape).flatMap(([check, good]) => {
    const r = get(check);
    if (!r || r.notRun || r.status === 'unsupported') return [];
    if (UNMEASURED.has(r.status)) return [`${check}: ${r.status}, not measured`];
    return good.includes(String(r.observed)) ? [] : [`${check}: ${String(r.observed)}`];
  });
}

/** An API: supported or not, and which of its checks fall short (its caveats and its shape), as notes. */
function api(name: string, apiCheck: string, caveats: Record<string, Caveat>, shape: Shape = {}): Column {
  return {
    name,
    checks: [apiCheck, ...Object.keys(caveats), ...Object.keys(shape)],
    judge(get) {
      const served = observed(get, apiCheck);
      if (served === undefined) return { value: 'unknown', notes: [`${apiCheck}: ${get(apiCheck)?.status ?? 'not run'}`] };
      if (served !== 'supported') return { value: 'no', notes: [] };
      const notes = Object.entries(caveats).flatMap(([check, note]) => {
        const value = observed(get, check);
        const text = value === undefined ? undefined : note(value, get);
        return text ? [text] : [];
      });
      notes.push(...shapeNotes(get, shape));
      return { value: notes.length ? 'partial' : 'yes', notes };
    },
  };
}

/**
 * The thinking Messages takes, said from both of its checks: budget_tokens refused reads "adaptive thinking only"
 * only where adaptive thinking was accepted.
 */
const thinkingNote: Caveat = (budget, get) => {
  const adaptive = observed(get, 'messages.thinking-adaptive');
  if (budget === 'rejected') return adaptive === 'accepted' ? 'adaptive thinking only (no budget_tokens)' : adaptive === 'rejected' ? 'no thinking accepted (budget_tokens and adaptive rejected)' : 'budget_tokens rejected';
  return adaptive === 'rejected' ? 'adaptive thinking rejected' : undefined;
};

/** A feature read from several checks: yes when all that observed say so, partial when some do. */
function feature(name: string, checks: Record<string, (value: unknown) => boolean>): Column {
  return {
    name,
    checks: Object.keys(checks),
    judge(get) {
      const seen = Object.entries(checks).flatMap(([check, good]) => {
        const value = observed(get, check);
        return value === undefined ? [] : [{ check, value, ok: good(value) }];
      });
      if (seen.length === 0) return notObserved(get, Object.keys(checks));
      const bad = seen.filter((s) => !s.ok);
      if (bad.length === 0) return { value: 'yes', notes: [] };
      return { value: bad.length === seen.length ? 'no' : 'partial', notes: bad.map((s) => `${s.check}: ${String(s.value)}`) };
    },
  };
}

const OPENAI_PREFIXES: Record<string, string[]> = { '/v1': ['/v1'], '/openai/v1': ['/openai/v1'], both: ['/v1', '/openai/v1'], none: [] };

const ROUTE_CHECKS = ['path-prefix', 'api.messages', 'api.count-tokens'];

/**
 * The route prefixes that serve the model: the OpenAI ones the probes found, and /anthropic/v1 when it serves
 * Messages. `no` only when every probe answered: a probe that errored or was not run may be the one that serves it.
 */
const route: Column = {
  name: 'Route prefix',
  checks: ROUTE_CHECKS,
  judge(get) {
    const openai = observed(get, 'path-prefix');
    const anthropic = ['api.messages', 'api.count-tokens'].map((check) => observed(get, check));
    if (openai === undefined && anthropic.every((v) => v === undefined)) return { value: 'unknown', notes: [] };
    const prefixes = [...(OPENAI_PREFIXES[String(openai)] ?? []), ...(anthropic.includes('supported') ? ['/anthropic/v1'] : [])];
    if (prefixes.length) return { value: 'yes', notes: prefixes };
    const gaps = ROUTE_CHECKS.flatMap((check) => {
      const status = get(check)?.status;
      return status === undefined || UNMEASURED.has(status) ? [`${check}: ${status ?? 'not run'}, not measured`] : [];
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

const images: Column = {
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

const serviceTiers: Column = {
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

const reasoningEffort: Column = {
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

const COLUMNS: readonly Column[] = [
  route,
  api('Chat Completions', 'api.chat-completions', {
    'content.array.chat': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'stream.chat-completions': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
    'created-at.chat': (v) => (v !== 'integer' ? `created is ${String(v)}` : undefined),
  }, { 'schema.chat-completion': SCHEMA_OK, 'schema.chat-completion-chunk': SCHEMA_OK }),
  api('Responses', 'api.responses', {
    'content.array.responses': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'responses.input-items': (v) => (v === 'unsupported' ? 'no input_items' : undefined),
    'responses.background': (v) => (v !== 'completed' ? `background: ${String(v)}` : undefined),
    'responses.web-search': (v) => (v === 'rejected' ? 'no server-side web_search' : undefined),
    'responses.previous-response-id': (v) => (v !== 'echoed' ? `previous_response_id ${String(v)}` : undefined),
    'stream.responses': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
    'created-at.responses': (v) => (v !== 'integer' ? `created_at is ${String(v)}` : undefined),
  }, { 'schema.response': SCHEMA_OK, 'schema.response-event': SCHEMA_OK }),
  api('Messages', 'api.messages', {
    'messages.thinking-budget': thinkingNote,
    'stream.messages': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
    'messages.thinking-stream': (v) => (v !== 'conformant' ? `thinking stream: ${String(v)}` : undefined),
  }, { 'messages.basic': ['conformant'], 'messages.error-shape': ['anthropic'], 'schema.anthropic-message': SCHEMA_OK, 'schema.anthropic-event': SCHEMA_OK }),
  api('count_tokens', 'api.count-tokens', {}, { 'messages.count-tokens': ['conformant'] }),
  feature('Tool calling', {
    'tools.chat.forced-call': (v) => v === 'conformant',
    'tools.chat.result-turn': (v) => v === 'accepted',
    'tools.responses.forced-call': (v) => v === 'conformant',
    'tools.responses.result-turn': (v) => v === 'accepted',
    'tools.messages.forced-call': (v) => v === 'conformant',
    'tools.messages.result-turn': (v) => v === 'accepted',
  }),
  feature('Streaming tool calls', {
    'tools.chat.stream-call': (v) => v === 'conformant',
    'tools.chat.stream-parallel': (v) => v === 'conformant',
    'tools.responses.stream-call': (v) => v === 'conformant',
    'tools.messages.stream-call': (v) => v === 'conformant',
  }),
  feature('Structured output', {
    'structured-output.chat': (v) => v === 'valid',
    'structured-output.responses': (v) => v === 'valid',
    'structured-output.messages': (v) => v === 'valid',
  }),
  images,
  feature('Prompt caching', { 'prompt-cache.messages': (v) => v === 'cached' }),
  serviceTiers,
  reasoningEffort,
  feature('n, logprobs, stop', { 'params.n': (v) => v === 'honored', 'params.logprobs': (v) => v === 'honored', 'params.stop': (v) => v === 'honored' }),
  feature('Strict SDKs (.NET, Go)', { 'sdk.strict.chat': (v) => v === 'ok', 'sdk.strict.responses': (v) => v === 'ok' }),
];

export const CAPABILITIES: readonly Capability[] = COLUMNS.map(told);
