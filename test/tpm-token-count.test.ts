/**
 * --tpm counts a token count (`/count_tokens`, `/input_tokens`) at its prompt only: it generates nothing. Before, it
 * was counted at the model's maximum output, above a small --tpm, so it waited for its model's minute to empty and a
 * run was held a minute by each one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { estimateTokens } from '../src/transport/scheduled-target.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const body = JSON.stringify({ model: 'anthropic.claude-sonnet-5', messages: [{ role: 'user', content: 'Hello there' }] });
const prompt = Math.ceil(body.length / 4);

describe('the estimate of a token count', () => {
  it('is its prompt alone, whatever max the model has; a request that generates still counts its maximum', () => {
    for (const path of ['/anthropic/v1/messages/count_tokens', '/v1/responses/input_tokens', '/anthropic/v1/messages/count_tokens?beta=true']) {
      expect(estimateTokens({ method: 'POST', path, headers: {}, body }, undefined, 64_000), path).toBe(prompt);
    }
    expect(estimateTokens({ method: 'POST', path: '/anthropic/v1/messages', headers: {}, body }, undefined, 64_000)).toBe(prompt + 64_000);
  });

  it('a --tpm run is not held a minute by one', async () => {
    const emulator = await catalogEmulator();
    const dir = await mkdtemp(join(tmpdir(), 'mantle-tpm-count-'));
    try {
      const started = Date.now();
      // messages.basic fills the model's window first; the count then goes beside it, not a minute later.
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'mantle', '--models', 'anthropic.claude-sonnet-5', '--checks', 'messages.basic,messages.count-tokens', '--tpm', '1000', '--concurrency', '1', '--report-dir', dir, '--plain']);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(run.code, run.stderr).toBe(0);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.map((r) => [r.check, r.status])).toEqual([['messages.basic', 'pass'], ['messages.count-tokens', 'pass']]);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 45_000);
});
