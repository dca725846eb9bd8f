/**
 * @module transport/request-secrets
 * Which parts of one request are secrets for the redactor (redactor.ts): the credential headers it carried, and the
 * endpoint URL's query values that may be credentials.
 */
import type { Secret } from './redactor.ts';

/**
 * The secret parts of the credential headers one request carried: its SigV4 signature (new for every request),
 * a bearer token, a session token, a gateway key. Dates and body hashes that SigV4 adds are not secret.
 */
export function secretsOfAuthHeaders(headers: Readonly<Record<string, string>>): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const signature = /Signature=([0-9a-f]{64})/.exec(value)?.[1];
      if (signature) secrets.push({ kind: 'sigv4-signature', value: signature });
      const bearer = /^Bearer\s+(\S+)$/i.exec(value)?.[1];
      if (bearer) secrets.push({ kind: 'api-key', value: bearer });
    } else if (lower === 'x-amz-security-token') {
      secrets.push({ kind: 'aws-session-token', value });
    } else if (lower !== 'x-amz-date' && lower !== 'x-amz-content-sha256') {
      secrets.push({ kind: 'header-env', value });
    }
  }
  return secrets;
}

/**
 * Names that say credential: `api-key` of Azure OpenAI, `code` of Azure Functions, `sig` and `sas` of Azure storage,
 * `jwt`, `sessionid`, `assertion`, `ticket`. Only those: a long value of another name is as likely a deployment or
 * a model id (`?deployment-id=openai.gpt-oss-20b`) that every answer echoes, and redacting it would change what the
 * checks read (a review saw models.listed fail on a redacted id).
 */
const SECRET_PARAM = /key|token|secret|sig|pass|session|auth|credential|jwt|sas|bearer|assertion|ticket|^pw$|^code$/i;

/**
 * The values of a URL's query parameters whose names say credential. `?api-version=2024-10-21` is no secret, and
 * redacting it would blank every date in every answer.
 */
export function secretsOfQuery(url: URL): Secret[] {
  return [...url.searchParams].filter(([name, value]) => value !== '' && SECRET_PARAM.test(name)).map(([, value]) => ({ kind: 'query-credential', value }));
}
