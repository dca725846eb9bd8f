/**
 * @module transport/auth/auth
 * How a request gets its credentials. Providers add headers at the last moment, on the outgoing copy only, so the
 * recorded request never holds them.
 */
import type { Secret } from '../redactor.ts';

export type { Secret };
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface AuthProvider {
  readonly kind: 'bearer' | 'sigv4' | 'token' | 'none';
  /** Headers to add to this request (Authorization, SigV4 headers). */
  headers(request: OutgoingRequest): Promise<Record<string, string>>;
  /**
   * Every secret value this provider has sent or may send, with its kind, for the redactor. Grows as credentials
   * resolve (SigV4 keys on the first request, the short-term token when it is made).
   */
  secrets(): Secret[];
}

export const noAuth: AuthProvider = {
  kind: 'none',
  headers: async () => ({}),
  secrets: () => [],
};
