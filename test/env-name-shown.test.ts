/**
 * A key given where a variable NAME belongs that happens to be a valid shell name (an Azure OpenAI hex key, Groq
 * `gsk_...`, GitHub `ghp_...`, Hugging Face `hf_...`, a plain alphanumeric key) names a variable that is not set.
 * Every message about that variable (run, record, catalog diff, the emulator, preflight, the transport's auth, the
 * trust-domain refusal, the credentials to check) says "the variable named by <flag> (not shown: it may be the key
 * itself)" with the fix, and never prints the key. A name that plausibly is one is still quoted as before.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsSent } from '../src/cli/credential-domains.ts';
import { emulatorBanner, startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { credentialsToCheck } from '../src/cli/preflight.ts';
import { HarnessError } from '../src/errors.ts';
import { scopeReason } from '../src/run/model-scope.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { tooShortToRedact } from '../src/transport/auth/short-secrets.ts';
import { cli, ROOT } from './helpers/harness.ts';

const HEX = 'd41d8cd98f00b204e9800998ecf8427e';
const GHP = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const GSK = 'gsk_Xq3vR8mT2pL9wK4nB7cY1dF6hJ0sA5gZ3uE8iO2rW7tQ';
const HF = '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';
const ALNUM = 'Zk82HqLr0PvWmX5nT7bYc1Ds9FgJa4Ue';
const AKIA = 'AKIAIOSFODNN7EXAMPLE';
const UPPER = 'Q7X2M9K4P1L8R3T6W5Z0';
const LOWER = 'x7k2m9q4p1l8r3t6w5z0abcd';
const KEYS = [HEX, GHP, GSK, HF, ALNUM, AKIA, UPPER, LOWER];
/** Keys found in `text`: any 12 characters of one in a row. */
const leaked = (text: string) => KEYS.filter((key) => text.includes(key.slice(4, 16)) || text.includes(key.slice(-12)));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-name-shown-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Port 9 on loopback: nothing is sent, since the credentials are missing.
const live = (surface: string) => ['--mode', 'live', '--endpoint', 'http://127.0.0.1:9', '--surface', surface, '--models', 'gw-model'];
const unset = Object.fromEntries(KEYS.map((key) => [key, undefined]));

