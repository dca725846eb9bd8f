/**
 * @module errors
 * One error base for the whole harness. Code and tests match on `code`, never on the message; the message names
 * the thing at fault (file:line:col, flag, model, case) and how to fix it.
 */

/** Every stable error code the harness raises, with what it means. Documented in the README's error table. */
export const ERROR_CODES = {
  HARNESS_USAGE: 'a command-line flag is missing, unknown or has a bad value',
  HARNESS_SUITE_INVALID: 'a suite file is not valid YAML or does not match the suite schema',
  HARNESS_CATALOG_INVALID: 'the model catalog is not valid YAML or does not match the catalog schema',
  HARNESS_EXPECTATIONS_INVALID: 'the expectations file is not valid YAML or does not match its schema',
  HARNESS_FILE_NOT_FOUND: 'a file or folder named by a flag or argument does not exist',
  HARNESS_AUTH_MISSING: 'live or record mode without credentials',
  HARNESS_AUTH_REJECTED: 'the endpoint rejected the credentials (a real 401/403, not a route error)',
  HARNESS_ROUTE_AUTH: 'a route prefix of a custom endpoint refused the credentials another of its prefixes accepted (the run carries on)',
  HARNESS_MODEL_SCOPE: 'a custom endpoint refused the credentials for one model in words that say the key may not use it (a gateway key limited to other models; the run carries on)',
  HARNESS_RECORDING_MISSING: 'replay found no recording for a request',
  HARNESS_RECORDING_INVALID: 'a fixture file cannot be read or does not match the fixture schema',
  HARNESS_RECORDING_KEPT: 'a record run kept the previous fixture of a case because the new exchanges hold an infrastructure failure, a stall or a denial',
  HARNESS_SECRET_IN_FIXTURE: 'a fixture about to be written contains something shaped like a credential',
  HARNESS_TIMEOUT: 'the endpoint did not answer within --timeout, or answered 408, after every retry',
  HARNESS_CONNECTION: 'the connection failed or was reset',
  HARNESS_STREAM_CUT: 'a response stopped before it ended (a stream, or a JSON body that ends before its JSON does)',
  HARNESS_STALLED: 'an answer began and then went silent for longer than --idle-timeout, and a later step needed it whole',
  HARNESS_THROTTLED: 'the endpoint kept answering 429 (or another 4xx that says throttled) after every retry',
  HARNESS_SERVER_ERROR: 'the endpoint kept answering 5xx, or a 2xx with no answer in it (empty, an HTML page, a gateway\'s error), after every retry',
  HARNESS_BODY_TOO_LARGE: 'a response body (decoded) exceeded the size the harness buffers',
  HARNESS_NOT_AN_ANSWER: 'the endpoint answered with something that says nothing about the model (a redirect, an unsolicited 100 or 101, 304, headers over the size limit, a body longer than its Content-Length, a proxy, an HTML error page from a WAF or proxy)',
  HARNESS_TEMPLATE: 'a step refers to a value an earlier step did not produce',
  HARNESS_ROUTE_UNKNOWN: 'the probes could not tell which route serves the model, so the case was not sent',
  HARNESS_MODEL_NOT_FOUND: 'the endpoint says the model does not exist on any route it was asked on',
  HARNESS_ACCESS_DENIED: 'every probe of the model was refused with a 403 that denies access (no access to the model, a key scoped to other models) or answered "Berm is not enabled for this account" on every route, so its cases were not sent; or that 401 answered the credentials check: the account is not enabled for Mantle',
  HARNESS_BUDGET: 'a spend cap (--max-requests, --max-tokens-total) was reached',
  HARNESS_BUDGET_EXCEEDED: "the gateway refused the request because a spend budget (the key's, a team's, or one model's) is spent; the run carries on",
  HARNESS_ENDPOINT_DOWN: 'a target stopped answering (--give-up-after requests in a row got no answer at all, and nothing answered for --timeout), so its requests not sent yet were not sent',
  HARNESS_INTERRUPTED: 'the run was interrupted (Ctrl-C or SIGTERM)',
  HARNESS_DISK_FULL: 'a file could not be written because the disk (or quota) is full',
  HARNESS_WRITE_FAILED: 'a file could not be written (permissions, a read-only file system, a file in the way)',
  HARNESS_REPORT_INVALID: 'a matrix.json given to report/compare/merge/table/bless cannot be read or used (bad JSON, a field that does not fit, cells missing or twice, shards that do not belong together)',
  HARNESS_HISTORY_INVALID: 'a run file in a history folder cannot be read or does not match the history schema',
  HARNESS_INTERNAL: 'a bug in the harness',
} as const;

export type HarnessErrorCode = keyof typeof ERROR_CODES;

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly code: HarnessErrorCode;
  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Turns anything thrown into a HarnessError, keeping the original as the cause. */
export function toHarnessError(value: unknown, fallback: HarnessErrorCode = 'HARNESS_INTERNAL'): HarnessError {
  if (value instanceof HarnessError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new HarnessError(fallback, message, { cause: value });
}

/** Whether a file system error `code` says the disk (or the user's quota) is full: HARNESS_DISK_FULL, not a path to fix. */
export function isDiskFull(code: string | undefined): boolean {
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Why a path or a stream took no write, in words, from the code the file system gave; a code not here is quoted as it is. */
export const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  EISDIR: 'is a folder',
  ENOTDIR: 'a file is in the way of its folder',
  EEXIST: 'a file is in the way of its folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'a read-only file system',
  EBADF: 'no such descriptor is open for writing',
  EPIPE: 'what read that stream has closed it',
};

/**
 * The error for a file that could not be written: a full disk (or quota) is HARNESS_DISK_FULL, anything else
 * HARNESS_WRITE_FAILED, both naming the path. The cause is kept.
 */
export function writeError(path: string, cause: unknown): HarnessError {
  if (cause instanceof HarnessError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (isDiskFull(code)) {
    return new HarnessError('HARNESS_DISK_FULL', `cannot write ${path}: no space left on the device (${code}); free some space and run again. Nothing half-written was left behind.`, { cause });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new HarnessError('HARNESS_WRITE_FAILED', `cannot write ${path}: ${detail}`, { cause });
}

/** Several problems found at once (every bad suite file, not only the first). */
export class HarnessErrorList extends HarnessError {
  readonly problems: readonly string[];
  constructor(code: HarnessErrorCode, problems: readonly string[], hint: string) {
    super(code, `${problems.join('\n')}\n${hint}`);
    this.problems = problems;
  }
}
