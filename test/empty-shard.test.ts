/**
 * A shard that gives vitest no model file (fewer models than shards, as a CI shard matrix narrowed by --models has)
 * is no break of vitest's view: with arguments after `--` it exits as the same shard without them does, never exit 2
 * "vitest ran none of the model files".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

let dir: string;
let emulator: RunningEmulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-empty-shard-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a shard with no model file, on vitest', () => {
  it('exits as the same shard without arguments after -- does', async () => {
    const args = (name: string) => ['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'created-at.*', '--shard', '3/3', '--report-dir', join(dir, name)];
    const plain = await cliProcess(args('plain'), { TMPDIR: dir });
    const viewed = await cliProcess([...args('viewed'), '--', '--reporter=dot'], { TMPDIR: dir });
    expect(viewed.code, viewed.stderr).toBe(plain.code);
    expect(viewed.code).toBe(0);
    expect(viewed.stderr).not.toMatch(/vitest broke|ran none of the model files/);
    expect(viewed.stdout).toMatch(/^gate: pass \(exit 0\); shard 3\/3/m);
  }, 60_000);
});
