/**
 * Route errors vary; the classifier is pinned with Mantle's verbatim answers (MANTLE.md) so "Berm" is never a bad
 * key and a bad key is never an unsupported route.
 */
import { describe, expect, it } from 'vitest';
import { classifyAnswer, classifyResponse, errorEnvelope } from '../src/transport/classify-response.ts';

describe('classifyResponse', () => {
  it.each([
    {
      name: 'gemma-4 chat on /v1: 400 not on this route',
      status: 400,
      body: '{"error":{"code":"validation_error","message":"model `google.gemma-4-31b` isn\'t supported on this route","param":null,"type":"invalid_request_error"}}',
      kind: 'route-unsupported',
    },
    {
      name: 'Berm: a 401 that is a route error',
      status: 401,
      body: '{"error":{"code":"access_denied","message":"Berm is not enabled for this account","param":null,"type":"permission_denied_error"}}',
      kind: 'route-unsupported',
    },
    { name: 'a bad key: a real 401', status: 401, body: '{"error":{"code":"invalid_api_key","message":"Invalid API key provided.","type":"authentication_error"}}', kind: 'auth-rejected' },
    { name: 'a bare 401', status: 401, body: '', kind: 'auth-rejected' },
    { name: 'API not offered', status: 400, body: '{"error":{"message":"The model \'openai.gpt-5.6-terra\' does not support the \'/v1/chat/completions\' API"}}', kind: 'api-unsupported' },
    { name: 'region-prefixed id: 404 does not exist', status: 404, body: '{"error":{"code":"not_found_error","message":"The model \'us.openai.gpt-oss-20b\' does not exist","type":"not_found_error"}}', kind: 'model-unknown' },
    { name: 'Grok without the prefix: plain 404', status: 404, body: 'Not Found', kind: 'route-unsupported' },
    { name: 'a bad SigV4 signature is a credentials failure', status: 403, body: '{"message":"The request signature we calculated does not match the signature you provided."}', kind: 'auth-rejected' },
    { name: 'AWS permission error is forbidden, not a bad key', status: 403, body: '{"message":"User is not authorized to perform: bedrock-mantle:CreateInference"}', kind: 'forbidden' },
    { name: 'a feature rejection is the endpoint\'s answer', status: 400, body: '{"error":{"message":"Invalid \'messages[0].content\': array content is not supported for this model"}}', kind: 'rejected' },
    { name: 'throttled', status: 429, body: '{"message":"Too many tokens"}', kind: 'throttled' },
    { name: 'server error', status: 503, body: '', kind: 'server-error' },
    { name: 'ok', status: 200, body: '{}', kind: 'ok' },
    { name: 'Anthropic envelope', status: 404, body: '{"type":"error","error":{"type":"not_found_error","message":"model: openai.gpt-oss-20b"}}', kind: 'route-unsupported' },
  ])('$name -> $kind', ({ status, body, kind }) => {
    expect(classifyResponse(status, body).kind).toBe(kind);
    // A response is classified once, from the body's JSON the checks share, to the same answer.
    const response = { status, headers: {}, chunks: [{ t: 0, data: ` ${body}\n` }] };
    expect(classifyAnswer(response)).toEqual(classifyResponse(status, body));
    expect(classifyAnswer(response)).toBe(classifyAnswer(response));
  });

  it('a 6 MB message is classified by what it says, once per response', () => {
    const message = `${'E'.repeat(6 * 1024 * 1024)} isn't supported on this route`;
    const response = { status: 400, headers: {}, chunks: [{ t: 0, data: JSON.stringify({ error: { message, code: 'validation_error' } }) }] };
    expect(classifyAnswer(response)).toMatchObject({ kind: 'route-unsupported', message });
    expect(classifyAnswer(response)).toBe(classifyAnswer(response));
  });

  it('reads the message from every envelope', () => {
    expect(errorEnvelope('{"error":{"message":"a","code":"b","type":"c"}}')).toEqual({ message: 'a', code: 'b', type: 'c' });
    expect(errorEnvelope('{"type":"error","error":{"type":"invalid_request_error","message":"x"}}')).toEqual({ message: 'x', type: 'invalid_request_error' });
    expect(errorEnvelope('{"Message":"denied"}')).toEqual({ message: 'denied' });
    expect(errorEnvelope('{"type":"error","error":"{\\"message\\":\\"inner\\"}"}')?.message).toContain('inner');
    expect(errorEnvelope('plain text')).toEqual({ message: 'plain text' });
  });
});
