/**
 * Real variable names are quoted: Terraform's `TF_VAR_openai_key`, an Asia-Pacific `ASIA_GATEWAY_KEY`, camelCase
 * `AzureOpenAIKey` and `apiKey`, `Mantle_Key`, long words (`INTERNATIONALIZATION_KEY`, `AZUREOPENAIAPIKEY`), and the
 * AWS key prefixes followed by `_` (`AKIA_KEY`, `ABSK_TOKEN`). Every key shape stays hidden: the reviewer's vendor
 * shapes (r6 "What held up"), AWS ids and Bedrock keys, and random mixed-case letters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envNameShown, plausibleEnvName } from '../src/transport/auth/env-name-shown.ts';
import { cli } from './helpers/harness.ts';

const NAMES = ['TF_VAR_openai_key', 'ASIA_GATEWAY_KEY', 'AzureOpenAIKey', 'AKIA_KEY', 'ABSK_TOKEN', 'INTERNATIONALIZATION_KEY', 'AZUREOPENAIAPIKEY', 'apiKey', 'Mantle_Key', 'MantleKey', 'GroqApiKey', 'TF_VAR_bedrock_api_key', 'OPENAIAPIKEYPRODUCTION'];

/** The reviewer's key shapes (r6 findings, "What held up"), each given as the variable NAME. */
const KEYS = {
  azure32hex: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  azureUpperHex: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
  azure84: '4XqZ9bPnV7wK2mR8sT5uY1aB3cD6eF0gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6aB9cD2eF5gH8iJ1kL4mN7oP0q',
  google: 'AIzaSyD-abc123def456ghi789jkl012mno345p',
  googleNoDash: 'AIzaSyDabc123def456ghi789jkl012mno345p',
  groq: 'gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLmnop',
  togetherHex64: '3f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a79880f1e2d4c5b6a7988',
  togetherNew: 'tgp_v1_abcdefghijklmnopqrstuvwxyz0123456789ABCD',
  fireworks: 'fw_3ZabcdefghijkLMNOPqrstuv',
  replicate: 'r8_abcdefghijklmnopqrstuvwxyz0123456789',
  mistralLower: 'abcdefghijklmnopqrstuvwxyzabcdef',
  mistralUpper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF',
  mistralMixed: 'aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeF',
  mistralReal: 'x7K2pQ9mN4vR8sT1uW3yZ5aB6cD0eF2g',
  cohere40: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd',
  cohereLower40: 'abcdefghijklmnopqrstuvwxyz0123456789abcd',
  pplx: 'pplx-abcdef0123456789abcdef0123456789abcdef0123456789',
  deepseek: 'sk-0123456789abcdef0123456789abcdef',
  openrouter: 'sk-or-v1-0123456789abcdef',
  xai: 'xai-ABCdef123',
  cerebras: 'csk-abcdefghijklmnop1234567890abcdefghijklmnop',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  uuidNoDash: '123e4567e89b12d3a456426614174000',
  anthropic: 'sk-ant-api03-abc',
  nvidia: 'nvapi-abcdef',
  langsmith: 'lsv2_pt_abcdef0123456789abcdef0123456789_abcdef0123',
  ai21: 'abcdefghijklmnopqrstuvwxyz012345',
  hex15Chunks: 'abcdef012345678_abcdef012345678',
  digitsLower: 'abcd1234efgh5678ijkl9012mnop3456',
  digitsLower2: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
  upperAlnum: 'K7Q2X9M4P8R1T5V3W6Y0Z2A4B6C8D0E1',
  upperAlnum2: 'KQXMPRTVWYZABCDE1234FGHIJKLMNOPQ',
  lowerAlnum16x4: 'qwertyuiopasdfgh1234zxcvbnmqwert',
  hf: 'hf_abcdef',
  stripe: 'sk_live_abc',
  cloudflare: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD',
  // AWS: an access key id (AKIA, and ASIA for a session's) and a Bedrock API key.
  akia: 'AKIAIOSFODNN7EXAMPLE',
  asia: 'ASIAQ3EGRBGH7EXAMPLE',
  asiaLetters: 'ASIAQEGRBGHKEXAMPLEZ',
  absk: 'ABSKQmVkcm9ja0FQSUtleS1mM3Rlc3Q',
  abskLetters: 'ABSKQmVkcmJqaFQSUtleSmMRlcQ',
};

describe('plausibleEnvName', () => {
  it('quotes real names: TF_VAR_<lower>, AWS prefixes before "_", camelCase, long words', () => {
    for (const name of NAMES) expect(plausibleEnvName(name), name).toBe(true);
    expect(envNameShown('TF_VAR_openai_key', '--api-key-env')).toBe('TF_VAR_openai_key');
  });

  it('still hides every key shape', () => {
    for (const [shape, key] of Object.entries(KEYS)) expect(plausibleEnvName(key), `${shape} ${key}`).toBe(false);
  });

  it('hides mixed-case runs that are no words, and long runs that read as none', () => {
    for (const key of ['aBcDeFgHiJkLmNoP', 'AbCdEfGhIjKlMnOp', 'XkQmTrWnZpLbVcDf', 'QbZkTrWmXnYpLsVd', 'qwrtzpsdfghjklxcvbnm_KEY', 'QWRTZPSDFGHJKLXCVBNMKEY', 'abcdefghijklmnopqrstuvwx', 'Api2Key', 'AbcDEFGhiJKL']) {
      expect(plausibleEnvName(key), key).toBe(false);
    }
  });
});

describe('the CLI names the unset variable', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'env-names-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('with the export hint for TF_VAR_openai_key, ASIA_GATEWAY_KEY and AzureOpenAIKey', async () => {
    for (const name of ['TF_VAR_openai_key', 'ASIA_GATEWAY_KEY', 'AzureOpenAIKey']) {
      // Port 9 on loopback: nothing is sent, since the key is missing.
      const run = await cli(['run', '--mode', 'live', '--endpoint', 'http://127.0.0.1:9/v1', '--api-key-env', name, '--models', 'm1', '--report-dir', join(dir, 'r')], { [name]: undefined });
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toContain(`No API key: ${name} is not set.`);
      expect(run.stderr, name).toContain(`export ${name}=...`);
      expect(run.stderr, name).not.toContain('not shown');
    }
  });
});
