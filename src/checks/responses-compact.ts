/**
 * @module checks/responses-compact
 * `POST /responses/compact`: Codex clients compact a long conversation with it and stop when it is missing. OpenAI
 * documents it (a `response.compaction` object whose output replaces the input); on Mantle it is undocumented
 * (maximhq/bifrost #6230), so this is an observation without a reference value, like the other `api.*` checks.
 */
import { notObservable, observe, unreadableAnswer } from './answer.ts';
import { judge } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const definition: CheckDefinition = {
  id: 'api.responses-compact',
  title: 'Whether POST /responses/compact (used by Codex clients) answers with a response.compaction',
  api: 'responses',
  vocabulary: ['supported', 'unsupported'],
  run(input) {
    const seen = observe(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') {
      // A body cut short or malformed may have been a compaction: nothing is observed, not `unsupported`.
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const body = answer.body;
      if (body.object === 'response.compaction' && Array.isArray(body.output)) {
        return judge(definition, input, 'supported', evidence, `HTTP ${answer.status}, a response.compaction with ${body.output.length} output item(s)`);
      }
      return judge(definition, input, 'unsupported', evidence, `HTTP ${answer.status}, but object ${JSON.stringify(body.object ?? null)}, not a response.compaction`);
    }
    if (answer.kind === 'rejected' || answer.kind === 'refused') return judge(definition, input, 'unsupported', evidence, `HTTP ${answer.status}: ${answer.message}`);
    return notObservable(input, answer, evidence);
  },
};

export const responsesCompactChecks: readonly CheckDefinition[] = [definition];
