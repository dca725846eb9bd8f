/**
 * @module transport/request-secrets
 * Which parts of one request are secrets for the redactor (redactor.ts): the credential headers it carried, and the
 * endpoint URL's query values that may be credentials.
 */
import { withDerived } from './derived-secrets.ts';
import { MIN_SECRET_LENGTH, type Secret } from './redactor.ts';

/**
 * The secret parts of the credential headers one request carried: its SigV4 signature (new for every request),
 * a bearer token, a session token, a gateway key, each with what it carries (derived-secrets.ts). Dates and body
 * hashes that SigV4 adds are not secret.
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
  return withDerived(secrets);
}

/**
 * Names that say credential: `api-key` of Azure OpenAI, `code` of Azure Functions, `sig` and `sas` of Azure storage,
 * `md5`/`hmac` of signed URLs (nginx secure_link), `hdnts` (Akamai), `jwt`, `sessionid`, `pwd`. A value of any
 * other name is one too when it is long (MIN_SECRET_LENGTH) and not plain: a name (`api-version`, `model`,
 * `deployment`...) or a value (a date, a version, an id of lower-case words such as `openai.gpt-oss-20b` or
 * `my-gpt-4o-prod`) that says it is none. Such ids are what every answer echoes: redacting one changes what the
 * checks read (a review saw models.listed fail on a redacted `?deployment-id=`).
 */
const SECRET_WORD = /^(?:key|keys|token|secret|sig|signature|pass|passwd|password|passphrase|pwd|pw|session|sessionid|auth|authorization|credential|credentials|jwt|sas|bearer|assertion|ticket|md5|hmac|hash|hdnts|policy|verify|code)$/;
/** A word that joins a credential's name onto another (`apikey`, `accesstoken`, `clientsecret`). */
const JOINED_SECRET = /^(?:api|access|auth|client|security|session|private|app|subscription|master|refresh|id|x|sas|shared)(?:key|keys|token|secret|sig|signature|password|credential)$/;
/**
 * Named like a credential: a WORD of the name (split at `-`, `_`, `.` and camelCase) is one, so `x-api-key`,
 * `X-Amz-Signature`, `apikey` and `client_secret` are and `design`, `tokenizer`, `author` and `passage` are not
 * (a substring test refused record runs for `?design=v2`).
 */
const SECRET_PARAM = { test: (name: string) => paramWords(name).some((word) => SECRET_WORD.test(word) || JOINED_SECRET.test(word)) };
/**
 * Names whose short value is no sign of a secret: `?code=en`, `?verify=1`, `?policy=v2`. Their values are redacted as
 * credentials when long enough to be matched; a short one is neither warned about nor refused (auth/short-secrets.ts).
 */
const WEAK_WORD = /^(?:code|verify|policy|hash|md5|session|ticket|assertion)$/;

/** The words of a parameter's name, lower-cased: split at anything not a letter or digit and at camelCase. */
function paramWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** Whether a credential-named parameter may hold a short value that is no secret (WEAK_WORD names only). */
export function weakCredentialName(name: string): boolean {
  const words = paramWords(name);
  return words.every((word) => !(SECRET_WORD.test(word) || JOINED_SECRET.test(word)) || WEAK_WORD.test(word));
}
const PLAIN_PARAM = /^(?:api[-_]?version|version|v|model|model[-_]?id|deployment|deployment[-_]?id|region|user|tenant)$/i;
const PLAIN_VALUE = /^v?\d+(?:[.-]\d+)*(?:-[a-z]+(?:\.\d+)?)?$|^[a-z0-9]+(?:[.:_/-][a-z0-9]+)+$/;

/**
 * The values of a URL's query parameters that may be credentials (see SECRET_PARAM). `?api-version=2024-10-21` is
 * no secret, and redacting it would blank every date in every answer.
 */
export function secretsOfQuery(url: URL): Secret[] {
  const params = [...url.searchParams];
  // Named like a credential: any 12 characters of it in a row, plain or encoded, are redacted as a header's are.
  const named = credentialQueryParams(url);
  // Long and not plain, of another name: matched whole only (Secret.whole), with what it carries; 12 characters of
  // it in a row may be words an answer says anyway.
  const loose = params.filter(([name, value]) => !SECRET_PARAM.test(name) && value.length >= MIN_SECRET_LENGTH && !PLAIN_PARAM.test(name) && !PLAIN_VALUE.test(value));
  const secrets = (pairs: [string, string][]) => withDerived(pairs.map(([, value]) => ({ kind: 'query-credential', value })));
  return [...secrets(named), ...secrets(loose).map((secret) => ({ ...secret, whole: true }))];
}

/**
 * The query parameters of `url` named like credentials (SECRET_PARAM) that hold a value, as sent (decoded): held to
 * a header value's rules, the length a redactor can match included (auth/short-secrets.ts).
 */
export function credentialQueryParams(url: URL): [string, string][] {
  return [...url.searchParams].filter(([name, value]) => SECRET_PARAM.test(name) && value !== '');
}
