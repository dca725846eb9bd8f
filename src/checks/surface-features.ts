/**
 * @module checks/surface-features
 * Behaviour the two AWS surfaces are documented to differ on (MANTLE.md, "Two surfaces on one engine"): the
 * server-side `web_search` tool (Mantle only), cross-region inference profile ids (`us.`: runtime only; Mantle
 * answers 404 "does not exist"), and the `OpenAI-Project` header (runtime has only the default project). Background
 * responses are `responses.background` (runtime answers at once: `returned-completed`). Each runs on every surface;
 * the catalog's `surfaces:` block says what each one is expected to do.
 */
import { answerOf, notObservable, type Answer } from './answer.ts';
import { evidenceOf, judge, settleWithout, type CompletedOutcome } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence } from './types.ts';

/** The first case that got an answer: the model's one API among several cases, one per API family. */
function firstAnswered(input: CheckInput): { caseId: string; outcome: CompletedOutcome } | { settled: CheckResult } {
  const completed = input.outcomes.find((o): o is CompletedOutcome => o.kind === 'completed' && o.exchanges.length > 0);
  return completed ? { caseId: completed.caseId, outcome: completed } : { settled: settleWithout(input) };
}

/** The answer to the last request of the first answered case, with its evidence, or the cell already settled. */
function lastAnswer(input: CheckInput): { answer: Answer; evidence: Evidence[] } | { settled: CheckResult } {
  const found = firstAnswered(input);
  if ('settled' in found) return found;
  const exchange = found.outcome.exchanges.at(-1)!;
  return { answer: answerOf(exchange), evidence: [evidenceOf(found.caseId, exchange)] };
}

/** A 4xx: on these cases the endpoint's answer about the feature (a 404 included), so a finding, not "not served". */
const isRefusal = (answer: Answer): answer is Extract<Answer, { kind: 'rejected' | 'refused' }> => answer.kind === 'rejected' || answer.kind === 'refused';

const webSearch: CheckDefinition = {
  id: 'responses.web-search',
  title: 'Whether a Response with the server-side web_search tool is accepted (bedrock-runtime documents no server-side tools)',
  api: 'responses',
  vocabulary: ['supported', 'rejected'],
  params: ['tools'],
  reference: { value: 'supported', source: 'openai-reference: the Responses API runs the built-in web_search tool server-side' },
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') {
      const status = answer.body?.status;
      if (status === 'failed') return judge(webSearch, input, 'rejected', evidence, 'HTTP 200 with status "failed"');
      return judge(webSearch, input, 'supported', evidence, `HTTP ${answer.status}, status ${JSON.stringify(status)}`);
    }
    if (isRefusal(answer)) return judge(webSearch, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
    return notObservable(input, answer, evidence);
  },
};

const profileId: CheckDefinition = {
  id: 'models.profile-id',
  title: 'Whether a cross-region inference profile id (us.<model>) is served (Mantle answers 404 "does not exist")',
  api: null,
  vocabulary: ['served', 'not-found'],
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') return judge(profileId, input, 'served', evidence, `HTTP ${answer.status} for the profile id`);
    // A 4xx is the endpoint's answer about the id (404 "does not exist", or a route that does not know it).
    if (isRefusal(answer)) return judge(profileId, input, 'not-found', evidence, `${answer.status}: ${answer.message}`);
    return notObservable(input, answer, evidence);
  },
};

/** A project id no account has: an endpoint that reads the header must refuse it. */
export const UNKNOWN_PROJECT = 'proj_mantle-conformance-no-such-project';

const project: CheckDefinition = {
  id: 'headers.openai-project',
  title: 'What an OpenAI-Project header naming an unknown project does: refused as unknown (honoured), refused as unsupported, or ignored',
  api: null,
  vocabulary: ['honoured', 'rejected', 'ignored'],
  reference: { value: 'honoured', source: 'openai-reference: OpenAI-Project selects the project a request is billed to; an unknown project is refused' },
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') return judge(project, input, 'ignored', evidence, `HTTP ${answer.status}: the unknown project ${UNKNOWN_PROJECT} was not looked up`);
    if (isRefusal(answer)) {
      // Looked up and not found: the message is about the project itself, not about the header being unsupported.
      const lookedUp = /project/i.test(answer.message) && /(not (be )?found|does not exist|doesn't exist|unknown|no such|invalid project)/i.test(answer.message) && !/not supported|unsupported/i.test(answer.message);
      return judge(project, input, lookedUp ? 'honoured' : 'rejected', evidence, `${answer.status}: ${answer.message}`);
    }
    return notObservable(input, answer, evidence);
  },
};

export const surfaceFeatureChecks: readonly CheckDefinition[] = [webSearch, profileId, project];
