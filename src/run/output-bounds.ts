/**
 * @module run/output-bounds
 * Requests that test one thing. Cases bound their answers (`max_tokens: 16`) to keep costs low, but some models
 * refuse a bounding field outright (gemma-4 answers any `max_tokens` with 400 unsupported_parameter; OpenAI models
 * on Mantle chat refuse it too). Such a refusal would land on every chat check and hide what each one tests. So a
 * bound the model refuses is replaced by the next one its API has (`max_tokens` -> `max_completion_tokens`), or
 * dropped, unless the case tests that very field. The probes learn it once per model and target (deterministic:
 * every other case waits for them); a case that meets a refusal on its own falls back for itself.
 */
import { answerOf, namesField } from '../checks/answer.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import type { Exchange } from '../transport/exchange.ts';

/** The fields that only bound the answer's length, in the order to try them, per API. */
export const BOUND_FIELDS: Partial<Record<ApiId, readonly string[]>> = {
  'chat-completions': ['max_tokens', 'max_completion_tokens'],
  responses: ['max_output_tokens'],
};

/** The bounding field an answer refuses, when the request carries it and the case does not test it. */
export function refusedBound(exchange: Exchange, api: ApiId, body: Record<string, unknown>, underTest: ReadonlySet<string>): string | undefined {
  const answer = answerOf(exchange);
  if (answer.kind !== 'rejected') return undefined;
  return (BOUND_FIELDS[api] ?? []).find((field) => field in body && !underTest.has(field) && namesField(answer.param, answer.message, field));
}

/**
 * The body without the refused bounds (not under test): each replaced by the next field of its API the model has
 * not refused (same value), or dropped. Returns the body unchanged (same object) when nothing applies.
 */
export function withoutRefusedBounds(body: Record<string, unknown>, api: ApiId, refused: ReadonlySet<string>, underTest: ReadonlySet<string>): { body: Record<string, unknown>; note?: string } {
  const fields = BOUND_FIELDS[api] ?? [];
  const present = fields.filter((field) => field in body && refused.has(field) && !underTest.has(field));
  if (present.length === 0) return { body };
  const out = { ...body };
  const notes: string[] = [];
  for (const field of present) {
    const value = out[field];
    delete out[field];
    const next = fields.find((f) => f !== field && !refused.has(f) && !(f in out) && !underTest.has(f));
    if (next) out[next] = value;
    notes.push(`${field} refused by the model: sent ${next ? `${next}: ${JSON.stringify(value)}` : 'no output limit'} instead`);
  }
  return { body: out, note: notes.join('; ') };
}

/** The bounds the probes found refused, per API: every rejection among their answers that names one. */
export function boundsRefusedBy(probes: readonly { api: ApiId; exchanges: readonly Exchange[] }[]): Map<ApiId, Set<string>> {
  const refused = new Map<ApiId, Set<string>>();
  for (const probe of probes) {
    for (const exchange of probe.exchanges) {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(exchange.request.body ?? '{}') as Record<string, unknown>;
      } catch {
        continue;
      }
      const field = refusedBound(exchange, probe.api, body, new Set());
      if (field) refused.set(probe.api, new Set([...(refused.get(probe.api) ?? []), field]));
    }
  }
  return refused;
}
