/**
 * @module transport/auth/create-auth
 * Builds the auth provider a run asked for (`--auth`). Credentials are read here, in the process that sends.
 */
import { HarnessError } from '../../errors.ts';
import { noAuth, type AuthProvider } from './auth.ts';
import { bearerFromEnv } from './bearer.ts';

export interface AuthSettings {
  kind: 'bearer' | 'sigv4' | 'token' | 'none';
  apiKeyEnv: string;
  profile?: string;
  region?: string | null;
}

export function createAuth(settings: AuthSettings): AuthProvider {
  switch (settings.kind) {
    case 'bearer':
      return bearerFromEnv(settings.apiKeyEnv);
    case 'none':
      return noAuth;
    default:
      throw new HarnessError('HARNESS_USAGE', `--auth ${settings.kind} is not available in this build; use --auth bearer`);
  }
}
