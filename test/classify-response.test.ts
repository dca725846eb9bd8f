/**
 * Route errors vary; the classifier is pinned with Mantle's verbatim answers (MANTLE.md) so "Berm" is never a bad
 * key and a bad key is never an unsupported route; what a proxy or gateway says in the endpoint's place (a 408, an
 * empty or HTML 2xx, an error in a 200, an HTML error page) is an exchange error, and the real answers stay answers.
 */
import { describe, expect, it } from 'vitest';
import { classifyAnswer, classifyResponse, errorEnvelope } from '../src/transport/classify-response.ts';
import { standInAnswer } from '../src/transport/stand-in-answer.ts';

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
    // A throttle with another 4xx is a throttle by its class or its words (MANTLE.md: Bedrock's ThrottlingException,
    // OpenAI's rate_limit_exceeded) ...
    { name: 'a 400 rate_limit_exceeded', status: 400, body: '{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}', kind: 'throttled' },
    { name: 'a 400 ThrottlingException', status: 400, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}', kind: 'throttled' },
    { name: 'a 400 namespaced ThrottlingException', status: 400, body: '{"__type":"com.amazon.coral.availability#ThrottlingException","message":"x"}', kind: 'throttled' },
    { name: 'a 400 TooManyRequestsException', status: 400, body: '{"__type":"TooManyRequestsException","message":"slow"}', kind: 'throttled' },
    { name: 'a 400 ServiceQuotaExceededException', status: 400, body: '{"__type":"ServiceQuotaExceededException","message":"Your request exceeds the service quota for your account. You can resubmit your request later."}', kind: 'throttled' },
    { name: 'a 400 Anthropic rate_limit_error', status: 400, body: '{"type":"error","error":{"type":"rate_limit_error","message":"x"}}', kind: 'throttled' },
    { name: 'a plain-text 400 Too many requests', status: 400, body: 'Too many requests', kind: 'throttled' },
    { name: 'a 400 Bedrock "Too many tokens, please wait"', status: 400, body: '{"message":"Too many tokens, please wait before trying again."}', kind: 'throttled' },
    { name: 'a 403 Rate exceeded', status: 403, body: '{"message":"Rate exceeded"}', kind: 'throttled' },
    { name: 'a 400 throttling_error code', status: 400, body: '{"error":{"code":"throttling_error","message":"x"}}', kind: 'throttled' },
    ...['Too many requests by this user', 'Too many requests with this API key', 'Too many requests on this account', 'Too many requests within a short period', 'Too many requests received in the last minute', 'Too many requests being made'].map((message) => ({ name: `a 400 "${message}"`, status: 400, body: JSON.stringify({ error: { message } }), kind: 'throttled' as const })),
    ...['Too many requests, max 60 per minute. Please retry later.', 'Too many requests (maximum 10 per second)'].map((message) => ({ name: `a 400 "${message}"`, status: 400, body: JSON.stringify({ error: { message } }), kind: 'throttled' as const })),
    { name: 'a 400 with a numeric code 429', status: 400, body: '{"error":{"code":429,"message":"x"}}', kind: 'throttled' },
    { name: "a 400 in Azure's words", status: 400, body: '{"error":{"message":"Requests to the Operation have exceeded token rate limit of your current pricing tier."}}', kind: 'throttled' },
    { name: 'a 400 whose type says throttled and whose message is empty', status: 400, body: '{"message":"","type":"throttled"}', kind: 'throttled' },
    // ... and a 400 about a limit of the request is the endpoint's answer about it, not a throttle.
    { name: 'a 400 max_tokens over the model\'s limit', status: 400, body: '{"error":{"message":"max_tokens exceeds the model\'s limit","type":"invalid_request_error"}}', kind: 'rejected' },
    { name: 'a 400 context length exceeded', status: 400, body: '{"error":{"message":"This model\'s maximum context length is 8192 tokens","code":"context_length_exceeded"}}', kind: 'rejected' },
    { name: 'a 400 too many tokens in the prompt', status: 400, body: '{"error":{"message":"Too many tokens in the prompt: 9000 > 8192"}}', kind: 'rejected' },
    { name: 'a 400 about a rate_limit parameter', status: 400, body: '{"error":{"message":"Unknown parameter: \'rate_limit\'","type":"invalid_request_error","code":"unknown_parameter"}}', kind: 'rejected' },
    { name: 'a 400 too many tokens in the prompt, try again shorter', status: 400, body: '{"error":{"message":"Too many tokens in the prompt; please try again with a shorter input."}}', kind: 'rejected' },
    { name: 'a 400 about too many tools', status: 400, body: '{"error":{"message":"Invalid \'tools\': too many requests tools"}}', kind: 'rejected' },
    { name: 'a 400 about too many items in the input array', status: 400, body: '{"error":{"message":"Too many requests in the input array (max 5)"}}', kind: 'rejected' },
    ...['Too many requests in a batch', 'Too many requests in the request body', 'Too many requests specified', 'too many requests, max 5 per batch'].map((message) => ({ name: `a 400 "${message}"`, status: 400, body: JSON.stringify({ error: { message } }), kind: 'rejected' as const })),
    { name: 'a 400 too many tools', status: 400, body: '{"error":{"message":"Too many tools: at most 128","type":"invalid_request_error"}}', kind: 'rejected' },
    { name: 'a 401 is credentials whatever it says', status: 401, body: '{"error":{"message":"Rate limit reached","code":"invalid_api_key"}}', kind: 'auth-rejected' },
    { name: 'server error', status: 503, body: '', kind: 'server-error' },
    { name: 'ok', status: 200, body: '{}', kind: 'ok' },
    { name: 'Anthropic envelope', status: 404, body: '{"type":"error","error":{"type":"not_found_error","message":"model: openai.gpt-oss-20b"}}', kind: 'route-unsupported' },
    // Other servers' words for an unknown model: a typo'd id must not read as "this route does not serve it".
    { name: 'ollama: model "x" not found', status: 404, body: '{"error":{"message":"model \\"xai.grok-4.33\\" not found, try pulling it first","type":"api_error","param":null,"code":null}}', kind: 'model-unknown' },
    { name: "ollama, single quotes", status: 404, body: `{"error":"model 'llama9' not found"}`, kind: 'model-unknown' },
    { name: 'vLLM: The model `x` does not exist', status: 404, body: '{"object":"error","message":"The model `xai.grok-4.33` does not exist.","type":"NotFoundError","code":404}', kind: 'model-unknown' },
    { name: 'Model not found: x', status: 404, body: '{"detail":"Model not found: xai.grok-4.33"}', kind: 'model-unknown' },
    { name: 'OpenRouter: x is not a valid model ID', status: 400, body: '{"error":{"message":"xai.grok-4-3 is not a valid model ID","code":400}}', kind: 'model-unknown' },
    { name: 'bedrock-runtime: The provided model identifier is invalid.', status: 400, body: '{"error":{"message":"The provided model identifier is invalid.","type":"invalid_request_error","code":"validation_error"}}', kind: 'model-unknown' },
    { name: 'a parameter that is not a valid model parameter stays a rejection', status: 400, body: '{"error":{"message":"\'foo\' is not a valid model parameter","type":"invalid_request_error"}}', kind: 'rejected' },
    // ... and what only looks like it stays what it was.
    { name: 'a bare Not Found envelope stays a route answer', status: 404, body: '{"error":{"code":"not_found","message":"Not Found","type":"not_found_error","param":null}}', kind: 'route-unsupported' },
    { name: 'a model that called a function that does not exist is no unknown model', status: 400, body: '{"error":{"message":"The model produced a tool call for a function that does not exist","type":"invalid_request_error"}}', kind: 'rejected' },
    { name: 'a bare id: model x does not exist', status: 404, body: '{"error":{"message":"model xai.grok-4.33 does not exist"}}', kind: 'model-unknown' },
    { name: 'a file that does not exist is no unknown model', status: 400, body: '{"error":{"message":"File \'file-abc123\' does not exist","type":"invalid_request_error","param":"file_id"}}', kind: 'rejected' },
    { name: 'a vector store that does not exist (404) is no unknown model', status: 404, body: '{"error":{"message":"Vector store with id \'vs_1\' does not exist.","type":"invalid_request_error"}}', kind: 'route-unsupported' },
    { name: 'an unknown project is no unknown model', status: 400, body: '{"error":{"message":"Project \'proj_x\' does not exist or you do not have access to it.","type":"invalid_request_error"}}', kind: 'rejected' },
    { name: 'a stored response that is gone is no unknown model', status: 404, body: '{"error":{"message":"Response with id \'resp_1\' not found.","type":"invalid_request_error"}}', kind: 'route-unsupported' },
    { name: 'a quoted model on the wrong route stays a route answer', status: 400, body: '{"error":{"message":"model `google.gemma-4-31b` isn\'t supported on this route"}}', kind: 'route-unsupported' },
    { name: 'a JSON 403 Forbidden is AWS\'s answer about access', status: 403, body: '{"message":"Forbidden"}', kind: 'forbidden' },
    // An error in a 200 in place of an answer: read by its words; what says neither "not here" nor "served" is neither.
    { name: 'a bad request answered 200', status: 200, body: '{"error":{"message":"Invalid type for \'temperature\'","type":"invalid_request_error","param":"temperature","code":"invalid_type"}}', kind: 'error-in-2xx' },
    { name: 'an Anthropic error in a 200', status: 200, body: '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}', kind: 'error-in-2xx' },
    { name: 'not on this route, said in a 200', status: 200, body: '{"error":{"code":"validation_error","message":"model `google.gemma-4-31b` isn\'t supported on this route","type":"invalid_request_error"}}', kind: 'route-unsupported' },
    { name: 'an unknown model, said in a 200', status: 200, body: '{"error":{"message":"The model \'xai.grok-4.33\' does not exist","type":"invalid_request_error","code":"model_not_found"}}', kind: 'model-unknown' },
    { name: 'a Responses object that failed inside a 200 is an answer', status: 200, body: '{"id":"resp_1","object":"response","status":"failed","error":{"code":"invalid_prompt","message":"bad"},"output":[]}', kind: 'ok' },
    { name: 'an error member beside a completion is an answer', status: 200, body: '{"choices":[],"error":{"message":"x","type":"y"}}', kind: 'ok' },
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

