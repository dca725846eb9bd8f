/**
 * @module checks/registry
 * Every check the harness knows, by id. Suites name checks by id; loading a suite fails with file:line:col when a
 * name is not here, so a typo never silently runs nothing.
 */
import { contentArrayChecks } from './content-array.ts';
import { createdAtChecks } from './created-at.ts';
import { defaultsChecks } from './defaults.ts';
import { routeChecks } from './route.ts';
import { streamChatChecks } from './stream-chat.ts';
import { streamMessagesChecks } from './stream-messages.ts';
import { streamResponsesChecks } from './stream-responses.ts';
import type { CheckDefinition } from './types.ts';

export const ALL_CHECKS: readonly CheckDefinition[] = [
  ...routeChecks,
  ...createdAtChecks,
  ...contentArrayChecks,
  ...defaultsChecks,
  ...streamChatChecks,
  ...streamResponsesChecks,
  ...streamMessagesChecks,
];

const byId = new Map(ALL_CHECKS.map((check) => [check.id, check]));
if (byId.size !== ALL_CHECKS.length) throw new Error('two checks share an id');

export function getCheck(id: string): CheckDefinition | undefined {
  return byId.get(id);
}

export function checkIds(): string[] {
  return ALL_CHECKS.map((check) => check.id);
}

export { describeVocabulary, inVocabulary } from '../suite/check-signature.ts';
