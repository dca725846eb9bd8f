/**
 * @module run/room-to-think
 * Cases whose checks read what the model writes (`visible_output: true`) give a model that reasons enough output
 * budget and the lowest reasoning effort it accepts, so that most behaviour cells on real Mantle are conclusive
 * rather than `inconclusive` (a 16-token budget is spent on thinking before any visible word). Models that do not
 * reason keep the small budgets of the suites: tokens cost money, and they need no more.
 */
import type { ReasoningClaim } from '../suite/catalog-schema.ts';
import type { ApiId } from '../suite/suite-schema.ts';

/** Output tokens a reasoning model gets for a visible answer, unless the catalog states its own. */
export const DEFAULT_THINKING_BUDGET = 1024;

export interface Thinking {
  /** Output tokens to allow. */
  budget: number;
  /** The lowest reasoning effort the model accepts, when a source states it (never guessed: a value the model
   * refuses would turn every behaviour cell into a rejection). */
  effort?: string;
  /** How Chat Completions takes the effort. @default 'reasoning_effort' */
  chatEffort?: 'reasoning_effort' | 'reasoning';
  /** Why the model is treated as reasoning: the catalog's source, or what an answer showed. */
  why: string;
}

/** Room to think as the catalog's reasoning claim gives it: none for a model the catalog says does not reason. */
export function claimedThinking(claim: ReasoningClaim): Thinking | undefined {
  if (!claim.reasons) return undefined;
  return {
    budget: claim.budget ?? DEFAULT_THINKING_BUDGET,
    ...(claim.lowestEffort ? { effort: claim.lowestEffort } : {}),
    ...(claim.chatEffort ? { chatEffort: claim.chatEffort } : {}),
    why: `catalog: ${claim.source}`,
  };
}

/** Room to think for a model the catalog says nothing of, once an answer showed it reasons. */
export function shownThinking(why: string): Thinking {
  return { budget: DEFAULT_THINKING_BUDGET, why };
}

/**
 * The most room to think a run can give the model, known before anything is sent (the --tpm warning): the catalog's
 * word, else what an answer showing reasoning would earn it, since its probes may show that once the run is under way.
 */
export function mostThinking(claim: ReasoningClaim | undefined): Thinking | undefined {
  return claim ? claimedThinking(claim) : shownThinking("counted in case it reasons: the catalog does not say, and a model whose probes show reasoning gets it");
}

const LIMIT_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

/** The body with room to think: output limits raised to the budget, the lowest effort unless the body sets one. */
export function giveRoomToThink(body: Record<string, unknown>, api: ApiId, thinking: Thinking): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const field of LIMIT_FIELDS) {
    const value = out[field];
    if (typeof value === 'number' && value < thinking.budget) out[field] = thinking.budget;
  }
  if (thinking.effort === undefined) return out;
  const nested = api === 'responses' || (api === 'chat-completions' && thinking.chatEffort === 'reasoning');
  if (api === 'chat-completions' && !nested && out.reasoning_effort === undefined) out.reasoning_effort = thinking.effort;
  if (nested) {
    const reasoning = typeof out.reasoning === 'object' && out.reasoning !== null ? (out.reasoning as Record<string, unknown>) : {};
    if (reasoning.effort === undefined) out.reasoning = { ...reasoning, effort: thinking.effort };
  }
  return out;
}