describe('standInAnswer: what something on the way said in place of the endpoint', () => {
  const answer = (status: number, body: string, type = 'application/json') => ({ status, headers: { 'content-type': type }, chunks: body ? [{ t: 0, data: body }] : [] });
  const post = { method: 'POST' } as const;

  it.each([
    { name: 'a 408 is a timeout', status: 408, body: 'Request Timeout', type: 'text/plain', code: 'HARNESS_TIMEOUT', says: /answered 408 .*a timeout, not an answer about the model/ },
    { name: 'an HTML 200 (maintenance page)', status: 200, body: '<html><body><h1>Down for maintenance</h1></body></html>', type: 'text/html', code: 'HARNESS_SERVER_ERROR', says: /200 with an HTML page \(Down for maintenance\)/ },
    { name: 'markup in a 200 that claims JSON', status: 200, body: '\n<!DOCTYPE html><title>Sign in</title>', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /HTML page \(Sign in\)/ },
    { name: 'an empty 200', status: 200, body: '', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /200 with an empty body/ },
    { name: 'a blank 200 stream to a request that asked for none', status: 200, body: '\n\n', type: 'text/event-stream', code: 'HARNESS_SERVER_ERROR', says: /empty event stream to a request that asked for no stream/ },
    { name: 'an error string in a 200', status: 200, body: '{"error":"Internal Server Error"}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /an error and no completion \(Internal Server Error\)/ },
    { name: 'an error with no type or code in a 200', status: 200, body: '{"error":{"message":"Bad request from the load balancer"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Bad request from the load balancer\)/ },
    { name: 'an error with no message in a 200', status: 200, body: '{"error":{"type":"invalid_request_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(\{"type":"invalid_request_error"\}\)/ },
    { name: 'an OpenAI server_error in a 200', status: 200, body: '{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(The server had an error/ },
    { name: 'a gateway\'s words in an API-shaped error in a 200', status: 200, body: '{"error":{"message":"no healthy upstream","type":"invalid_request_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(no healthy upstream\)/ },
    { name: 'a gateway\'s error envelope in a 200', status: 200, body: '{"error":{"message":"upstream connect error or disconnect/reset before headers","type":"server_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /an error and no completion \(upstream connect error/ },
    // A throttle in a 200 is a 429 in all but status: retried, never judged (errors.* would read "200, not a 4xx").
    { name: 'an OpenAI rate-limit error in a 200', status: 200, body: '{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Rate limit reached/ },
    { name: 'an Anthropic rate_limit_error in a 200', status: 200, body: '{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Number of requests/ },
    { name: 'a Bedrock ThrottlingException in a 200', status: 200, body: '{"error":{"message":"Too many requests, please wait before trying again.","code":"ThrottlingException"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Too many requests/ },
    { name: 'a gateway\'s "temporarily unavailable" in an API-shaped error in a 200', status: 200, body: '{"error":{"message":"Service temporarily unavailable","type":"invalid_request_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Service temporarily unavailable\)/ },
    // Only a client fault in a 200 is the endpoint's answer: an unknown class, a number that is not a 4xx, a message that says a server failed is an outage.
    { name: 'insufficient_quota in a 200', status: 200, body: '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(You exceeded/ },
    { name: 'a numeric 429 code in a 200', status: 200, body: '{"error":{"message":"slow","code":429}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(slow\)/ },
    { name: 'a numeric 500 code as a string in a 200 (litellm)', status: 200, body: '{"error":{"message":"boom","type":"None","param":null,"code":"500"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(boom\)/ },
    { name: 'RESOURCE_EXHAUSTED in a 200', status: 200, body: '{"error":{"message":"Resource has been exhausted","code":"RESOURCE_EXHAUSTED"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Resource has been exhausted\)/ },
    { name: 'ModelNotReadyException in a 200', status: 200, body: '{"error":{"message":"Model is not ready","code":"ModelNotReadyException"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Model is not ready\)/ },
    { name: 'an unknown error class in a 200', status: 200, body: '{"error":{"message":"something happened","type":"weird_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(something happened\)/ },
    { name: '"Request timeout" in a client-shaped error in a 200', status: 200, body: '{"error":{"message":"Request timeout","type":"invalid_request_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Request timeout\)/ },
    // A 2xx of text that is neither JSON nor an event stream is a proxy's, whatever its label.
    { name: 'Envoy\'s text/plain 200', status: 200, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', type: 'text/plain', code: 'HARNESS_SERVER_ERROR', says: /200 with text that is not JSON \(upstream connect error/ },
    { name: 'plain text labelled text/html in a 200', status: 200, body: 'Service temporarily unavailable. Please retry.', type: 'text/html', code: 'HARNESS_SERVER_ERROR', says: /200 with an HTML page \(Service temporarily unavailable/ },
    // A named class that is not a client fault is not made one by its words or by a loose 'invalid'.
    { name: 'InvalidResponseException in a 200', status: 200, body: '{"error":{"message":"bad upstream","code":"InvalidResponseException"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(bad upstream\)/ },
    { name: 'a named class with refusal-like words in a 200', status: 200, body: '{"error":{"message":"Session does not exist (server restarted)","type":"session_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Session does not exist/ },
    { name: 'a bare "route for model not found" in a 200', status: 200, body: '{"error":{"message":"Route for model not found"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Route for model not found\)/ },
    { name: 'API Gateway\'s typeless throttle in a 200', status: 200, body: '{"message":"Too Many Requests"}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /a gateway's message and no completion \(Too Many Requests\)/ },
    { name: 'unknown_error in a 200', status: 200, body: '{"error":{"message":"oops","type":"unknown_error"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(oops\)/ },
    { name: 'gRPC\'s UNKNOWN in a 200', status: 200, body: '{"error":{"message":"stream terminated","code":"UNKNOWN"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(stream terminated\)/ },
    { name: 'invalid_response in a 200', status: 200, body: '{"error":{"message":"the model returned nothing usable","type":"invalid_response"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion/ },
    { name: 'missing_completion in a 200', status: 200, body: '{"error":{"message":"no completion","code":"missing_completion"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion/ },
    // A Responses object that failed because the server did (OpenAI's "The server had an error while processing your request").
    { name: 'a Responses object that failed with server_error inside a 200', status: 200, body: '{"id":"resp_1","object":"response","status":"failed","error":{"code":"server_error","message":"The server had an error while processing your request. Sorry about that!"},"output":[]}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /a Responses object that failed with a server error \(The server had an error/ },
    { name: 'a Responses object that failed with rate_limit_exceeded inside a 200', status: 200, body: '{"id":"resp_1","object":"response","status":"failed","error":{"code":"rate_limit_exceeded","message":"slow down"},"output":[]}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /failed with a server error \(slow down\)/ },
    { name: 'an Anthropic error envelope in a 200', status: 200, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', type: 'application/json', code: 'HARNESS_SERVER_ERROR', says: /no completion \(Overloaded\)/ },
    { name: 'a WAF\'s HTML 403', status: 403, body: '<html><body>Request blocked by WAF. Reference #18.abc</body></html>', type: 'text/html', code: 'HARNESS_NOT_AN_ANSWER', says: /403 with an HTML page \(Request blocked by WAF\. Reference #18\.abc\) .*check what sits in front of --endpoint/ },
    { name: 'a proxy\'s HTML 413', status: 413, body: '<html>413 Request Entity Too Large</html>', type: 'text/html', code: 'HARNESS_NOT_AN_ANSWER', says: /413 with an HTML page \(413 Request Entity Too Large\)/ },
    // A body cut short with its framing whole (a strict prefix of JSON): an answer cut on the way, retried.
    { name: 'a 200 cut off mid-JSON', status: 200, body: '{"id":"chatcmpl-broken","choices":[{"message":{"content":"Hel', type: 'application/json', code: 'HARNESS_STREAM_CUT', says: /200 with a body that ends before its JSON does .*cut short on the way/ },
    { name: 'a 400 error envelope cut off mid-JSON', status: 400, body: '{"error":{"message":"bad temp', type: 'application/json', code: 'HARNESS_STREAM_CUT', says: /400 with a body that ends before its JSON does/ },
    { name: 'a proxy\'s HTML 400', status: 400, body: '<html><head><title>400 Request Header Or Cookie Too Large</title></head></html>', type: 'text/html', code: 'HARNESS_NOT_AN_ANSWER', says: /HTML page \(400 Request Header Or Cookie Too Large\)/ },
  ])('$name: $code', ({ status, body, type, code, says }) => {
    const error = standInAnswer(post, answer(status, body, type));
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(says);
  });

  it.each([
    { name: 'a completion', status: 200, body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[]}', type: 'application/json' },
    // MANTLE.md: a rejection can hide inside a 200; that is the endpoint's answer about the model, read by the checks.
    { name: 'a Responses object that failed inside a 200', status: 200, body: '{"id":"resp_1","object":"response","status":"failed","error":{"code":"invalid_prompt","message":"bad"},"output":[]}', type: 'application/json' },
    // Malformed partway is what the endpoint wrote (a body cut short, a strict prefix, is an outage: above).
    { name: 'a 200 malformed partway (the endpoint\'s answer, judged)', status: 200, body: '{"id":"chatcmpl-broken",,"choices":[{"message":{"content":"Hello"}}]}', type: 'application/json' },
    { name: 'a stream with an error frame (the stream checks judge it)', status: 200, body: 'data: {"error":{"message":"boom"}}\n\n', type: 'text/event-stream' },
    // A bad request answered 200 in the API's own envelope: the endpoint's answer, which errors.* judge nonconformant.
    { name: 'an OpenAI error envelope in a 200', status: 200, body: '{"error":{"message":"Invalid type for \'temperature\': expected a number","type":"invalid_request_error","param":"temperature","code":"invalid_type"}}', type: 'application/json' },
    { name: 'an error with a code and no type in a 200', status: 200, body: '{"error":{"code":"validation_error","message":"model `google.gemma-4-31b` isn\'t supported on this route"}}', type: 'application/json' },
    { name: 'an Anthropic error envelope (not a server failure) in a 200', status: 200, body: '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}', type: 'application/json' },
    // The body decides what is a page: JSON labelled text/html is an answer (a 2xx and a 4xx alike).
    { name: 'a completion labelled text/html', status: 200, body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[]}', type: 'text/html' },
    { name: 'a JSON 400 labelled text/html', status: 400, body: '  {"error":{"message":"bad temperature","type":"invalid_request_error","param":"temperature","code":null}}', type: 'text/html; charset=utf-8' },
    { name: 'Mantle\'s route error in a 200 (a validation_error: a client fault)', status: 200, body: '{"error":{"code":"validation_error","message":"model `x` isn\'t supported on this route"}}', type: 'application/json' },
    { name: 'a numeric 400 code in a 200', status: 200, body: '{"error":{"message":"bad temperature","code":400}}', type: 'application/json' },
    { name: 'a 4xx code as a string in a 200 (LiteLLM)', status: 200, body: '{"error":{"message":"Invalid model name","type":"None","param":null,"code":"400"}}', type: 'application/json' },
    { name: 'plain text labelled text/html in a 400 (Express sends a string so)', status: 400, body: "the model does not support the '/v1/responses' API", type: 'text/html; charset=utf-8' },
    // Client errors as real endpoints word them, in a 200: Mantle's refusals with no type or code, codes with no type.
    { name: 'Mantle\'s "does not support the API" with no type or code in a 200', status: 200, body: '{"error":{"message":"The model \'openai.gpt-5.6\' does not support the \'/v1/responses\' API"}}', type: 'application/json' },
    { name: 'an OpenAI code with no type in a 200', status: 200, body: '{"error":{"message":"Invalid \'messages[0].content\': string too long.","code":"string_above_max_length"}}', type: 'application/json' },
    { name: 'invalid_function_parameters in a 200', status: 200, body: '{"error":{"message":"bad schema","code":"invalid_function_parameters"}}', type: 'application/json' },
    { name: 'Anthropic\'s billing_error in a 200', status: 200, body: '{"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"}}', type: 'application/json' },
    { name: 'Azure\'s content_filter in a 200', status: 200, body: '{"error":{"message":"filtered","type":null,"param":"prompt","code":"content_filter","status":400}}', type: 'application/json' },
    // The same refusal words the probes' classifier believes, in a 200 with only a message.
    { name: 'a bare "not supported on this route" in a 200', status: 200, body: '{"error":{"message":"model `x` not supported on this route"}}', type: 'application/json' },
    { name: 'a bare "does not support this endpoint" in a 200', status: 200, body: '{"error":{"message":"The model does not support this endpoint"}}', type: 'application/json' },
    // A model id has dots: the words between "model" and "does not exist" are not one sentence.
    { name: 'a bare "The model \'us.x.y\' does not exist" in a 200', status: 200, body: '{"error":{"message":"The model \'us.openai.gpt-oss-20b\' does not exist"}}', type: 'application/json' },
    { name: 'a bare Berm refusal in a 200', status: 200, body: '{"error":{"message":"Berm is not enabled for this account"}}', type: 'application/json' },
    { name: 'a typeless message that says no failure in a 200', status: 200, body: '{"message":"Forbidden"}', type: 'application/json' },
    { name: 'a count_tokens answer', status: 200, body: '{"input_tokens":12}', type: 'application/json' },
    { name: 'a JSON 403 (AWS: no access to the model; classified forbidden)', status: 403, body: '{"message":"Forbidden"}', type: 'application/json' },
    { name: 'Mantle\'s 400 route error', status: 400, body: '{"error":{"code":"validation_error","message":"model `google.gemma-4-31b` isn\'t supported on this route"}}', type: 'application/json' },
    { name: 'Berm\'s 401', status: 401, body: '{"error":{"code":"access_denied","message":"Berm is not enabled for this account"}}', type: 'application/json' },
    { name: 'an HTML 404 (a path not served there: a route answer)', status: 404, body: '<html><body>404 Not Found</body></html>', type: 'text/html' },
    { name: 'an HTML 401 (credentials: the run stops)', status: 401, body: '<html>401 Authorization Required</html>', type: 'text/html' },
    { name: 'a 503 page (a 5xx: retried and an error by its status)', status: 503, body: '<html>Service Unavailable</html>', type: 'text/html' },
  ])('$name is an answer', ({ status, body, type }) => {
    expect(standInAnswer(post, answer(status, body, type))).toBeUndefined();
  });

  it('an empty event stream is an answer to a request that asked for a stream (the stream checks judge it), an outage to one that did not', () => {
    const streamed = { method: 'POST', body: '{"model":"m","stream":true,"messages":[]}' } as const;
    for (const body of ['', '\n\n']) {
      expect(standInAnswer(streamed, answer(200, body, 'text/event-stream'))).toBeUndefined();
      expect(standInAnswer({ method: 'POST', body: '{"model":"m","stream":false}' }, answer(200, body, 'text/event-stream'))?.code).toBe('HARNESS_SERVER_ERROR');
      // An empty body that is not a stream stays an outage, whatever the request asked for.
      expect(standInAnswer(streamed, answer(200, body))?.message).toMatch(/200 with an empty body/);
    }
  });

  it('an event stream under another content type is an answer to a request that asked for a stream (the stream checks judge its type), not to one that did not', () => {
    const streamed = { method: 'POST', body: '{"model":"m","stream":true,"messages":[]}' } as const;
    const frames = 'data: {"id":"c","choices":[]}\n\ndata: [DONE]\n\n';
    expect(standInAnswer(streamed, answer(200, frames, 'text/plain'))).toBeUndefined();
    expect(standInAnswer(post, answer(200, frames, 'text/plain'))?.message).toMatch(/200 with text that is not JSON \(data: /);
    // A DELETE's body is not its answer: "OK" or `true` after a delete is the endpoint's.
    for (const body of ['OK', 'true']) expect(standInAnswer({ method: 'DELETE' }, answer(200, body, 'text/plain'))).toBeUndefined();
    // ... unless it is a gateway's words.
    expect(standInAnswer({ method: 'DELETE' }, answer(200, 'upstream connect error or disconnect/reset before headers', 'text/plain'))?.code).toBe('HARNESS_SERVER_ERROR');
  });

  it('a stream whose first event is a throttle or a server failure never began: an outage; one cut short by such an event later is one too; other error frames are the stream checks\' to judge', () => {
    const streamed = { method: 'POST', body: '{"model":"m","stream":true,"messages":[]}' } as const;
    const sse = (body: string) => standInAnswer(streamed, answer(200, body, 'text/event-stream'));
    expect(sse('data: {"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}\n\n')?.message).toMatch(/event stream whose first event is a throttle or a server failure \(Rate limit reached/);
    expect(sse('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse(': keep-alive\n\ndata: {"error":{"message":"upstream connect error","code":503}}\n\n')?.code).toBe('HARNESS_SERVER_ERROR');
    // A client fault and an error of no known kind, first or later: answers, judged.
    expect(sse('data: {"error":{"message":"bad temperature","type":"invalid_request_error"}}\n\n')).toBeUndefined();
    expect(sse('data: {"error":{"message":"boom"}}\n\n')).toBeUndefined();
    const hi = 'data: {"id":"c","choices":[{"delta":{"content":"Hi"}}]}\n\n';
    expect(sse(`${hi}data: {"error":{"message":"content filtered","type":"invalid_request_error","code":"content_filter"}}\n\n`)).toBeUndefined();
    expect(sse(`${hi}data: {"error":{"message":"boom"}}\n\n`)).toBeUndefined();
    expect(sse('data: {"type":"response.created","response":{"id":"r","error":null}}\n\n')).toBeUndefined();
    // A throttle or a server failure after the stream began (Anthropic's overloaded_error mid-stream, Mantle's frames,
    // a Responses stream's response.failed): the answer was cut short by an outage.
    expect(sse(`${hi}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\n`)?.message).toMatch(/event stream that broke off after 1 event\(s\) with a throttle or a server failure \(Overloaded\): the answer was cut short, an outage/);
    const messages = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[]}}\n\nevent: ping\ndata: {"type":"ping"}\n\n';
    expect(sse(`${messages}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`)?.message).toMatch(/broke off after 2 event\(s\)/);
    expect(sse(`${hi}data: {"type":"error","error":"{\\"message\\":\\"upstream model error\\",\\"code\\":\\"model_error\\"}"}\n\n`)?.code).toBe('HARNESS_SERVER_ERROR');
    const created = 'data: {"type":"response.created","response":{"id":"r","status":"in_progress","error":null}}\n\n';
    expect(sse(`${created}data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"The server had an error"}}}\n\n`)?.message).toMatch(/broke off after 1 event\(s\) .*\(The server had an error\)/);
    expect(sse(`${created}data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"invalid_prompt","message":"flagged"}}}\n\n`)).toBeUndefined();
    // A failure frame the stream went on after did not cut it short: the stream checks judge the frame.
    expect(sse(`${hi}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\n${hi}data: [DONE]\n\n`)).toBeUndefined();
    expect(sse(`${hi}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\ndata: [DONE]\n\n`)?.code).toBe('HARNESS_SERVER_ERROR');
    // After the answer ended ([DONE], message_stop, response.completed), an error frame cut nothing short. A chat
    // finish_reason is not the end: the usage chunk asked for (include_usage) comes after it, and another choice may go on.
    const finished = 'data: {"id":"c","choices":[{"delta":{},"finish_reason":"stop"}]}\n\n';
    expect(sse(`${hi}${finished}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\ndata: [DONE]\n\n`)?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse(`${hi}data: [DONE]\n\ndata: {"error":{"message":"Overloaded","type":"server_error"}}\n\n`)).toBeUndefined();
    expect(sse(`${messages}event: message_stop\ndata: {"type":"message_stop"}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`)).toBeUndefined();
    // Events whose data only holds the words: an answer.
    expect(sse(`${hi}data: {"id":"c","choices":[{"delta":{"content":"the error message says Overloaded"}}]}\n\n`)).toBeUndefined();
    // The shapes the stream checks read as error frames: the Responses error event, Mantle's typeless and string frames.
    expect(sse('event: error\ndata: {"type":"error","code":"rate_limit_exceeded","message":"Rate limit reached","param":null,"sequence_number":0}\n\n')?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse('data: {"message":"Too many requests, please wait before trying again."}\n\n')?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse('data: {"type":"error","error":"{\\"type\\":\\"api_error\\",\\"message\\":\\"ServiceUnavailableException\\"}"}\n\n')?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse('data: {"type":"error","code":"invalid_prompt","message":"bad prompt"}\n\n')).toBeUndefined();
    expect(sse('data: {"message":"hello there"}\n\n')).toBeUndefined();
    // The class is in the code when the frame's own type is error.
    for (const code of ['UNKNOWN', 'DEADLINE_EXCEEDED', 'ModelErrorException', 'ModelStreamErrorException']) expect(sse(`data: {"type":"error","code":"${code}","message":"Stream removed"}\n\n`)?.code, code).toBe('HARNESS_SERVER_ERROR');
  });

  it('a JSON 400 labelled text/html is classified by its envelope; an HTML 400 page is not an answer', () => {
    const json = answer(400, '{"error":{"message":"bad temperature","type":"invalid_request_error","param":"temperature","code":null}}', 'text/html');
    expect(classifyAnswer(json)).toMatchObject({ kind: 'rejected', message: 'bad temperature' });
    expect(standInAnswer(post, answer(400, ' \n<html><body>Bad Request</body></html>', 'application/json'))?.code).toBe('HARNESS_NOT_AN_ANSWER');
  });

  it('a DELETE may answer an empty 2xx, a 204 included; a POST may not, a bodiless 204 or 205 neither', () => {
    expect(standInAnswer({ method: 'DELETE' }, answer(200, ''))).toBeUndefined();
    expect(standInAnswer({ method: 'DELETE' }, answer(204, '', ''))).toBeUndefined();
    expect(standInAnswer(post, answer(200, ''))?.code).toBe('HARNESS_SERVER_ERROR');
    for (const status of [204, 205]) expect(standInAnswer(post, answer(status, '', ''))?.message, String(status)).toMatch(new RegExp(`answered ${status} with an empty body`));
  });

  it('an AWS error class named only in x-amzn-ErrorType is read as the class; a body\'s own code or type wins', () => {
    const aws = (status: number, body: string, errorType: string) => ({ ...answer(status, body), headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType } });
    const quota = '{"message":"Your request exceeds the service quota for your account. You can resubmit your request later."}';
    expect(classifyAnswer(aws(400, quota, 'ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.bedrock/'))).toMatchObject({ kind: 'throttled', rule: '4xx-throttle' });
    expect(classifyAnswer(aws(400, '', 'ThrottlingException'))).toMatchObject({ kind: 'throttled', message: 'ThrottlingException' });
    expect(classifyResponse(400, quota, 'ThrottlingException:ns').kind).toBe('throttled');
    // Without the header (a caller with no headers), the same body is the endpoint's rejection, as before.
    expect(classifyResponse(400, quota).kind).toBe('rejected');
    expect(classifyAnswer(answer(400, quota)).kind).toBe('rejected');
    expect(classifyAnswer(aws(400, '{"message":"bad temperature"}', 'ValidationException')).kind).toBe('rejected');
    expect(classifyAnswer(aws(400, '{"error":{"message":"bad temperature","type":"invalid_request_error"}}', 'ThrottlingException')).kind).toBe('rejected');
  });

  it('an HTML 404 and a JSON 403 keep their classification', () => {
    expect(classifyAnswer(answer(404, '<html><body>404 Not Found</body></html>', 'text/html')).kind).toBe('route-unsupported');
    expect(classifyAnswer(answer(403, '{"message":"Forbidden"}')).kind).toBe('forbidden');
  });
});
