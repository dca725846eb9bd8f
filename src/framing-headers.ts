/**
 * @module framing-headers
 * The request headers that frame the request (length, encoding, connection, host), in two lists: the ones no request
 * can carry, which a suite's `headers:` may not set (suite/load-suites.ts), and the wider set `--header-env` may not
 * name (cli/run-options.ts).
 */

/**
 * The headers that make a request unsendable: the HTTP client (undici 7) refuses Transfer-Encoding, Keep-Alive,
 * Upgrade and Expect whatever their value, and a Content-Length that is not the body's length, before anything is
 * sent (test/framing-headers.test.ts sends each). A suite cannot know the length of a body its templates fill in:
 * the harness sets Content-Length from the body it sends.
 */
export const UNSENDABLE_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

/**
 * What `--header-env` may not name: the unsendable headers, and those the HTTP client sends as given but the harness
 * otherwise sets from what it sends (Host, Connection, TE, Trailer, Content-Encoding). A suite may set these: its
 * case is the request under test (`Connection: close` to test without keep-alive, a `Host` for a gateway reached by
 * its IP). A `--header-env` header is a credential that goes on every request, and one of these there is a mistake.
 */
export const HEADER_ENV_REFUSED: ReadonlySet<string> = new Set([...UNSENDABLE_HEADERS, 'host', 'connection', 'te', 'trailer', 'content-encoding']);
