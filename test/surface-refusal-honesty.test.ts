/**
 * The surface checks read a 4xx as the endpoint's answer about what they ask only when it is about that (review of
 * a hostile model server): `models.profile-id` is `not-found` for a refusal of the model (404 "does not exist", a
 * route that does not know it) or a rejection naming the model, never for a bare "Request validation failed" or one
 * naming max_tokens (`inconclusive`); a refusal naming another field the request sent is no refusal of the
 * web_search tool, nor of the OpenAI-Project header. The answers about what is asked are still read.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

/** `check` on case `caseId` answered `status` with the error envelope `error` (or a 200 body with `json`). */
async function judged(check: string, caseId: string, status: number, error: Record<string, unknown>): Promise<CheckResult> {
  const at = await caseStep(caseId);
  const json = status < 300 ? error : { error: { type: 'invalid_request_error', ...error } };
  return judgeOn(check, caseId, at.spec.api, [answeredWith(at, { status, json })]);
}

describe('models.profile-id: not-found only when the refusal is about the model', () => {
  it('a 400 that says nothing about the model is inconclusive', async () => {
    const result = await judged('models.profile-id', 'surface.profile-id.chat', 400, { message: 'Request validation failed', code: 'validation_error' });
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/says nothing about the model/);
  });

  it('a 400 naming max_tokens, which the request sent, is inconclusive', async () => {
    const result = await judged('models.profile-id', 'surface.profile-id.chat', 400, { message: 'max_tokens: must be greater than or equal to 1024', param: 'max_tokens' });
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/refused for max_tokens, not for the profile id/);
  });

  it('a 400 naming a field the request did not send is not about the model either', async () => {
    const result = await judged('models.profile-id', 'surface.profile-id.chat', 400, { message: 'bad value', param: 'seed' });
    expect(result).toMatchObject({ status: 'inconclusive', observed: null });
    expect(result.reason).toMatch(/is about seed, not the model/);
  });

  it('a 404 "does not exist", a 400 naming the model, and a 200 are read', async () => {
    expect((await judged('models.profile-id', 'surface.profile-id.chat', 404, { message: 'The model us.test.model does not exist.' })).observed).toBe('not-found');
    expect((await judged('models.profile-id', 'surface.profile-id.chat', 400, { message: 'Unsupported value', param: 'model' })).observed).toBe('not-found');
    expect((await judged('models.profile-id', 'surface.profile-id.chat', 400, { message: 'us.test.model is not available in this region' })).observed).toBe('not-found');
    expect((await judged('models.profile-id', 'surface.profile-id.chat', 200, { object: 'chat.completion', choices: [] })).observed).toBe('served');
  });
});

describe('responses.web-search and headers.openai-project: a refusal of another field is no answer about them', () => {
  it('web_search: a 400 naming max_output_tokens is inconclusive; one naming the tool is rejected', async () => {
    const bound = await judged('responses.web-search', 'surface.web-search', 400, { message: 'max_output_tokens: must be at least 256', param: 'max_output_tokens' });
    expect(bound).toMatchObject({ status: 'inconclusive', observed: null });
    expect(bound.reason).toMatch(/refused for max_output_tokens, not for the web_search tool/);
    expect((await judged('responses.web-search', 'surface.web-search', 400, { message: 'Tool type web_search is not supported', param: 'tools' })).observed).toBe('rejected');
    expect((await judged('responses.web-search', 'surface.web-search', 400, { message: 'Tool type web_search is not supported' })).observed).toBe('rejected');
  });

  it('OpenAI-Project: a 400 naming max_tokens as not supported is inconclusive; a refusal of the header or the project is read', async () => {
    const bound = await judged('headers.openai-project', 'surface.project.chat', 400, { message: 'max_tokens value not supported', param: 'max_tokens' });
    expect(bound).toMatchObject({ status: 'inconclusive', observed: null });
    expect(bound.reason).toMatch(/refused for max_tokens, not for the OpenAI-Project header/);
    expect((await judged('headers.openai-project', 'surface.project.chat', 400, { message: 'Unsupported header OpenAI-Project' })).observed).toBe('rejected');
    expect((await judged('headers.openai-project', 'surface.project.chat', 404, { message: "Project 'proj_mantle-conformance-no-such-project' not found" })).observed).toBe('honoured');
  });
});
