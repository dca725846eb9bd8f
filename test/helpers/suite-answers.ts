/**
 * A suite case's own request, answered by hand, and one check judged on the answer: what the verdict tests of single
 * checks share. The request is built as a run builds it, so a check that reads what was sent (a forced tool, an
 * output limit, a previous_response_id) reads what a run sends.
 */
import { getCheck } from '../../src/checks/registry.ts';
import type { CaseOutcome, CheckResult, Expectation } from '../../src/checks/types.ts';
import { buildRequest } from '../../src/run/case-runner.ts';
import type { Thinking } from '../../src/run/room-to-think.ts';
import type { LoadedCase, LoadedStep } from '../../src/suite/load-suites.ts';
import type { Exchange, ExchangeRequest } from '../../src/transport/exchange.ts';
import { projectSuites } from './harness.ts';

/** A step of a case, with the prefix it is sent on and its request. */
export interface CaseStep {
  spec: LoadedCase;
  step: LoadedStep;
  prefix: string;
  request: ExchangeRequest;
}

/**
 * Step `step` (default: the first) of case `caseId`, its request built for `model` (default `test.model`) on `prefix`
 * (default: where the case's API is served, `/anthropic/v1` for Messages, else `/v1`), with room to think if given.
 */
export async function caseStep(caseId: string, options: { step?: string; prefix?: string; model?: string; thinking?: Thinking } = {}): Promise<CaseStep> {
  const { suites } = await projectSuites();
  const spec = suites.cases.find((c) => c.id === caseId)!;
  const step = (options.step === undefined ? undefined : spec.steps.find((s) => s.id === options.step)) ?? spec.steps[0]!;
  const prefix = options.prefix ?? (spec.api === 'messages' ? '/anthropic/v1' : '/v1');
  const request = buildRequest(spec, step, prefix, { model: options.model ?? 'test.model', step: () => undefined }, options.thinking);
  return { spec, step, prefix, request };
}

/** The text of an event stream: each event's data, after its name when it has one. */
export function sseText(events: readonly { name?: string; data: string }[]): string {
  return events.map((e) => `${e.name === undefined ? '' : `event: ${e.name}\n`}data: ${e.data}\n\n`).join('');
}

/**
 * An exchange of `at` answered `status` (default 200) with a JSON body (`json`), a body's text as it is (`text`, labelled
 * JSON: a body that is not JSON) or an event stream's text (`sse`).
 */
export function answeredWith(at: Pick<CaseStep, 'step' | 'prefix' | 'request'>, answer: { status?: number; json?: unknown; text?: string; sse?: string }, extra: Partial<Exchange> = {}): Exchange {
  const stream = answer.sse !== undefined;
  const data = answer.sse ?? answer.text ?? JSON.stringify(answer.json);
  const response = { status: answer.status ?? 200, headers: { 'content-type': stream ? 'text/event-stream' : 'application/json' }, chunks: [{ t: 0, data }] };
  return { step: at.step.id, prefix: at.prefix, request: at.request, response, error: null, durationMs: 5, attempts: 1, ...extra };
}

/** `check` judged on `exchanges` of case `caseId` (one completed outcome), for `model` with `expectation`. */
export async function judgeOn(check: string, caseId: string, api: CaseOutcome['api'], exchanges: Exchange[], options: { model?: string; expectation?: Expectation | null } = {}): Promise<CheckResult> {
  return getCheck(check)!.run({ model: options.model ?? 'test.model', expectation: options.expectation ?? null, outcomes: [{ kind: 'completed', caseId, api, exchanges }] });
}
