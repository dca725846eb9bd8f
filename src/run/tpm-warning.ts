/**
 * @module run/tpm-warning
 * Said before a live or record run sends anything: a --tpm below the estimate of a request the run will send. The
 * scheduler lets such a request through only when its model's minute window is empty (it would wait forever
 * otherwise: scheduler.ts), so the run goes at about one request per model per minute. Unsaid, a run of a hundred
 * requests looked hung for an hour and a half.
 */
import { modelIdLine } from '../report/inert-text.ts';
import type { LoadedCase } from '../suite/load-suites.ts';
import type { TemplateScope } from '../suite/templates.ts';
import { estimateTokens, UNSTATED_MAX_TOKENS } from '../transport/scheduled-target.ts';
import { buildRequest, requestedMaxTokens, stepThinking } from './case-runner.ts';
import type { LoadedPlan } from './load-plan.ts';
import { catalogMaxOutput } from './output-ceiling.ts';
import { mostThinking, type Thinking } from './room-to-think.ts';
import type { RunConfig } from './run-config.ts';
import type { CellWork } from './selection.ts';

/** The largest request of the run, as the scheduler counts it, and whose it is. */
interface LargestRequest {
  tokens: number;
  caseId: string;
  model: string;
  /** The room to think counted in it, when the model gets some there. */
  thinking?: Thinking;
}

/**
 * The warning, or undefined when --tpm is 0, nothing is sent (replay), or every request fits. Each request is counted
 * as the scheduler will count it (scheduled-target.ts), with the max tokens the run sends: room to think included.
 */
export function tpmWarning(config: Pick<RunConfig, 'tpm' | 'targets'>, work: readonly CellWork[], loaded: Pick<LoadedPlan, 'plan' | 'catalog'>): string | undefined {
  if (config.tpm <= 0) return undefined;
  const largest = largestRequest(config, work, loaded);
  if (!largest || largest.tokens <= config.tpm) return undefined;
  const room = largest.thinking ? `, with room to think, ${largest.thinking.budget} output tokens (${largest.thinking.why})` : '';
  return (
    `--tpm ${config.tpm} is below the estimate of a request this run sends (${largest.tokens} tokens: case ${largest.caseId} on ${modelIdLine(largest.model)}${room}, ` +
    `counted as prompt characters/4 plus the max tokens sent, or the model's maximum output (4096 when unknown) when it states none, ` +
    `and an earlier step's answer it quotes at that step's max tokens). ` +
    `Such a request goes only when its model's one-minute window is empty, so requests will go about one per minute per model; ` +
    `raise --tpm to ${largest.tokens} or more, or set it to 0`
  );
}

/** The largest request the sending targets' cells will send: their checks' cases and the probes of those cases' APIs. */
export function largestRequest(config: Pick<RunConfig, 'targets'>, work: readonly CellWork[], loaded: Pick<LoadedPlan, 'plan' | 'catalog'>): LargestRequest | undefined {
  const sending = new Set(config.targets.filter((t) => t.mode !== 'replay').map((t) => t.id));
  const { cases } = loaded.plan;
  const probes = [...cases.values()].filter((c) => c.probe);
  const maxOutputOf = catalogMaxOutput(loaded.catalog);
  let largest: LargestRequest | undefined;
  for (const cell of work) {
    if (!sending.has(cell.target)) continue;
    // The most the session can decide (model-session.ts thinking()): the probes may show a model the catalog does not
    // describe reasons, and a warning that counted it without room to think would advise a --tpm that still holds it.
    const thinking = mostThinking(cell.planned.reasoning);
    const ids = new Set(cell.checks.flatMap((c) => c.cases));
    const apis = new Set([...ids].map((id) => cases.get(id)?.api));
    for (const probe of probes) if (apis.has(probe.api)) ids.add(probe.id);
    for (const id of ids) {
      const spec = cases.get(id);
      if (!spec) continue;
      for (const step of estimateSteps(spec, cell.model, thinking, maxOutputOf(cell.model))) {
        if (!largest || step.tokens > largest.tokens) largest = { tokens: step.tokens, caseId: id, model: cell.model, ...(step.thinking ? { thinking: step.thinking } : {}) };
      }
    }
  }
  return largest;
}

/**
 * Each step's request as the scheduler will count it: built by the code that builds the sent one (case-runner.ts), so
 * the model, room to think and the max tokens are the run's. An earlier step's answer that a step quotes is not known
 * yet: it is counted at that step's max tokens (a reasoning model's answer quotes its thinking, up to the budget).
 */
function estimateSteps(spec: LoadedCase, model: string, thinking: Thinking | undefined, catalogMax: number | undefined): { tokens: number; thinking?: Thinking }[] {
  // What each step's answer may hold: its max tokens; a GET (a poll, a retrieval) returns what an earlier step made.
  const outputOf = new Map<string, number>();
  const out: { tokens: number; thinking?: Thinking }[] = [];
  for (const step of spec.steps) {
    const quoted = new Set<string>();
    const room = stepThinking(spec, step, thinking);
    // Quoted values are left empty and counted below, at what the quoted step's answer may hold.
    const scope: TemplateScope = { model, step: (ref) => { quoted.add(ref.step); return ''; } };
    let request;
    try {
      request = buildRequest(spec, step, '', scope, room);
    } catch {
      // A template the run cannot fill either: the case says so when it runs; no request of it to count here.
      continue;
    }
    const maxTokens = request.body === undefined ? undefined : requestedMaxTokens(parsedObject(request.body));
    outputOf.set(step.id, request.method === 'POST' ? (maxTokens ?? catalogMax ?? UNSTATED_MAX_TOKENS) : Math.max(0, ...outputOf.values()));
    const quotes = [...quoted].reduce((sum, id) => sum + (outputOf.get(id) ?? 0), 0);
    const tokens = estimateTokens(request, maxTokens, catalogMax) + quotes;
    out.push({ tokens, ...(room && maxTokens === room.budget ? { thinking: room } : {}) });
  }
  return out;
}

function parsedObject(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
