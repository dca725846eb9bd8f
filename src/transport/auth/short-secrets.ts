/**
 * @module transport/auth/short-secrets
 * The run's secrets too short for the redactor to match, named by flag and variable. Light on purpose: `run` asks it
 * before any auth provider (and the AWS signer they load) is built.
 */
import { headerValueAsSent } from '../headers.ts';
import { MIN_SECRET_LENGTH } from '../redactor.ts';
import { credentialQueryParams, weakCredentialName } from '../request-secrets.ts';
import { envFlagShown, envNameShown, headerEnvFlagShown } from './env-name-shown.ts';

/**
 * The secrets of `settings` shorter than MIN_SECRET_LENGTH, which the redactor does not match (they would blank
 * ordinary words): an endpoint that echoes one has it kept as sent. Each named by its flag and variable as messages
 * show them (a name that may be the key itself is not quoted), never its value. `endpoints`: the targets' --endpoint
 * URLs, whose query values named like credentials (`?api-key=`) are redacted as a header's value is, and so are
 * held to the same length, named by their parameter.
 */
export function tooShortToRedact(settings: { kind: string; apiKeyEnv: string; headerEnv?: readonly { header: string; env: string }[] | undefined; endpoints?: readonly (string | null | undefined)[] | undefined }, env: NodeJS.ProcessEnv = process.env): { flag: string; name: string }[] {
  // Measured as sent: the key and header values go out trimmed (HTTP drops the spaces around a header value), so
  // '  k7Qz9w  ' is six characters the redactor cannot match, not ten.
  const short = (name: string, sent: (value: string) => string) => {
    const raw = env[name];
    const value = raw === undefined ? undefined : sent(raw);
    return value !== undefined && value !== '' && value.length < MIN_SECRET_LENGTH;
  };
  return [
    // Named for messages: a name that may be the key itself is not quoted (env-name-shown.ts).
    ...(settings.kind === 'bearer' && short(settings.apiKeyEnv, (v) => v.trim()) ? [{ flag: envFlagShown(settings.apiKeyEnv, '--api-key-env'), name: envNameShown(settings.apiKeyEnv, '--api-key-env') }] : []),
    ...(settings.headerEnv ?? []).filter(({ env: name }) => short(name, headerValueAsSent)).map(({ header, env: name }) => ({ flag: headerEnvFlagShown(header, name), name: envNameShown(name, headerEnvFlagShown(header, name)) })),
    ...shortQueryValues(settings.endpoints ?? []),
  ];
}

/** The credential-named query parameters of `endpoints` whose value is too short to redact, each named once. */
function shortQueryValues(endpoints: readonly (string | null | undefined)[]): { flag: string; name: string }[] {
  const names = new Set<string>();
  for (const endpoint of endpoints) {
    const url = endpoint ? URL.parse(endpoint) : null;
    // `?code=en`: a name that also names plain things says too little to refuse a short value (request-secrets.ts).
    for (const [name, value] of url ? credentialQueryParams(url) : []) if (value.length < MIN_SECRET_LENGTH && !weakCredentialName(name)) names.add(name);
  }
  // The name is the user's own, JSON-quoted: a decoded `%0A` in it cannot break the message's line.
  return [...names].map((name) => ({ flag: '--endpoint', name: `the query parameter ${JSON.stringify(name)}` }));
}

/** What a secret too short to redact risks, for the warning and the refusal. */
export function tooShortReason(name: string): string {
  return `the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact from what the endpoint echoes (it would blank ordinary words)`;
}
