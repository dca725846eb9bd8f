/**
 * @module checks/service-tier
 * Service tiers: `service_tier: "priority"` and `"flex"` on Chat Completions and Responses (the AWS model cards
 * list Standard, Priority and Flex per model). `accepted` when the answer echoes the tier asked for, `ignored` when
 * it is answered at another tier (the reason says which it echoes, or that it echoes none), `rejected` when the
 * endpoint refuses the field. An endpoint behaviour, but one that may vary per request (priority granted while there
 * is capacity, downgraded when there is none): judged on every trial, so `--repeat` shows it flaky.
 */
import { failedResponse, notObservable, observe, offTopicRejection, sentBody, unreadableAnswer } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

export const SERVICE_TIERS = ['priority', 'flex'] as const;

function serviceTierCheck(api: 'chat-completions' | 'responses', tier: (typeof SERVICE_TIERS)[number]): CheckDefinition {
  const short = api === 'responses' ? 'responses' : 'chat';
  const definition: CheckDefinition = {
    id: `service-tier.${short}.${tier}`,
    title: `Whether ${api === 'responses' ? 'Responses' : 'Chat Completions'} takes service_tier: "${tier}", and the tier the answer echoes`,
    api,
    vocabulary: ['accepted', 'ignored', 'rejected'],
    params: ['service_tier'],
    variesPerRequest: true,
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      if (answer.kind === 'rejected') {
        const other = offTopicRejection(answer, sentBody(seen.exchange), ['service_tier']);
        if (other) return unobserved(input, `could not observe: the request was refused for ${other}: ${answer.status} ${answer.message}`, evidence);
        return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
      }
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      // No echo can be read from a body that is not a JSON object: `ignored` would claim the tier was not applied.
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const failed = failedResponse(answer.body);
      if (failed) return judge(definition, input, 'rejected', evidence, `HTTP ${answer.status}, but ${failed}`);
      const echoed = answer.body.service_tier;
      const shown = [evidenceOf(seen.caseId, seen.exchange, `service_tier: ${JSON.stringify(echoed ?? null)}`)];
      if (echoed === tier) return judge(definition, input, 'accepted', shown, `the answer echoes service_tier "${tier}"`);
      return judge(definition, input, 'ignored', shown, echoed === undefined ? 'the answer carries no service_tier' : `answered at service_tier ${JSON.stringify(echoed)}`);
    },
  };
  return definition;
}

export const serviceTierChecks: readonly CheckDefinition[] = (['chat-completions', 'responses'] as const).flatMap((api) => SERVICE_TIERS.map((tier) => serviceTierCheck(api, tier)));
