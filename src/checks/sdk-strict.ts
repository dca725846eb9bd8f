/**
 * @module checks/sdk-strict
 * The strict-client column: the rules of strictly typed SDKs (.NET's OpenAI library, openai-go) applied to the
 * raw body. They read `created`/`created_at` and token counts into integers and need required fields present, so
 * `1.772195752e+09` or `1790000000.25` breaks them (openai/openai-dotnet #1006), however JavaScript reads it.
 */
import { isRecord, losslessBody, NESTED_TOO_DEEP } from '../transport/body.ts';
import type { Exchange } from '../transport/exchange.ts';
import { answeredExchanges, observeOk, stalledAnswer } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import { lexemeKind } from './lexeme.ts';
import type { CheckDefinition } from './types.ts';

type Rule = (body: Record<string, unknown>) => string[];

/** The range of a signed 64-bit integer: `long` in .NET, `int64` in Go, what both read a timestamp into. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether an integer lexeme fits an int64. A plain number printed in exponent form (1e+21 and up) never does. */
const fitsInt64 = (lexeme: string): boolean => /^-?\d+$/.test(lexeme) && BigInt(lexeme) >= INT64_MIN && BigInt(lexeme) <= INT64_MAX;

/**
 * A problem when the field is not an integer a strict client can hold. `int64` fields (the timestamps) must also
 * fit 64 bits: an integral lexeme past that range fails the client's number parse just as `1.5` does.
 */
const integerField = (body: Record<string, unknown>, path: string[], int64 = false): string | undefined => {
  let value: unknown = body;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  const { kind, lexeme } = lexemeKind(value);
  if (kind === 'integer') return int64 && lexeme !== null && !fitsInt64(lexeme) ? `${path.join('.')} ${lexeme} overflows a 64-bit integer` : undefined;
  return kind === 'missing' ? `${path.join('.')} is missing` : `${path.join('.')} is ${lexeme} (${kind}), not an integer`;
};

const required = (body: Record<string, unknown>, fields: string[]): string[] => fields.filter((f) => body[f] === undefined || body[f] === null).map((f) => `${f} is missing or null`);

const chatRules: Rule = (body) => [
  ...required(body, ['id', 'object', 'model', 'choices']),
  ...[integerField(body, ['created'], true), ...['prompt_tokens', 'completion_tokens', 'total_tokens'].map((f) => (isRecord(body.usage) ? integerField(body, ['usage', f]) : undefined))].filter((p): p is string => p !== undefined),
];

const responsesRules: Rule = (body) => [
  ...required(body, ['id', 'object', 'model', 'status', 'output']),
  ...[integerField(body, ['created_at'], true), ...['input_tokens', 'output_tokens', 'total_tokens'].map((f) => (isRecord(body.usage) ? integerField(body, ['usage', f]) : undefined))].filter((p): p is string => p !== undefined),
];

function strictCheck(id: string, api: 'chat-completions' | 'responses', rules: Rule): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `What a strictly typed SDK (.NET, Go) makes of a ${api === 'responses' ? 'Response' : 'chat completion'}: integer timestamps and counts, required fields`,
    api,
    vocabulary: ['ok', 'breaks'],
    reference: { value: 'ok', source: 'sdk-reference: .NET and Go clients read timestamps and token counts as integers' },
    run(input) {
      const seen = observeOk(input);
      if ('settled' in seen) return seen.settled;
      // A probe asks every route prefix, and a client is pointed at one of them: the answer of each prefix that
      // answered 2xx is held to the rules (the created lexeme has differed by route, MANTLE.md), as created-at.*
      // reads them, and one that breaks a strict client breaks the cell, naming its path.
      const read = answeredExchanges(seen.outcome, seen.exchange.step).map((exchange) => ({ exchange, problems: problemsOf(exchange, rules) }));
      const evidence = read.map(({ exchange }) => evidenceOf(seen.caseId, exchange));
      // What breaks on one prefix is observed, whatever another's body hid (as sdk.openai.* weigh them).
      const broken = read.filter((r) => r.problems !== undefined && r.problems.length > 0);
      const where = (r: (typeof read)[number]) => (read.length > 1 ? `${r.exchange.request.path}: ` : '');
      if (broken.length) return judge(definition, input, 'breaks', evidence, broken.map((r) => `${where(r)}${r.problems!.join('; ')}`).join('; '));
      // A prefix whose 2xx stalled was not read (stalled-body.ts): `ok` would speak for it too.
      const stall = stalledAnswer(seen.outcome, seen.exchange.step);
      if (stall) return unobserved(input, stall.reason, [...evidence, evidenceOf(seen.caseId, stall.exchange)]);
      const deep = read.find((r) => r.problems === undefined);
      if (deep) return unobserved(input, `could not observe: ${deep.exchange.request.path}: the body is ${NESTED_TOO_DEEP}`, evidence);
      return judge(definition, input, 'ok', evidence, `${read.length > 1 ? `every prefix (${read.map((r) => r.exchange.request.path).join(', ')}): ` : ''}integer timestamps and counts, required fields present`);
    },
  };
  return definition;
}

/** What breaks a strict client in one 2xx's body; undefined when it nests too deep to read. */
function problemsOf(exchange: Exchange, rules: Rule): string[] | undefined {
  const parsed = losslessBody(exchange.response!);
  if (!parsed.ok && parsed.tooDeep) return undefined;
  if (!parsed.ok || !isRecord(parsed.value)) return ['the body is not a JSON object'];
  return rules(parsed.value);
}

export const strictClientChecks: readonly CheckDefinition[] = [
  strictCheck('sdk.strict.chat', 'chat-completions', chatRules),
  strictCheck('sdk.strict.responses', 'responses', responsesRules),
];
