/**
 * created-at.* read every prefix the probe asked (review of a hostile model server answering `/v1` with an integer
 * `created` and `/openai/v1` with `1.7635E9`): prefixes that disagree give the non-integer, the one sdk.strict.* read
 * when it is one (so the two agree), with what each other prefix sent in the reason. Prefixes that agree give
 * their lexeme as before.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const chat = (created: string) =>
  `{"id":"chatcmpl-1","object":"chat.completion","created":${created},"model":"test.model","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`;

/** `check` on probe.chat answered on /v1 and then /openai/v1 (probe order) with these `created` lexemes (null: a 404). */
async function probe(check: string, v1: string | null, openai: string | null): Promise<CheckResult> {
  const exchanges = await Promise.all(
    ([['/v1', v1], ['/openai/v1', openai]] as const).map(async ([prefix, created]) => {
      const at = await caseStep('probe.chat', { prefix });
      return answeredWith(at, created === null ? { status: 404, json: { error: { message: 'Not Found' } } } : { text: chat(created) });
    }),
  );
  return judgeOn(check, 'probe.chat', 'chat-completions', exchanges);
}

describe('created-at.chat reads every prefix that answered', () => {
  it('an exponent on /openai/v1 (the exchange sdk.strict.chat reads) is the finding, the integer on /v1 named', async () => {
    const created = await probe('created-at.chat', '1763500000', '1.7635E9');
    expect(created.observed).toBe('exponent');
    expect(created.reason).toMatch(/created = 1\.7635E9 on \/openai\/v1\/chat\/completions; \/v1\/chat\/completions: created = 1763500000 \(integer\)$/);
    expect(created.evidence.map((e) => e.request)).toEqual(['POST /openai/v1/chat/completions', 'POST /v1/chat/completions']);
    expect((await probe('sdk.strict.chat', '1763500000', '1.7635E9')).observed).toBe('breaks');
  });

  it('an exponent on /v1 alone is still the finding: a client pointed at /v1 breaks', async () => {
    const created = await probe('created-at.chat', '1.7635E9', '1763500000');
    expect(created.observed).toBe('exponent');
    expect(created.reason).toMatch(/on \/v1\/chat\/completions; \/openai\/v1\/chat\/completions: created = 1763500000 \(integer\)$/);
  });

  it('the sdk.* exchange is preferred when both deviate differently', async () => {
    const created = await probe('created-at.chat', '1763500000.0', '1.7635E9');
    expect(created.observed).toBe('exponent');
    expect(created.reason).toMatch(/\/v1\/chat\/completions: created = 1763500000\.0 \(float\)$/);
  });

  it('prefixes that agree, or one prefix that answered, give their lexeme with no other named', async () => {
    const both = await probe('created-at.chat', '1763500000', '1763500001');
    expect(both).toMatchObject({ observed: 'integer' });
    expect(both.reason).toMatch(/created = 1763500000$/);
    expect(both.evidence).toHaveLength(1);
    expect((await probe('created-at.chat', null, '1.7635E9')).observed).toBe('exponent');
    expect((await probe('created-at.chat', '1.7635E9', '1.7635e+9')).observed).toBe('exponent');
  });
});

describe('sdk.strict.chat holds every prefix that answered to the rules, as created-at.chat reads them', () => {
  it('an exponent on /v1 alone breaks it, naming the path; integers on both are ok', async () => {
    const v1 = await probe('sdk.strict.chat', '1.7635E9', '1763500000');
    expect(v1.observed, v1.reason).toBe('breaks');
    expect(v1.reason).toContain('/v1/chat/completions: created is 1.7635E9 (exponent), not an integer');
    expect((await probe('created-at.chat', '1.7635E9', '1763500000')).observed).toBe('exponent');
    const both = await probe('sdk.strict.chat', '1763500000', '1763500001');
    expect(both.observed, both.reason).toBe('ok');
    expect(both.reason).toContain('every prefix (/v1/chat/completions, /openai/v1/chat/completions)');
    expect((await probe('sdk.strict.chat', null, '1763500000')).observed).toBe('ok');
  });

  it('what breaks on one prefix is the finding, though the other prefix nests too deep to read; alone, that is an error', async () => {
    const deep = `1763500000,"deep":${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
    const broken = await probe('sdk.strict.chat', deep, '1.7635E9');
    expect(broken.observed, broken.reason).toBe('breaks');
    expect(broken.reason).toContain('/openai/v1/chat/completions: created is 1.7635E9 (exponent)');
    const hidden = await probe('sdk.strict.chat', deep, '1763500000');
    expect(hidden.status, hidden.reason).toBe('error');
    expect(hidden.reason).toMatch(/^could not observe: \/v1\/chat\/completions: the body is JSON nested deeper/);
  });
});

describe('sdk.openai.* feed every prefix that answered to the SDK, as sdk.strict.* reads them', () => {
  it.each(['sdk.openai.chat', 'sdk.openai-bedrock.chat'])('%s: a mistyped created on /v1 alone is mistyped, naming the path; both parsed are ok', async (check) => {
    const v1 = await probe(check, '"1763500000"', '1763500000');
    expect(v1.observed, v1.reason).toBe('mistyped');
    expect(v1.reason).toContain('/v1/chat/completions: created is string, not number');
    expect(v1.evidence.map((e) => e.request)).toEqual(['POST /v1/chat/completions', 'POST /openai/v1/chat/completions']);
    const openai = await probe(check, '1763500000', '"1763500000"');
    expect(openai.observed, openai.reason).toBe('mistyped');
    expect(openai.reason).toContain('/openai/v1/chat/completions: created is string');
    const both = await probe(check, '1763500000', '1.7635E9');
    expect(both.observed, both.reason).toBe('ok');
    expect(both.reason).toContain('every prefix (/v1/chat/completions, /openai/v1/chat/completions)');
    const one = await probe(check, null, '"1763500000"');
    expect(one.observed).toBe('mistyped');
    expect(one.reason).toMatch(/; created is string, not number$/);
  });
});
