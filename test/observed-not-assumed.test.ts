/**
 * Verdicts that must rest on what the answer shows, not on a 2xx or a wording guess: a sampling value the Responses
 * echo shows overridden is `ignored` (as `requests.sdk-fields.*` say), a model list that says `has_more` cannot tell
 * `not-listed`, a refusal of the unknown project is read for what it can tell, and `responses.web-search` is
 * `supported` only when a search ran.
 */
import { describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import { projectRefusal, UNKNOWN_PROJECT } from '../src/checks/surface-features.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';

function exchange(path: string, sent: Record<string, unknown> | undefined, status: number, answer: unknown, method: 'GET' | 'POST' = 'POST'): Exchange {
  return {
    step: 'main',
    prefix: '/v1',
    request: { method, path, headers: { 'content-type': 'application/json' }, ...(sent ? { body: JSON.stringify(sent) } : {}) },
    attempts: 1,
    durationMs: 20,
    error: null,
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 10, data: JSON.stringify(answer) }] },
  };
}

type Api = 'chat-completions' | 'responses' | 'models';
const run = async (check: string, outcomes: { caseId: string; api: Api; exchanges: Exchange[] }[]): Promise<CheckResult> =>
  getCheck(check)!.run({ model: 'm', expectation: null, outcomes: outcomes.map((o) => ({ kind: 'completed' as const, ...o })) });

describe('params.temperature / params.top-p read the Responses echo', () => {
  const chat = (field: string) => ({ caseId: `x.chat`, api: 'chat-completions' as const, exchanges: [exchange('/v1/chat/completions', { model: 'm', [field]: 0.2 }, 200, { id: 'c', object: 'chat.completion', choices: [] })] });
  const responses = (field: string, echoed: number) => ({ caseId: `x.responses`, api: 'responses' as const, exchanges: [exchange('/v1/responses', { model: 'm', input: 'hi', [field]: 0.2 }, 200, { id: 'r', object: 'response', status: 'completed', output: [], [field]: echoed })] });

  for (const [check, field] of [['params.temperature', 'temperature'], ['params.top-p', 'top_p']] as const) {
    it(`${check}: an echo of another value is ignored, not accepted`, async () => {
      const result = await run(check, [chat(field), responses(field, 1)]);
      expect(result.observed).toBe('ignored');
      expect(result.reason).toContain(`echoes ${field} 1, not the 0.2 sent`);
    });

    it(`${check}: an echo of the value sent (a float's rounding aside) is accepted`, async () => {
      expect((await run(check, [chat(field), responses(field, 0.2)])).observed).toBe('accepted');
      expect((await run(check, [responses(field, 0.20000000298023224)])).observed).toBe('accepted');
      expect((await run(check, [chat(field)])).observed).toBe('accepted');
    });
  }
});

