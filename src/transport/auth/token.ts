/**
 * @module transport/auth/token
 * A short-term Bedrock API key (`bedrock-api-key-...`) made locally from AWS credentials by AWS's Bedrock token
 * generator (a presigned CallWithBearerToken URL, valid up to 12 hours), sent as a bearer token.
 */
import { getToken } from '@aws/bedrock-token-generator';
import type { AwsCredentialIdentity } from '@smithy/types';
import { withDerived } from '../derived-secrets.ts';
import type { AuthProvider, Secret } from './auth.ts';
import { credentialSource, secretsOf, type AwsCredentialOptions } from './sigv4.ts';

/** A provider that makes one short-term token from `options`' AWS credentials and sends it as a bearer token. */
export function shortTermToken(options: AwsCredentialOptions): AuthProvider {
  const credentials = credentialSource(options);
  let token: Promise<string> | undefined;
  let seen: AwsCredentialIdentity | undefined;
  // The token and what it carries: its presigned URL's signature is a credential of its own (derived-secrets.ts).
  let tokenSecrets: Secret[] = [];
  return {
    kind: 'token',
    async headers() {
      // One token serves the run: it is valid for hours and making it needs no network.
      token ??= credentials().then(async (resolved) => {
        seen = resolved;
        const value = await getToken({ credentials: resolved, region: options.region, expiresInSeconds: 3600 });
        tokenSecrets = withDerived([{ kind: 'bedrock-token', value }]);
        return value;
      });
      return { authorization: `Bearer ${await token}` };
    },
    secrets: () => [...secretsOf(seen), ...tokenSecrets],
  };
}
