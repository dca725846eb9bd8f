/**
 * `--profile NAME` naming no profile, with the AWS_* keys set (hostile review of auth, 2026-12-05): the AWS chain
 * printed eight lines about an AWS_PROFILE the user never set, and the error said to set the keys that were set. The
 * error now says the profile was not found and that the keys are not used with --profile (or AWS_PROFILE); the chain
 * prints nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { credentialSource } from '../src/transport/auth/sigv4.ts';

/** The credential chain asked with the AWS_* keys set, no shared files, and `env` besides: what it throws, and whether anything was printed. */
async function refusal(options: { profile?: string }, env: Record<string, string> = {}): Promise<{ message: string; warned: boolean }> {
  const stubs = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY', AWS_CONFIG_FILE: '/nonexistent/mantle-conformance/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mantle-conformance/credentials', ...env };
  for (const [name, value] of Object.entries(stubs)) vi.stubEnv(name, value);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const message = await credentialSource({ region: 'us-east-1', ...options })().then(() => 'no error', (error: Error) => error.message);
    return { message, warned: warn.mock.calls.length > 0 };
  } finally {
    warn.mockRestore();
    vi.unstubAllEnvs();
  }
}

describe('a profile that does not exist', () => {
  it('--profile: says so, and that the keys in the environment are not used with it; nothing else is printed', async () => {
    const { message, warned } = await refusal({ profile: 'nosuch' });
    // The files named are the ones the chain read: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are set here.
    expect(message).toMatch(/^No AWS credentials for profile nosuch: .*No profile nosuch is in \/nonexistent\/mantle-conformance\/config \(AWS_CONFIG_FILE\) or \/nonexistent\/mantle-conformance\/credentials \(AWS_SHARED_CREDENTIALS_FILE\): add it there \(with --profile, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are not used\), or drop --profile\.$/);
    expect(warned).toBe(false);
  });

  it('AWS_PROFILE picks a profile as --profile does: said so, with the way out', async () => {
    const { message, warned } = await refusal({}, { AWS_PROFILE: 'nosuch-env' });
    expect(message).toMatch(/^No AWS credentials for profile nosuch-env: .*\(with AWS_PROFILE=nosuch-env, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are not used\), or unset AWS_PROFILE\.$/);
    expect(warned).toBe(false);
  });
});
