/**
 * A SigV4 verifier for the emulator: parses the Authorization header, checks the credential scope (service,
 * region, access key id) and the session token, and recomputes the signature over the headers the client signed.
 * Test-only: it knows the secret, as AWS does.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingMessage } from 'node:http';

export interface VerifiedRequest {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function sigv4Verifier(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, seen: VerifiedRequest[] = []) {
  return async (request: { method: string; path: string; headers: IncomingMessage['headers']; body: string }): Promise<string | null> => {
    const header = String(request.headers.authorization ?? '');
    const match = AUTHORIZATION.exec(header);
    if (!match) return `not a SigV4 Authorization header: ${header.slice(0, 30)}`;
    const [, accessKeyId, , region, service, signedList, signature] = match as unknown as string[];
    if (accessKeyId !== credentials.accessKeyId) return 'unknown access key id';
    if (credentials.sessionToken && request.headers['x-amz-security-token'] !== credentials.sessionToken) return 'session token missing or wrong';
    const amzDate = String(request.headers['x-amz-date'] ?? '');
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return 'no x-amz-date';
    const signedHeaders = signedList!.split(';');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
    const url = new URL(`http://${headers.host}${request.path}`);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const signer = new SignatureV4({ credentials, region: region!, service: service!, sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign(
      { method: request.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, ...(request.body ? { body: request.body } : {}) },
      { signingDate: new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!)) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
    if (expected !== signature) return 'signature does not match';
    seen.push({ accessKeyId: accessKeyId!, region: region!, service: service!, signedHeaders });
    return null;
  };
}
