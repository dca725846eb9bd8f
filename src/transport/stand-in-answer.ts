/**
 * @module transport/stand-in-answer
 * Answers that something on the way gave in place of the endpoint's: a timeout said as a status, a 2xx that carries
 * no answer, a proxy's or WAF's HTML page. They say nothing about the model, so they are exchange errors, never a
 * verdict: read as answers, a 408 or an empty 200 made `api.*` say "supported" and a record run replace good
 * fixtures with them. What stays an answer, and why, is said at each rule; the status-only non-answers (redirects,
 * 1xx, 304, 407, 421) are `notAnAnswer` in classify-response.ts.
 */
import { bodyText, excerpt, isRecord, parseJsonText } from './body.ts';
import { isStreamResponse, type ExchangeError, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';

/**
 * Members of a 2xx body that make it an answer even when it also carries `error`: a Responses object that failed
 * inside a 200 (`status: "failed"`, `error: {code: "invalid_prompt"}`, MANTLE.md) is the endpoint's answer about
 * the model, and the checks read it.
 */
const ANSWER_MEMBERS = ['id', 'object', 'choices', 'output', 'content', 'data', 'input_tokens'];

/**
 * 4xx statuses whose HTML body is still read as the endpoint's answer: 401 is a credentials failure whoever says it
 * (the run stops with the fix); 404 and 405 say this path or method is not served where the harness sent it, which
 * is what the probes ask (Mantle's answer to a missing route prefix is a 404 whose body no capture shows); 408 and
 * 429 have their own rules (a timeout, a throttle: retried).
 */
const HTML_ANSWERS = new Set([401, 404, 405, 408, 429]);

/**
 * Why `response` is no answer about the model, as the exchange's error, or undefined when it is one. `request`
 * tells what was expected: a DELETE may answer a bare 2xx (what it did is in its status, and the lifecycle check
 * reads the GET that follows).
 */
export function standInAnswer(request: Pick<ExchangeRequest, 'method'>, response: ExchangeResponse): ExchangeError | undefined {
  const { status } = response;
  // A server or proxy that gave up waiting for the request: a timeout, retried like one (README "Retries").
  if (status === 408) {
    return { code: 'HARNESS_TIMEOUT', message: `the endpoint answered 408 (a server or proxy on the way timed out waiting): a timeout, not an answer about the model` };
  }
  const text = bodyText(response);
  if (status >= 200 && status < 300) return emptyHandedSuccess(request, response, text);
  if (status >= 400 && status < 500 && !HTML_ANSWERS.has(status) && isHtml(response, text)) {
    // Mantle answers every error in a JSON envelope (MANTLE.md): an HTML 400/403/413 comes from a proxy, a WAF or a
    // load balancer in front of it, and says what that box thinks of the request, not what the endpoint does. It
    // is not retried (a block or a size limit answers the same again). A JSON 403 stays the endpoint's answer:
    // AWS's "no access to this model" or a bad signature (classify-response.ts), never a verdict either way.
    return {
      code: 'HARNESS_NOT_AN_ANSWER',
      message: `the endpoint answered ${status} with an HTML page (${pageExcerpt(text)}) instead of an error envelope: a proxy, WAF or load balancer in front of the endpoint refused the request, not the endpoint; check what sits in front of --endpoint`,
    };
  }
  return undefined;
}

/**
 * A 2xx that carries no answer: an empty body, an HTML page (maintenance, a login, a captive portal), or an error
 * envelope with no completion (`{"error":{"message":"upstream connect error ..."}}`). A gateway says "OK" for an
 * upstream that failed: an outage in a 2xx, so it is a server error and retried as one. A stream's error frames
 * are not looked at here: they come after the stream began, and the stream checks judge them.
 */
function emptyHandedSuccess(request: Pick<ExchangeRequest, 'method'>, response: ExchangeResponse, text: string): ExchangeError | undefined {
  const { status } = response;
  const outage = (what: string): ExchangeError => ({
    code: 'HARNESS_SERVER_ERROR',
    message: `the endpoint answered ${status} with ${what} where JSON or an event stream was expected: an outage behind a ${status}, not an answer about the model`,
  });
  if (!text.trim()) {
    // 204 and 205 say "no body" themselves.
    if (status === 204 || status === 205 || request.method === 'DELETE') return undefined;
    return outage('an empty body');
  }
  if (isHtml(response, text)) return outage(`an HTML page (${pageExcerpt(text)})`);
  if (isStreamResponse(response) || !text.includes('"error"')) return undefined;
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const body = parsed.value;
  const error = body.error;
  if (!(isRecord(error) || (typeof error === 'string' && error)) || ANSWER_MEMBERS.some((member) => member in body)) return undefined;
  const message = isRecord(error) ? (typeof error.message === 'string' ? error.message : JSON.stringify(error)) : error;
  return outage(`an error and no completion (${excerpt(message, 160)})`);
}

/** An HTML page: said by its content type, or (whatever the type) a body that starts as markup; JSON and SSE never do. */
function isHtml(response: ExchangeResponse, text: string): boolean {
  const type = (response.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('html')) return true;
  return !isStreamResponse(response) && /^\s*</.test(text.slice(0, 64));
}

/** The page's title or first words, without its markup, for the reason. */
function pageExcerpt(text: string): string {
  const head = text.slice(0, 4096);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.trim();
  const words = title || head.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  return excerpt(words, 120) || 'no text';
}
