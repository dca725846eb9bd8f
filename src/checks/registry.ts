/**
 * @module checks/registry
 * Every check the harness knows, by id. Suites name checks by id; loading a suite fails with file:line:col when a
 * name is not here, so a typo never silently runs nothing.
 */
import { contentArrayChecks } from './content-array.ts';
import { errorChecks } from './errors-discovery.ts';
import { messagesChecks } from './messages.ts';
import { messagesClientChecks } from './messages-clients.ts';
import { thinkingDefaultChecks } from './thinking-default.ts';
import { thinkingDisabledChecks } from './thinking-disabled.ts';
import { nonEmptyAnswerChecks } from './non-empty-answer.ts';
import { responsesCompactChecks } from './responses-compact.ts';
import { samplingParamChecks } from './sampling-params.ts';
import { sdkFieldChecks } from './sdk-fields.ts';
import { paramChecks } from './params.ts';
import { reasoningChecks } from './reasoning.ts';
import { responsesLifecycleChecks } from './responses-lifecycle.ts';
import { schemaChecks } from './schema.ts';
import { sdkChecks } from './sdk-judges.ts';
import { strictClientChecks } from './sdk-strict.ts';
import { structuredOutputChecks } from './structured-output.ts';
import { toolChecks } from './tools.ts';
import { messagesStructuredOutputChecks, messagesToolChecks } from './tools-messages.ts';
import { streamedToolChecks } from './tools-stream.ts';
import { callIdScopeChecks } from './call-id-scope.ts';
import { imageChecks } from './images.ts';
import { promptCacheChecks } from './prompt-cache.ts';
import { reasoningStreamChecks } from './reasoning-stream.ts';
import { serviceTierChecks } from './service-tier.ts';
import { createdAtChecks } from './created-at.ts';
import { defaultsChecks } from './defaults.ts';
import { routeChecks } from './route.ts';
import { streamChatChecks } from './stream-chat.ts';
import { streamMessagesChecks } from './stream-messages.ts';
import { streamResponsesChecks } from './stream-responses.ts';
import { surfaceFeatureChecks } from './surface-features.ts';
import { requiringSent } from './sent-request.ts';
import type { CheckDefinition } from './types.ts';

// Every check that declares what its case must send reads the sent request first (sent-request.ts): once, here.
export const ALL_CHECKS: readonly CheckDefinition[] = [
  ...routeChecks,
  ...responsesCompactChecks,
  ...createdAtChecks,
  ...contentArrayChecks,
  ...defaultsChecks,
  ...streamChatChecks,
  ...streamResponsesChecks,
  ...streamMessagesChecks,
  ...responsesLifecycleChecks,
  ...messagesChecks,
  ...messagesClientChecks,
  ...thinkingDefaultChecks,
  ...thinkingDisabledChecks,
  ...reasoningChecks,
  ...reasoningStreamChecks,
  ...toolChecks,
  ...messagesToolChecks,
  ...streamedToolChecks,
  ...callIdScopeChecks,
  ...structuredOutputChecks,
  ...messagesStructuredOutputChecks,
  ...imageChecks,
  ...promptCacheChecks,
  ...serviceTierChecks,
  ...paramChecks,
  ...samplingParamChecks,
  ...sdkFieldChecks,
  ...nonEmptyAnswerChecks,
  ...errorChecks,
  ...surfaceFeatureChecks,
  ...schemaChecks,
  ...sdkChecks,
  ...strictClientChecks,
].map(requiringSent);

const byId = new Map(ALL_CHECKS.map((check) => [check.id, check]));
if (byId.size !== ALL_CHECKS.length) throw new Error('two checks share an id');

export function getCheck(id: string): CheckDefinition | undefined {
  return byId.get(id);
}

export { describeVocabulary, inVocabulary } from '../suite/check-signature.ts';
