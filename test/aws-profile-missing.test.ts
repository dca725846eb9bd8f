/**
 * `--profile NAME` naming no profile, with the AWS_* keys set (hostile review of auth, 2026-12-05): the AWS chain
 * printed eight lines about an AWS_PROFILE the user never set, and the error said to set the keys that were set. The
 * error now says the profile was not found and that the keys are not used with --profile; the chain prints nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { credentialSource } from '../src/transport/auth/sigv4.ts';

describe('a --profile that does not exist', () => {
  it('says so, and that the keys in the environment are not used with it; nothing else is printed', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/mantle-conformance/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/mantle-conformance/credentials');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expect(credentialSource({ region: 'us-east-1', profile: 'nosuch' })()).rejects.toThrow(
        /^No AWS credentials for profile nosuch: .*Check that profile nosuch is in ~\/\.aws\/config or ~\/\.aws\/credentials \(with --profile, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are not used\), or drop --profile\.$/,
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it('AWS_PROFILE picks a profile as --profile does: said so, with the way out', async () => {
    vi.stubEnv('AWS_PROFILE', 'nosuch-env');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/mantle-conformance/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/mantle-conformance/credentials');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expect(credentialSource({ region: 'us-east-1' })()).rejects.toThrow(
        /^No AWS credentials for profile nosuch-env: .*\(with AWS_PROFILE=nosuch-env, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are not used\), or unset AWS_PROFILE\.$/,
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
