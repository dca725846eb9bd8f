/**
 * Which variable names a message may quote: upper- or lower-case words joined by `_`, of modest length; never a
 * key's alphabet (mixed case, hex runs, interleaved digits, long runs) nor a known key prefix.
 */
import { describe, expect, it } from 'vitest';
import { envNameShown, headerEnvFlagShown, plausibleEnvName } from '../src/transport/auth/env-name-shown.ts';

describe('plausibleEnvName', () => {
  it('takes names as people write them', () => {
    for (const name of ['AWS_BEARER_TOKEN_BEDROCK', 'MY_KEY_2', 'F3_UNSET_KEY_VAR', 'OPENAI_API_KEY', 'HF_TOKEN', 'GROQ_API_KEY', 'AZURE_OPENAI_KEY_EU1', 'K8S_TOKEN', 'KEY_2024', 'openai_key', 'azure_api_key', '_PRIVATE_KEY', 'X']) {
      expect(plausibleEnvName(name), name).toBe(true);
    }
  });

  it('refuses what looks like a key', () => {
    for (const key of [
      'd41d8cd98f00b204e9800998ecf8427e', // Azure OpenAI / APIM, hex
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
      'gsk_Xq3vR8mT2pL9wK4nB7cY1dF6hJ0sA5gZ3uE8iO2rW7tQ',
      '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',
      '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',
      'fw_3ZkQmT8xVpL2wR9nB4cY7dF',
      'AKIAIOSFODNN7EXAMPLE',
      'ABSKQmVkcm9ja0FQSUtleS1mM3Rlc3Q',
      'Zk82HqLr0PvWmX5nT7bYc1Ds9FgJa4Ue', // Mistral-like, mixed case
      'Q7X2M9K4P1L8R3T6W5Z0', // upper alphanumeric
      'x7k2m9q4p1l8r3t6w5z0abcd', // lower alphanumeric
      'abcdefghijklmnopqrstuvwxyz', // one long run
      'DEADBEEFCAFEBABE', // hex of 16
      `K${'_KEY'.repeat(20)}`, // over 64 characters
      'sk-proj-abc',
      'has space',
      '',
    ]) {
      expect(plausibleEnvName(key), key).toBe(false);
    }
  });

  it('names the flag in place of a name it refuses', () => {
    expect(envNameShown('MY_KEY', '--api-key-env')).toBe('MY_KEY');
    expect(envNameShown('d41d8cd98f00b204e9800998ecf8427e', '--api-key-env')).toBe('the variable named by --api-key-env (not shown: it may be the key itself)');
    expect(headerEnvFlagShown('api-key', 'd41d8cd98f00b204e9800998ecf8427e')).toBe('--header-env api-key=...');
    expect(headerEnvFlagShown('api-key', 'AZURE_KEY')).toBe('--header-env api-key=AZURE_KEY');
  });
});
