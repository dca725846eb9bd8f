/**
 * @module transport/auth/create-auth
 * Builds the auth provider a run asked for (`--auth`). Credentials are read here, in the process that sends.
 */
import { HarnessError } from '../../errors.ts';
import { withDerived } from '../derived-secrets.ts';
import { sendableHeaderValue } from '../headers.ts';
import { MIN_SECRET_LENGTH } from '../redactor.ts';
import { tooShortReason, tooShortToRedact } from './short-secrets.ts';
import { noAuth, type AuthProvider } from './auth.ts';
import { bearerFromEnv } from './bearer.ts';
import { envNameShown, headerEnvFlagShown, plausibleEnvName } from './env-name-shown.ts';
import { sigv4 } from './sigv4.ts';
import { shortTermToken } from './token.ts';

export interface AuthSettings {
  kind: 'bearer' | 'sigv4' | 'token' | 'none';
  apiKeyEnv: string;
  profile?: string;
  region?: string | null;
  /** The SigV4 service of the target's surface (`bedrock-mantle`, `bedrock`). @default bedrock-mantle */
  service?: string;
  /** Extra headers whose values come from the environment (gateway keys): treated as secrets. */
  headerEnv?: { header: string; env: string }[];
  /** The run writes fixtures, which are shared: a secret too short to redact is refused. @default false */
  recording?: boolean;
  /** The target's --endpoint: a credential its query carries (`?api-key=`) is held to the same length. */
  endpoints?: readonly (string | null | undefined)[];
}

/**
 * The provider `settings` ask for, with the --header-env values. A secret too short to redact is refused when
 * recording (fixtures are shared; `run` warns of one otherwise, short-secrets.ts).
 */
export function createAuth(settings: AuthSettings, env: NodeJS.ProcessEnv = process.env): AuthProvider {
  const short = settings.recording ? tooShortToRedact(settings, env)[0] : undefined;
  if (short) throw new HarnessError('HARNESS_USAGE', `${short.flag}: ${tooShortReason(short.name)}, and fixtures are shared; set ${short.name} to a value of ${MIN_SECRET_LENGTH} characters or more, or run with --mode live. Nothing was sent.`);
  const base = baseAuth(settings, env);
  if (!settings.headerEnv?.length) return base;
  const extra: Record<string, string> = {};
  for (const { header, env: name } of settings.headerEnv) {
    // Trimmed, as HTTP sends it (the spaces around a header value are not part of it): the secret the redactor looks
    // for is what the endpoint received and may echo, and the length refused above is measured on the same text.
    const { value, problem } = sendableHeaderValue(env[name] ?? '', 'http');
    // The value is a secret: the message names the variable, never what it holds; and the variable only when its
    // name is no key given in its place (env-name-shown.ts).
    const flag = headerEnvFlagShown(header, name);
    const shown = envNameShown(name, flag);
    if (!value) {
      const fix = plausibleEnvName(name) ? 'export it or drop the flag' : `give the NAME of the variable that holds the header's value (--header-env ${header}=MY_KEY_VAR) and export it, or drop the flag`;
      throw new HarnessError('HARNESS_AUTH_MISSING', `${flag}: ${shown} is not set${env[name] ? ' (it holds only spaces)' : ''}; ${fix}`);
    }
    if (problem) throw new HarnessError('HARNESS_USAGE', `${flag}: the value of ${shown} ${problem} (not shown: it may be a secret); set ${plausibleEnvName(name) ? name : 'that variable'} to the header's value alone. Nothing was sent.`);
    extra[header.toLowerCase()] = value;
  }
  // `Basic base64(user:pass)` carries the password: an endpoint that decodes it may echo it (derived-secrets.ts).
  const extraSecrets = withDerived(Object.values(extra).map((value) => ({ kind: 'header-env', value })));
  return {
    kind: base.kind,
    headers: async (request) => ({ ...extra, ...(await base.headers(request)) }),
    secrets: () => [...base.secrets(), ...extraSecrets],
  };
}

function baseAuth(settings: AuthSettings, env: NodeJS.ProcessEnv): AuthProvider {
  switch (settings.kind) {
    case 'bearer':
      return bearerFromEnv(settings.apiKeyEnv, env);
    case 'none':
      return noAuth;
    case 'sigv4':
    case 'token': {
      if (!settings.region) {
        throw new HarnessError('HARNESS_USAGE', `--auth ${settings.kind} signs for a region: add --region (with --endpoint, the region the endpoint is in)`);
      }
      const options = { region: settings.region, ...(settings.profile ? { profile: settings.profile } : {}) };
      return settings.kind === 'sigv4' ? sigv4({ ...options, ...(settings.service ? { service: settings.service } : {}) }) : shortTermToken(options);
    }
  }
}
