/**
 * @module transport/auth/sigv4
 * AWS Signature Version 4 for the target's surface: service `bedrock-mantle` on Mantle (seeds/truefoundry;
 * openai-node's Bedrock provider does the same), `bedrock` on bedrock-runtime (src/surfaces.ts), credentials from the AWS default provider chain or a named profile. The signature, the access key
 * id and the session token only ever travel in the outgoing request's headers.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { HarnessError } from '../../errors.ts';
import { AddedInOrder } from '../secret-pieces.ts';
import { ChainLogger, chainFailureMessage, profileAsked } from './credential-chain-error.ts';
import type { AuthProvider, OutgoingRequest, Secret } from './auth.ts';

/** The service Mantle's endpoint signs for; bedrock-runtime's is `bedrock` (SURFACE_RULES). */
export const SIGV4_SERVICE = 'bedrock-mantle';

export interface AwsCredentialOptions {
  region: string;
  /** Named profile from the shared config files; default: the default provider chain. */
  profile?: string;
  /** Explicit credentials (tests); default: the AWS default provider chain. */
  credentials?: AwsCredentialIdentityProvider;
}

/** Resolves credentials once per call site, turning the SDK's error into one that says what to set. */
export function credentialSource(options: AwsCredentialOptions): () => Promise<AwsCredentialIdentity> {
  // The chain's own logger prints an eight-line warning of AWS_PROFILE when a profile and the AWS_* keys are both
  // there; the error below says what it means for this run instead. It keeps what the chain's links said: the chain
  // throws only its last link's "Could not load credentials from any providers" (credential-chain-error.ts).
  const logger = new ChainLogger();
  const provider = options.credentials ?? defaultProvider({ ...(options.profile ? { profile: options.profile } : {}), logger });
  return async () => {
    logger.begin();
    try {
      return await provider();
    } catch (cause) {
      // AWS_PROFILE picks a profile as --profile does (the chain then skips the AWS_* keys): said as such.
      const message = chainFailureMessage({ ...profileAsked(options.profile), cause, said: logger.said() });
      throw new HarnessError('HARNESS_AUTH_MISSING', message, { cause });
    } finally {
      logger.end();
    }
  };
}

export function secretsOf(credentials: AwsCredentialIdentity | undefined): Secret[] {
  if (!credentials) return [];
  const secrets: Secret[] = [
    { kind: 'aws-secret-access-key', value: credentials.secretAccessKey },
    { kind: 'aws-access-key-id', value: credentials.accessKeyId },
  ];
  if (credentials.sessionToken) secrets.push({ kind: 'aws-session-token', value: credentials.sessionToken });
  return secrets.filter((s) => typeof s.value === 'string' && s.value.length > 0);
}

/**
 * Every signature this process made, lower-case: a signature is a secret wherever it comes back, in its own answer
 * or a later one (an endpoint that reports the previous request's), and the preflight's and the model list's
 * providers sign too. 64 characters each: a run of thousands holds a few hundred kilobytes.
 */
const SIGNED = new AddedInOrder();
let lastSigned: string | undefined;

/**
 * At most this many are kept, the oldest let go first: a process that runs many runs (a test suite, a long-lived
 * caller) would grow the set without end, and an endpoint echoes a signature in the next answers, not a run later.
 */
const MAX_SIGNED = 50_000;

function remember(signature: string): void {
  SIGNED.add((lastSigned = signature));
  if (SIGNED.size > MAX_SIGNED) SIGNED.dropOldest();
}

/** The signatures made so far, for the redactor: the last as the value, all of them to look up (Secret.hexValues). */
function signatureSecrets(): Secret[] {
  return lastSigned ? [{ kind: 'sigv4-signature', value: lastSigned, hexValues: SIGNED }] : [];
}

/** `service`: the SigV4 service name of the target's surface. @default bedrock-mantle */
export function sigv4(options: AwsCredentialOptions & { service?: string }): AuthProvider {
  const credentials = credentialSource(options);
  let seen: AwsCredentialIdentity | undefined;
  const signer = new SignatureV4({
    credentials: async () => (seen = await credentials()),
    region: options.region,
    service: options.service ?? SIGV4_SERVICE,
    sha256: Hash.bind(null, 'sha256'),
  });
  return {
    kind: 'sigv4',
    async headers(request: OutgoingRequest) {
      const { url } = request;
      const query: Record<string, string> = {};
      for (const [name, value] of url.searchParams) query[name] = value;
      const signed = await signer.sign({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { ...request.headers, host: url.host },
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      // undici sends the same Host itself; everything else the signer added goes on the wire.
      const { host: _host, ...headers } = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
      for (const name of Object.keys(request.headers)) delete headers[name.toLowerCase()];
      // Remembered before it is sent: the answer to this very request may echo it.
      const signature = /Signature=([0-9a-f]{64})/i.exec(headers.authorization ?? '')?.[1]?.toLowerCase();
      if (signature) remember(signature);
      return headers;
    },
    secrets: () => [...secretsOf(seen), ...signatureSecrets()],
  };
}
