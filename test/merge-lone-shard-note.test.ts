/**
 * A merge of one shard of a run says the other shards are missing; it must not also say "merged one run ... name
 * them all with --expect-targets", advice for one whole run of several regions that points away from the missing shard.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-lone-shard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('merge of one shard alone', () => {
  it('names the missing shard and gives no one-run note', async () => {
    const models = 'openai.gpt-oss-20b,xai.grok-4.3';
    expect((await cli(['run', '--quiet', '--shard', '1/2', '--models', models, '--checks', 'api.*', '--report-dir', join(dir, 'sh1')])).code).toBe(0);
    const merged = await cli(['merge', join(dir, 'sh1', 'matrix.json'), '--report-dir', join(dir, 'merged')]);
    expect(merged.code).toBe(1);
    expect(merged.stdout + merged.stderr).toMatch(/shard 2\/2 of run \S+ is missing/);
    expect(merged.stderr).not.toContain('merged one run');
    const whole = await cli(['run', '--quiet', '--models', models, '--checks', 'api.*', '--report-dir', join(dir, 'whole')]);
    expect(whole.code).toBe(0);
    const alone = await cli(['merge', join(dir, 'whole', 'matrix.json'), '--report-dir', join(dir, 'merged-whole')]);
    expect(alone.stderr).toContain('note: merged one run');
  });
});

describe('catalog diff with no target', () => {
  it('names its own flags, not --mode, which it never takes from the user', async () => {
    const none = await cli(['catalog', 'diff']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/HARNESS_USAGE: catalog diff needs a target: --target runtime:us-east-1/);
    expect(none.stderr).not.toContain('--mode');
  });
});
