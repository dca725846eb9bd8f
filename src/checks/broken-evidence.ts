/**
 * @module checks/broken-evidence
 * An `error` cell shows what broke: the failed exchanges of the cases it read that broke, and, for a case never sent
 * because the probes could not tell its route (HARNESS_ROUTE_UNKNOWN: it has no exchange of its own), the failed
 * exchanges of the probe that broke, labelled with the probe's case id. A check may word such a cell from the
 * outcomes alone (errors.wrong-route names the probe that did not answer); its evidence then still carries the
 * harness codes, so a replay whose recording (a probe's too) is missing or unusable is said where the gate reads
 * codes (report/recording-defects.ts), never from the reason's text, and gates as any other missing recording does.
 */
import { evidenceOf } from './judge.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { CaseOutcome, CheckResult, Evidence } from './types.ts';

/** `result` with the failed exchanges of the broken outcomes it read (and of their route probes) first, once each, when it is an `error`. */
export function withBrokenEvidence(result: CheckResult, outcomes: readonly CaseOutcome[]): CheckResult {
  if (result.status !== 'error') return result;
  const seen = new Set(result.evidence.map(evidenceKey));
  const added: Evidence[] = [];
  const add = (caseId: string, exchanges: readonly Exchange[]) => {
    for (const exchange of exchanges) {
      if (!exchange.error) continue;
      const evidence = evidenceOf(caseId, exchange);
      const key = evidenceKey(evidence);
      if (seen.has(key)) continue;
      seen.add(key);
      added.push(evidence);
    }
  };
  for (const outcome of outcomes) {
    if (outcome.kind !== 'error') continue;
    if (outcome.routeProbe) add(outcome.routeProbe.caseId, outcome.routeProbe.exchanges);
    add(outcome.caseId, outcome.exchanges);
  }
  // First: a cell's evidence is cut to a few entries in the reports, and these are the causes the gate reads.
  return added.length ? { ...result, evidence: [...added, ...result.evidence] } : result;
}

/** The same exchange, however many outcomes name it (every case of an API names its one probe). */
const evidenceKey = (e: Evidence) => JSON.stringify([e.case, e.step, e.request, e.error ?? null, e.trial ?? null]);
