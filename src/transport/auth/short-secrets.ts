/**
 * @module transport/auth/short-secrets
 * The run's secrets too short for the redactor to match, named by flag and variable. Light on purpose: `run` asks it
 * before any auth provider (and the AWS signer they load) is built.
 */
import { MIN_SECRET_LENGTH } from '../redactor.ts';

/**
 * The secrets of `settings` shorter than MIN_SECRET_LENGTH, which the redactor does not match (they would blank
 * ordinary words): an endpoint that echoes one has it kept as sent. Each named by its flag and variable, never its value.
 */
export function tooShortToRedact(settings: { kind: string; apiKeyEnv: string; headerEnv?: readonly { header: string; env: string }[] | undefined }, env: NodeJS.ProcessEnv = process.env): { flag: string; name: string }[] {
  const short = (name: string) => {
    const value = env[name];
    return value !== undefined && value !== '' && value.length < MIN_SECRET_LENGTH;
  };
  return [
    ...(settings.kind === 'bearer' && short(settings.apiKeyEnv) ? [{ flag: `--api-key-env ${settings.apiKeyEnv}`, name: settings.apiKeyEnv }] : []),
    ...(settings.headerEnv ?? []).filter(({ env: name }) => short(name)).map(({ header, env: name }) => ({ flag: `--header-env ${header}=${name}`, name })),
  ];
}

/** What a secret too short to redact risks, for the warning and the refusal. */
export function tooShortReason(name: string): string {
  return `the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact from what the endpoint echoes (it would blank ordinary words)`;
}
