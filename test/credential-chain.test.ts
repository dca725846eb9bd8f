/**
 * The AWS credential chain's errors, as the harness says them (hostile review of auth, finding 4): a profile whose
 * credential_process returned expired credentials was told to check whether the profile exists (the chain throws only
 * "Could not load credentials from any providers"), ~/.aws was named while AWS_CONFIG_FILE pointed elsewhere, an SSO
 * profile's "run aws sso login" was followed by "check that profile sso is in ~/.aws/config", and the error code
 * was printed twice. Now the innermost provider error's words are kept, the files the chain read are named, "add
 * the profile" is said only when no file has it, and the code is printed once.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentialSource } from '../src/transport/auth/sigv4.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
let files = 0;

/** A config and a credentials file of their own (the SDK caches a file by its path), and the env that points at them. */
async function awsFiles(config: string, credentials = ''): Promise<Record<string, string>> {
  const n = ++files;
  const configFile = join(dir, `config-${n}`);
  const credentialsFile = join(dir, `credentials-${n}`);
  await writeFile(configFile, config);
  await writeFile(credentialsFile, credentials);
  return {
    HOME: join(dir, 'home'),
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
  };
}

/** What the credential source throws for `profile` with `env`. */
async function refusal(profile: string | undefined, env: Record<string, string>): Promise<string> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    return await credentialSource({ region: 'us-east-1', ...(profile ? { profile } : {}) })().then(
      () => 'no error',
      (error: Error) => error.message,
    );
  } finally {
    vi.unstubAllEnvs();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-credential-chain-'));
  // A credential_process that returns credentials which expired in 2020 (fake values).
  const script = join(dir, 'expired.sh');
  await writeFile(script, `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"ASIAFAKEPROC00000001","SecretAccessKey":"fakeProcSecret000000000000000000000000001","SessionToken":"FakeProcSessionToken0000000000000000000000001","Expiration":"2020-01-01T00:00:00Z"}'\n`);
  await chmod(script, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const expiredProfile = () => `[profile exp]\nregion = us-east-1\ncredential_process = ${join(dir, 'expired.sh')}\n`;
const ssoProfile = '[profile sso]\nregion = us-east-1\nsso_start_url = https://example-fake.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Dev\n';

describe('a profile that is there but gives no credentials', () => {
  it('credential_process returned expired credentials: the SDK provider words are kept, the AWS_CONFIG_FILE path is named, no "add the profile"', async () => {
    const env = await awsFiles(expiredProfile());
    const message = await refusal('exp', env);
    expect(message).toContain('No AWS credentials for profile exp: Profile exp credential_process returned expired credentials.');
    expect(message).toContain(`in ${env.AWS_CONFIG_FILE} (AWS_CONFIG_FILE)`);
    expect(message).not.toContain('Could not load credentials from any providers');
    expect(message).not.toContain('~/.aws');
    expect(message).not.toMatch(/No profile exp is in|Check that profile/);
    expect(message).toMatch(/or drop --profile\.$/);
  });

  it('AWS_PROFILE names it: the same words, and the way out is unset AWS_PROFILE', async () => {
    const env = await awsFiles(expiredProfile());
    const message = await refusal(undefined, { ...env, AWS_PROFILE: 'exp' });
    expect(message).toContain('Profile exp credential_process returned expired credentials.');
    expect(message).toMatch(/or unset AWS_PROFILE\.$/);
  });

  it('an SSO profile with no cached token: the SDK\'s "aws sso login" stands, nothing says the profile may be missing', async () => {
    const env = await awsFiles(ssoProfile);
    const message = await refusal('sso', env);
    expect(message).toContain('run aws sso login');
    expect(message).not.toContain('..');
    expect(message).not.toMatch(/No profile sso is in|Check that profile|~\/\.aws/);
    expect(message).toContain(`profile sso, in ${env.AWS_CONFIG_FILE} (AWS_CONFIG_FILE)`);
  });

  it('a profile with only a region: said to hold no credentials, in the file it is in', async () => {
    const env = await awsFiles('[profile bare]\nregion = us-east-1\n');
    const message = await refusal('bare', env);
    expect(message).toContain(`Profile bare, in ${env.AWS_CONFIG_FILE} (AWS_CONFIG_FILE), holds nothing the AWS SDK makes credentials from`);
    expect(message).not.toContain('did not contain credential_process');
  });
});

describe('a profile that is in no file', () => {
  it('names the two files the chain read (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), never ~/.aws', async () => {
    const env = await awsFiles('[profile other]\nregion = us-east-1\n', '[other]\naws_access_key_id = AKIAFAKE0000000000\n');
    const message = await refusal('nosuch', env);
    expect(message).toContain(`No profile nosuch is in ${env.AWS_CONFIG_FILE} (AWS_CONFIG_FILE) or ${env.AWS_SHARED_CREDENTIALS_FILE} (AWS_SHARED_CREDENTIALS_FILE): add it there`);
    expect(message).not.toContain('~/.aws');
  });

  it('without the variables: ~/.aws/config and ~/.aws/credentials, which the chain read then', async () => {
    const env = await awsFiles('');
    const message = await refusal('nosuch', { ...env, AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '' });
    expect(message).toContain('No profile nosuch is in ~/.aws/config or ~/.aws/credentials: add it there');
  });
});

describe('the run', () => {
  it('prints the error code once, with the provider words (nothing is sent)', async () => {
    const env = await awsFiles(expiredProfile());
    const run = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--profile', 'exp', '--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1', '--models', 'm1', '--checks', 'api.*', '--report-dir', join(dir, 'reports')], env);
    expect(run.code).toBe(2);
    expect(run.stderr.match(/HARNESS_AUTH_MISSING/g)).toHaveLength(1);
    expect(run.stderr).toContain('Profile exp credential_process returned expired credentials.');
  });
});
