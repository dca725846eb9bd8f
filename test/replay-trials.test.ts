/**
 * Replay repeats a case as often as it was recorded, whatever --repeat says (review of 2026-12-05): a recording of
 * 2 trials replayed with --repeat 4 gave trials 3 and 4 trial 1's answers again, as if the model had answered four
 * times, and they could outvote what was recorded (a flaky "conformant 2/3" became "no-call 3/5").
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECK = 'tools.chat.forced-call';

let dir: string;
let emulator: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-trials-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function cell(reports: string): Promise<Matrix['results'][number]> {
  const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
  return matrix.results.find((r) => r.model === MODEL && r.check === CHECK)!;
}

describe('replay and --repeat', () => {
  it('replays the trials that were recorded, no more and no fewer', async () => {
    const fixtures = join(dir, 'fixtures');
    const record = await cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--auth', 'none', '--target-name', 'rt', '--models', MODEL, '--checks', CHECK, '--repeat', '2', '--fixtures', fixtures, '--report-dir', join(dir, 'recorded'), '--quiet']);
    expect(record.code, record.stderr).toBe(0);
    expect((await cell(join(dir, 'recorded'))).trials).toHaveLength(2);
    for (const repeat of ['1', '2', '4']) {
      const reports = join(dir, `replay-${repeat}`);
      const replay = await cli(['run', '--mode', 'replay', '--fixtures', fixtures, '--target-name', 'rt', '--models', MODEL, '--checks', CHECK, '--repeat', repeat, '--report-dir', reports, '--quiet']);
      expect(replay.code, replay.stderr).toBe(0);
      const replayed = await cell(reports);
      expect(replayed.trials, `--repeat ${repeat}`).toHaveLength(2);
      expect(replayed.reason).toContain('2/2 trials observed');
    }
  }, 60_000);
});
