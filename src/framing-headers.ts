/**
 * @module framing-headers
 * The request headers the harness sets itself because they frame the request (length, encoding, connection, host):
 * a value from `--header-env` or a suite's `headers:` would corrupt the request, and the HTTP client refuses most of
 * them before anything is sent. One list, for both (cli/run-options.ts, suite/load-suites.ts).
 */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'content-encoding']);
