/**
 * @module run/tpm-warning
 * Said before a live or record run sends anything: a --tpm below the estimate of a request the run will send. The
 * scheduler lets such a request through only when its model's minute window is empty (it would wait forever
 * otherwise: scheduler.ts), so the run goes at about one request per model per minute. Unsaid, a run of a hundred
 * requests looked hung for an hour and a half.
 */
import { estimateTokens } from '../transport/scheduled-target.ts';
import type { LoadedPlan } from './load-plan.ts';
import { catalogMaxOutput } from './output-ceiling.ts';
import type { RunConfig } from './run-config.ts';
import type { CellWork } from './selection.ts';

const LIMIT_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

/** The largest request of the run, as the scheduler counts it, and whose it is. */
export interface LargestRequest {
  tokens: number;
  caseId: string;
  model: string;
}

/**
 * The warning, or undefined when --tpm is 0, nothing is sent (replay), or every request fits. Read from the cases as
 * written (templates unfilled, before a reasoning model gets room to think): the run's requests are at least this big.
 */
export function tpmWarning(config: Pick<RunConfig, 'tpm' | 'targets'>, work: readonly CellWork[], loaded: Pick<LoadedPlan, 'plan' | 'catalog'>): string | undefined {
  if (config.tpm <= 0) return undefined;
  const largest = largestRequest(config, work, loaded);
  if (!largest || largest.tokens <= config.tpm) return undefined;
  return (
    `--tpm ${config.tpm} is below the estimate of a request this run sends (${largest.tokens} tokens: case ${largest.caseId} on ${largest.model}, ` +
    `counted as prompt characters/4 plus its max tokens, or the model's maximum output (4096 when unknown) when it states none). ` +
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
    const ids = new Set(cell.checks.flatMap((c) => c.cases));
    const apis = new Set([...ids].map((id) => cases.get(id)?.api));
    for (const probe of probes) if (apis.has(probe.api)) ids.add(probe.id);
    for (const id of ids) {
      for (const step of cases.get(id)?.steps ?? []) {
        if ((step.request.method ?? 'POST') !== 'POST') continue;
        const body: Record<string, unknown> = { model: cell.model, ...step.request.body };
        const stated = LIMIT_FIELDS.map((f) => body[f]).find((v): v is number => typeof v === 'number');
        const tokens = estimateTokens({ method: 'POST', path: '', headers: {}, body: JSON.stringify(body) }, stated, maxOutputOf(cell.model));
        if (!largest || tokens > largest.tokens) largest = { tokens, caseId: id, model: cell.model };
      }
    }
  }
  return largest;
}
