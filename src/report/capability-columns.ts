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
import { notObserved, observed, UNMEASURED, type Capability, type Column, type Lookup } from './capability-reading.ts';
import { images, reasoningEffort, route, serviceTiers } from './capability-special-columns.ts';
import type { MatrixResult } from './matrix.ts';

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
 * not read as the whole feature; checks not run or not reached are named grouped (`not reached: stream.responses,
 * schema.response`), and an API whose shape check was not run is `partial`. `?` and `n/a` are left as they are:
 * there is no answer to qualify.
 */
function told(column: Column): Capability {
  return {
    name: column.name,
    checks: column.checks,
    judge(get, notRun = () => undefined) {
      const judged = column.judge(get, notRun);
      if (judged.value === 'unknown' || judged.value === 'n/a') return judged;
      // An API not served has no shape or caveat to read: what else was not run says nothing of it.
      const missing = column.shape && judged.value === 'no' ? [] : column.checks.flatMap((check) => (notRun(check) ? [{ check, why: notRun(check)! }] : []));
      const missed = (['not reached', 'not run'] as const).flatMap((why) => {
        const of = missing.filter((m) => m.why === why).map((m) => m.check);
        return of.length ? [`${why}: ${of.join(', ')}`] : [];
      });
      const unread = judged.value === 'yes' && missing.some((m) => column.shape?.includes(m.check));
      const results = column.checks.flatMap((check) => {
        const r = get(check);
        return r ? [{ check, r }] : [];
      });
      const flaky = results.filter(({ r }) => r.status === 'flaky');
      const varies = flaky.map(({ check, r }) => `${check} varies: ${trialCounts(r)}`);
      // A flaky check's most frequent value is no settled answer: said once, as what its trials saw, not also as a value
      // (an API's worded caveats leave it out themselves, api()).
      const settled = judged.notes.filter((note) => !flaky.some(({ check }) => note.startsWith(`${check}: `)));
      const unmeasured = results.filter(({ r }) => UNMEASURED.has(r.status)).map(({ check, r }) => `${check}: ${r.status}, not measured`);
      return { value: varies.length || unread ? 'partial' : judged.value, notes: [...new Set([...settled, ...varies, ...unmeasured, ...missed])] };
    },
  };
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
    shape: Object.keys(shape),
    judge(get, notRun) {
      const served = observed(get, apiCheck);
      if (served === undefined) return { value: 'unknown', notes: [`${apiCheck}: ${get(apiCheck)?.status ?? notRun?.(apiCheck) ?? 'not run'}`] };
      if (served !== 'supported') return { value: 'no', notes: [] };
      // A caveat is worded (`stream stalled`), so `told` cannot tell its check by the note: a flaky check's most
      // frequent value is no caveat here (told says it once, as its trials), nor in the words of another's caveat.
      const settled: Lookup = (check) => (get(check)?.status === 'flaky' ? undefined : get(check));
      const notes = Object.entries(caveats).flatMap(([check, note]) => {
        const value = observed(settled, check);
        const text = value === undefined ? undefined : note(value, settled);
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

/** Adaptive thinking refused where budget_tokens observed nothing: thinkingNote says it when budget_tokens observed. */
const adaptiveNote: Caveat = (adaptive, get) => (adaptive === 'rejected' && observed(get, 'messages.thinking-budget') === undefined ? 'adaptive thinking rejected' : undefined);

/**
 * What an API's stream check observed when it is not `conformant`: a stream refused (`rejected`) or cut off
 * (`stalled`) is as much a caveat of the API as one that breaks the SSE rules, and reads as what was observed, not
 * as the schema checks it left with nothing to measure.
 */
const STREAM_WORDS: Record<string, string> = { nonconformant: 'stream not conformant', rejected: 'stream refused', stalled: 'stream stalled' };
const streamNote: Caveat = (value) => (value === 'conformant' ? undefined : (STREAM_WORDS[String(value)] ?? `stream: ${String(value)}`));

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

const COLUMNS: readonly Column[] = [
  route,
  api('Chat Completions', 'api.chat-completions', {
    'content.array.chat': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'stream.chat-completions': streamNote,
    'created-at.chat': (v) => (v !== 'integer' ? `created is ${String(v)}` : undefined),
  }, { 'schema.chat-completion': SCHEMA_OK, 'schema.chat-completion-chunk': SCHEMA_OK }),
  api('Responses', 'api.responses', {
    'content.array.responses': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'responses.input-items': (v) => (v === 'unsupported' ? 'no input_items' : undefined),
    'responses.background': (v) => (v !== 'completed' ? `background: ${String(v)}` : undefined),
    'responses.web-search': (v) => (v === 'rejected' ? 'no server-side web_search' : undefined),
    'responses.previous-response-id': (v) => (v !== 'echoed' ? `previous_response_id ${String(v)}` : undefined),
    'stream.responses': streamNote,
    'created-at.responses': (v) => (v !== 'integer' ? `created_at is ${String(v)}` : undefined),
  }, { 'schema.response': SCHEMA_OK, 'schema.response-event': SCHEMA_OK }),
  api('Messages', 'api.messages', {
    'messages.thinking-budget': thinkingNote,
    'messages.thinking-adaptive': adaptiveNote,
    'stream.messages': streamNote,
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
