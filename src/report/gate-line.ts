/**
 * @module report/gate-line
 * The gate in one line, as the console, matrix.md, matrix.html and the step summary head their gate with: the verdict
 * and exit code, and each reason it fails summed up (the reports list every problem whole beneath it); a shard's says
 * it is a shard, whose gate is not the run's.
 */
import { inertLine } from './inert-text.ts';
import type { GateProblem, MatrixGate } from './matrix.ts';
import { NOTHING_COMPARED_GATE } from './nothing-compared.ts';
import { UNFINISHED_GATE } from './baseline-not-run.ts';
import { saysRecordingDefect } from './recording-defects.ts';

/** What a shard's reports add to its gate: its own verdict is not the run's (junit.xml, the console, every report). */
export const NOT_THE_WHOLE_RUN = 'is not the whole run: gate on the merge of every shard';

/** `shard 2/3 of run x` for a shard's matrix (an odd label from a file as `this shard`); undefined for a whole run or a merge. */
export function shardOf(run: { id: string; selection?: { shard?: string | undefined } } | undefined): string | undefined {
  const shard = run?.selection?.shard;
  if (shard === undefined) return undefined;
  return SHARD.test(shard) ? `${shardName(shard)} of run ${inertLine(run!.id, 200)}` : shardName(shard);
}

const SHARD = /^\d{1,6}\/\d{1,6}$/;
/** `shard 2/3`; `this shard` for a label a run never writes (a file edited by hand): never its text. */
export function shardName(shard: string): string {
  return SHARD.test(shard) ? `shard ${shard}` : 'this shard';
}

/** What a shard's report headings add: ` (shard 2/3 of run x, not the whole run)`; '' for a whole run or a merge. */
export function shardHeading(run: Parameters<typeof shardOf>[0]): string {
  const shard = shardOf(run);
  return shard ? ` (${shard}, not the whole run)` : '';
}

/**
 * The gate in one line: `pass (exit 0)`, `fail (exit 1): 3 results ...; ...`, `interrupted (exit 130)`. With the
 * run, a shard's says that it is one (its exit code is the same): `pass (exit 0); shard 2/3 of run x is not the
 * whole run: gate on the merge of every shard`.
 */
export function gateLine(gate: MatrixGate, run?: Parameters<typeof shardOf>[0]): string {
  const shard = shardOf(run);
  return shard ? `${verdictLine(gate)}; ${shard} ${NOT_THE_WHOLE_RUN}` : verdictLine(gate);
}

function verdictLine(gate: MatrixGate): string {
  if (gate.verdict === 'interrupted') return 'interrupted (exit 130): the run did not finish, so it neither passes nor fails';
  if (gate.verdict === 'pass') return 'pass (exit 0)';
  const why = [
    gatingLine(gate.gating),
    ...gate.problems.map((p) => problemSummary(p, gate)),
    unobservedLine(gate.problems),
    gate.regressedSinceBaseline ? 'new failures since the baseline' : '',
  ].filter(Boolean);
  return `fail (exit 1): ${why.join('; ')}`;
}

/** One problem summed up for the line; '' for a model with nothing observed (they are counted together). */
function problemSummary(p: GateProblem, gate: MatrixGate): string {
  if (p.kind === 'unobserved-model') return '';
  if (p.kind === 'partial') return p.message.split(':')[0]!;
  if (p.kind === 'unusable-listed-ids') return p.message.split(' (')[0]!;
  if (p.kind === 'too-many-errors') return `${gate.errors.unexpected} errors (max ${gate.errors.max})`;
  if (p.kind === 'recording-kept' || p.kind === 'budget-exceeded') return p.message;
  // Its message names the targets and the fix; the line says what failed, as `compare` does.
  if (p.kind === 'nothing-compared') return NOTHING_COMPARED_GATE;
  if (p.kind === 'baseline-unfinished') return `${UNFINISHED_GATE}: cells of this run not compared`;
  return p.kind;
}

/** How the line counts gating cells that observed nothing: not failures of the endpoint. */
const GATING_WORDS: Partial<Record<MatrixGate['gating'][number]['status'], string>> = {
  error: 'could not be checked (error)',
  unsupported: 'not observed (n/a: the model does not serve the API the expectations file states a value for)',
  skipped: "not observed (skipped: the endpoint's answers left nothing to read of what the expectations file states a value for)",
};

/**
 * `3 result(s) do not meet their stated expectation: 2 fail, 1 could not be checked (error)`: an error is a cell whose stated
 * expectation could not be checked, not one the endpoint failed, and the line says which is which; so is an n/a cell,
 * or one skipped for what the endpoint answered, an entry of the expectations file states a value for.
 */
function gatingLine(all: MatrixGate['gating']): string {
  // A replay's cell that gates only for its missing or unusable recording has no stated expectation: said apart.
  const defects = all.filter((g) => saysRecordingDefect(g.reason)).length;
  const recordings = defects ? `${defects} replayed cell(s) whose recording is missing or cannot be used (restore the files, or record them with --mode record)` : '';
  const gating = defects ? all.filter((g) => !saysRecordingDefect(g.reason)) : all;
  if (gating.length === 0) return recordings;
  const counts = new Map<string, number>();
  for (const g of gating) counts.set(g.status, (counts.get(g.status) ?? 0) + 1);
  const parts = (['fail', 'flaky', 'error', 'unsupported', 'skipped'] as const).filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${GATING_WORDS[s] ?? s}`);
  return [`${gating.length} result(s) do not meet their stated expectation: ${parts.join(', ')}`, recordings].filter(Boolean).join('; ');
}

/** `2 model(s) with nothing observed`, counting a model once however many targets it failed on. */
function unobservedLine(problems: MatrixGate['problems']): string {
  const unobserved = problems.filter((p) => p.kind === 'unobserved-model');
  if (unobserved.length === 0) return '';
  const models = new Set(unobserved.map((p) => p.model)).size;
  const targets = new Set(unobserved.map((p) => p.target)).size;
  return `${models} model(s) with nothing observed${targets > 1 ? ` (on ${targets} targets)` : ''}`;
}
