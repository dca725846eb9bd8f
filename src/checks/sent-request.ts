/**
 * @module checks/sent-request
 * A check judges what its case asked: before reading an answer, a check that declares the fields it is about
 * (`sends`: `n` for params.n, `stream: true` for stream.*) reads the request each case actually sent for them. One
 * that did not carry the field can only show the default (one choice, no limit, a whole body where a stream was
 * meant), so the cell is `error` naming the case and the fix, never `ignored` or `nonconformant` on the endpoint.
 * Loading a suite refuses such a case first (suite/load-suites.ts); this holds for whatever reaches a check anyway
 * (a check run on exchanges built elsewhere, a suite loaded without the rule).
 */
import { describeSent, unsent, type SentField } from '../suite/sent-fields.ts';
import { answeringExchange, sentBody } from './answer.ts';
import { evidenceOf, unobserved } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

/** The `error` for the first case whose sent request lacks a field of `sends`, or undefined when every one carries them. */
function unsentCase(check: string, input: CheckInput, sends: readonly SentField[]): CheckResult | undefined {
  for (const outcome of input.outcomes) {
    if (outcome.kind !== 'completed') continue;
    for (const rule of sends) {
      // The exchange the check reads for the step: a step not sent is the check's to settle (skipped, error).
      const exchange = answeringExchange(outcome, rule.step);
      if (!exchange) continue;
      const miss = unsent(sentBody(exchange), rule);
      if (!miss) continue;
      return unobserved(
        input,
        `HARNESS_SUITE_INVALID: case ${outcome.caseId} ${miss} (step ${exchange.step}), and ${check} judges a request that sends ${describeSent(rule)}: ` +
          `its answer shows only what was never asked, no verdict on the endpoint; add ${rule.example} to the case's request (validate refuses such a case)`,
        [evidenceOf(outcome.caseId, exchange)],
      );
    }
  }
  return undefined;
}

/** `definition` with its `sends` read first: a case that did not send them is `error` before any answer is judged. */
export function requiringSent(definition: CheckDefinition): CheckDefinition {
  const sends = definition.sends;
  if (!sends?.length) return definition;
  const run = definition.run.bind(definition);
  return { ...definition, run: (input) => unsentCase(definition.id, input, sends) ?? run(input) };
}
