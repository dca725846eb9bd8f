/**
 * Credentials rejected mid-run with --auth none: the advice names what was sent (nothing of the harness's own), and
 * the console says where the partial reports are and that their gate is not the exit code (still exit 2).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiringProxy } from './helpers/expiring-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'midrun-auth-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a 401 in the middle of a run with --auth none', () => {
  it('says what to check for --auth none, where the partial reports are, and exits 2', async () => {
    const upstream = await catalogEmulator();
    const proxy = await expiringProxy(upstream.url);
    try {
      const reports = join(dir, 'mid-run');
      const run = await cli(['run', '--mode', 'live', '--endpoint', proxy.url, '--auth', 'none', '--models', 'xai.grok-4.3', '--retries', '0', '--report-dir', reports, '--plain']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('HARNESS_AUTH_REJECTED');
      expect(run.stderr).not.toMatch(/AWS_BEARER_TOKEN_BEDROCK/);
      expect(run.stderr).toMatch(/--auth none sent none/);
      expect(run.stdout).toMatch(/^reports \(partial\): .*matrix\.json/m);
      expect(run.stdout).toMatch(/^gate: not the exit code: the partial matrix says .*, but the run exits 2 \(the credentials were rejected mid-run\)$/m);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
