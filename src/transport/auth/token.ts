/**
 * @module transport/auth/token
 * A short-term Bedrock API key (`bedrock-api-key-...`) made locally from AWS credentials by AWS's Bedrock token
 * generator (a presigned CallWithBearerToken URL, valid up to 12 hours), sent as a bearer token.
 */
import { getToken } from '@aws/bedrock-token-generator';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AuthProvider } from './auth.ts';
import { credentialSource, secretsOf, type AwsCredentialOptions } from './sigv4.ts';

export function shortTermToken(options: AwsCredentialOptions): AuthProvider {
  const credentials = credentialSource(options);
  let token: Promise<string> | undefined;
  let seen: AwsCredentialIdentity | undefined;
  let value: string | undefined;
  return {
    kind: 'token',
    async headers() {
      // One token serves the run: it is valid for hours and making it needs no network.
      token ??= credentials().then(async (resolved) => {
        seen = resolved;
        value = await getToken({ credentials: resolved, region: options.region, expiresInSeconds: 3600 });
        return value;
      });
      return { authorization: `Bearer ${await token}` };
    },
    secrets: () => [...secretsOf(seen), ...(value ? [{ kind: 'bedrock-token', value }] : [])],
  };
}
