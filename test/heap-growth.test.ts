/**
 * The CLI lets V8's old generation grow by 30% at a time (cli/heap-growth.ts), unless the user set the growth
 * themselves. What it saves is measured by `npm run bench` (peak memory of the full replay), not asserted here.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../src/cli/heap-growth.ts';
import { packageBin } from './helpers/harness.ts';

describe('heapGrowthFlag', () => {
  it('asks for the CLI growth when the user set none', () => {
    expect(heapGrowthFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--enable-source-maps', '--max-old-space-size=4096'])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it("keeps the user's own, with dashes or underscores", () => {
    expect(heapGrowthFlag(['--heap-growing-percent=300'])).toBeUndefined();
    expect(heapGrowthFlag(['--inspect', '--heap_growing_percent=10'])).toBeUndefined();
  });

  it('sets nothing when V8 was told to freeze its flags (a change would crash the process)', () => {
    expect(heapGrowthFlag(['--freeze_flags_after_init'])).toBeUndefined();
  });

  it('the installed CLI starts under frozen flags, and with the default', async () => {
    for (const flags of [['--freeze-flags-after-init'], []]) {
      const { stdout } = await promisify(execFile)(process.execPath, [...flags, packageBin(), '--version']);
      expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});