describe('models.listed reads one page', () => {
  const list = (ids: string[], hasMore?: boolean) => ({
    caseId: 'models.list',
    api: 'models' as const,
    exchanges: [exchange('/v1/models', undefined, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model' })), ...(hasMore === undefined ? {} : { has_more: hasMore }) }, 'GET')],
  });

  it('a page that says has_more without the model is inconclusive, not not-listed', async () => {
    const result = await run('models.listed', [list(['a', 'b'], true)]);
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/has_more: true/);
  });

  it('a whole list without the model is not-listed; a page holding it is listed', async () => {
    expect((await run('models.listed', [list(['a', 'b'], false)])).observed).toBe('not-listed');
    expect((await run('models.listed', [list(['a', 'b'])])).observed).toBe('not-listed');
    expect((await run('models.listed', [list(['a', 'm'], true)])).observed).toBe('listed');
  });
});

describe('headers.openai-project reads what a refusal can tell', () => {
  it('a refusal about the project itself, whatever its words, is honoured', async () => {
    for (const message of [`Project '${UNKNOWN_PROJECT}' does not exist`, 'OpenAI-Project header should match project for API key', 'mismatched project', `You have no access to project ${UNKNOWN_PROJECT}`, `Project ${UNKNOWN_PROJECT} is not allowed for this key`, 'Access to this project is not allowed', 'Unrecognized project', `Invalid header 'OpenAI-Project': project '${UNKNOWN_PROJECT}' not found`, `Unknown header value for OpenAI-Project: ${UNKNOWN_PROJECT}`]) {
      expect(projectRefusal(message), message).toBe('honoured');
    }
    const mismatched = exchange('/v1/chat/completions', { model: 'm', messages: [] }, 400, { error: { message: 'mismatched project', type: 'invalid_request_error', param: null, code: null } });
    expect((await run('headers.openai-project', [{ caseId: 'surface.project.chat', api: 'chat-completions', exchanges: [mismatched] }])).observed).toBe('honoured');
  });

  it('a refusal saying the header (or projects) are not taken is rejected', () => {
    for (const message of ['The OpenAI-Project header is not supported on this endpoint: only the default project is available.', 'Unsupported header: openai-project', 'Projects are not supported here', 'Invalid request: unexpected header openai-project', 'openai-project is not a supported header', 'This endpoint does not support the openai-project header', `Unsupported header OpenAI-Project: ${UNKNOWN_PROJECT}`]) {
      expect(projectRefusal(message), message).toBe('rejected');
    }
  });

  it('a refusal that says neither is inconclusive, not rejected', async () => {
    expect(projectRefusal('Bad Request')).toBeUndefined();
    // The header's own name, or a compound, is no word about the project asked for.
    expect(projectRefusal('Missing required parameter: messages. (project-scoped key)')).toBeUndefined();
    const refused = exchange('/v1/chat/completions', { model: 'm', messages: [] }, 400, { error: { message: 'Bad Request', type: 'invalid_request_error', param: null, code: null } });
    expect(await run('headers.openai-project', [{ caseId: 'surface.project.chat', api: 'chat-completions', exchanges: [refused] }])).toMatchObject({ status: 'inconclusive', observed: null });
  });
});

describe('responses.web-search needs a search', () => {
  const sent = { model: 'm', input: 'Reply with the word OK.', max_output_tokens: 16, tools: [{ type: 'web_search' }] };
  const answered = (output: unknown[], tools: unknown[] | undefined = [{ type: 'web_search' }], status = 'completed') =>
    run('responses.web-search', [{ caseId: 'surface.web-search', api: 'responses', exchanges: [exchange('/v1/responses', sent, 200, { id: 'r', object: 'response', status, output, ...(tools ? { tools } : {}) })] }]);
  const message = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'OK' }] };

  it('a 200 with no web_search_call is inconclusive, not supported', async () => {
    const result = await answered([message]);
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/no web_search_call/);
    expect((await answered([message], undefined)).status).toBe('inconclusive');
  });

  it('a 200 whose tools echo lacks web_search, with no search, is ignored', async () => {
    expect((await answered([message], [])).observed).toBe('ignored');
  });

  it('a web_search_call item is supported; one that failed is unobserved', async () => {
    const call = (status: string) => ({ id: 'ws_1', type: 'web_search_call', status, action: { type: 'search', query: 'x' } });
    expect((await answered([call('completed'), message])).observed).toBe('supported');
    expect(await answered([call('failed'), message])).toMatchObject({ status: 'error', observed: null });
  });

  it('a refusal, or status "failed", stays rejected', async () => {
    expect((await answered([], [{ type: 'web_search' }], 'failed')).observed).toBe('rejected');
    const refused = exchange('/v1/responses', sent, 400, { error: { message: "Server-side tools are not supported on this endpoint: 'web_search'.", type: 'invalid_request_error', param: 'tools', code: 'unsupported_tool' } });
    expect((await run('responses.web-search', [{ caseId: 'surface.web-search', api: 'responses', exchanges: [refused] }])).observed).toBe('rejected');
  });
});