describe('a key given as the NAME of an unset variable is not printed', () => {
  it('run --api-key-env KEY (mantle and custom surfaces, live and record) names the flag, not the key, with the fix', async () => {
    for (const key of [HEX, GHP, GSK, HF, ALNUM, AKIA]) {
      for (const args of [live('mantle'), live('custom'), ['--mode', 'record', '--endpoint', 'http://127.0.0.1:9', '--surface', 'custom', '--models', 'gw-model', '--fixtures', join(dir, 'fx')]]) {
        const run = await cli(['run', ...args, '--api-key-env', key, '--report-dir', join(dir, 'a')], unset);
        expect(run.code, key).toBe(2);
        expect(leaked(run.stdout + run.stderr), `${key} ${args.join(' ')}`).toEqual([]);
        expect(run.stderr).toContain('HARNESS_AUTH_MISSING: No API key: the variable named by --api-key-env (not shown: it may be the key itself) is not set');
        expect(run.stderr).toContain('--api-key-env');
        expect(run.stderr).not.toContain('export d41d');
      }
    }
  });

  it('run --header-env api-key=KEY quotes the header and the flag only, with the fix', async () => {
    for (const key of [HEX, GSK, HF]) {
      const run = await cli(['run', ...live('custom'), '--auth', 'none', '--header-env', `api-key=${key}`, '--report-dir', join(dir, 'h')], unset);
      expect(run.code).toBe(2);
      expect(leaked(run.stdout + run.stderr), key).toEqual([]);
      expect(run.stderr).toContain('HARNESS_AUTH_MISSING: --header-env api-key=...: the variable named by --header-env api-key=... (not shown: it may be the key itself) is not set');
      expect(run.stderr).toContain('--header-env api-key=MY_KEY_VAR');
    }
  });

  it('catalog diff --api-key-env KEY says the same', async () => {
    const run = await cli(['catalog', 'diff', '--mode', 'live', '--target', 'custom:gw=http://127.0.0.1:9', '--api-key-env', GHP], unset);
    expect(run.code).toBe(2);
    expect(leaked(run.stdout + run.stderr)).toEqual([]);
    expect(run.stderr).toContain('the variable named by --api-key-env (not shown: it may be the key itself) is not set');
  });

  it("the emulator's --api-key-env KEY says the same and starts nothing; its banner does not print such a name", async () => {
    const error = await startEmulatorFromFlags({ catalog: join(ROOT, 'suites', 'models.yaml'), port: '0', apiKeyEnv: HEX }).then(
      async (emulator) => void (await emulator.close()),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HarnessError);
    const message = (error as HarnessError).message;
    expect(leaked(message)).toEqual([]);
    expect(message).toContain('--api-key-env: the variable named by --api-key-env (not shown: it may be the key itself) is not set; give the NAME');
    expect(leaked(emulatorBanner({ url: 'http://127.0.0.1:1', address: { address: '127.0.0.1', family: 'IPv4', port: 1 } }, { apiKeyEnv: ALNUM }))).toEqual([]);
    expect(emulatorBanner({ url: 'http://127.0.0.1:1', address: { address: '127.0.0.1', family: 'IPv4', port: 1 } }, { apiKeyEnv: 'EMU_KEY' })).toContain('--api-key-env EMU_KEY');
  });

  it("the transport's auth creation: missing, or set to a value it refuses, never names such a variable", () => {
    const thrown = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    for (const message of [
      thrown(() => createAuth({ kind: 'bearer', apiKeyEnv: HEX }, {})),
      thrown(() => createAuth({ kind: 'bearer', apiKeyEnv: GSK }, { [GSK]: 'line\nbreak-in-a-key-value' })),
      thrown(() => createAuth({ kind: 'none', apiKeyEnv: 'X', headerEnv: [{ header: 'api-key', env: HF }] }, {})),
      thrown(() => createAuth({ kind: 'none', apiKeyEnv: 'X', headerEnv: [{ header: 'api-key', env: HEX }] }, { [HEX]: 'line\nbreak-in-a-header-value' })),
      thrown(() => createAuth({ kind: 'bearer', apiKeyEnv: UPPER, recording: true }, { [UPPER]: 'short' })),
    ]) {
      expect(leaked(message), message).toEqual([]);
      expect(message).toContain('not shown: it may be the key itself');
    }
  });

  it('the trust-domain refusal, the credentials to check, a too-short secret and a scope refusal do not name it', () => {
    const auth = { kind: 'bearer' as const, apiKeyEnv: HEX, headerEnv: [{ header: 'api-key', env: GHP }] };
    expect(leaked(credentialsSent(auth).join(' '))).toEqual([]);
    expect(leaked(credentialsToCheck(auth))).toEqual([]);
    expect(leaked(JSON.stringify(tooShortToRedact(auth, { [HEX]: 'short', [GHP]: 'short' })))).toEqual([]);
    const refusal = { method: 'POST', path: '/v1/chat/completions', prefix: '/v1', status: 401, said: undefined, model: 'm', answeredOn: [] };
    expect(leaked(scopeReason(refusal, auth))).toEqual([]);
  });

  it('a name that plausibly is one is still quoted, with the export hint', async () => {
    const run = await cli(['run', ...live('mantle'), '--api-key-env', 'G3_UNSET_KEY_2', '--report-dir', join(dir, 'v')], { G3_UNSET_KEY_2: undefined });
    expect(run.stderr).toContain('No API key: G3_UNSET_KEY_2 is not set. Export a Bedrock API key (export G3_UNSET_KEY_2=...)');
    const header = await cli(['run', ...live('custom'), '--auth', 'none', '--header-env', 'api-key=azure_openai_key', '--report-dir', join(dir, 'v')], { azure_openai_key: undefined });
    expect(header.stderr).toContain('--header-env api-key=azure_openai_key: azure_openai_key is not set; export it or drop the flag');
    expect(credentialsSent({ kind: 'bearer', apiKeyEnv: 'AWS_BEARER_TOKEN_BEDROCK', headerEnv: [{ header: 'x-team', env: 'HF_TOKEN' }] }).join(' ')).toContain('the key in AWS_BEARER_TOKEN_BEDROCK');
  });
});
