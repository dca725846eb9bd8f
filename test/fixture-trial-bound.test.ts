/**
 * A recording's `trial` is held to --repeat's range (1-10): replay runs as many trials as a file's highest, so a
 * hand-edited 50000000 scheduled that many until memory ran out (review r3a, finding 4). Such a file is a bad file,
 * HARNESS_RECORDING_INVALID naming it and the field, before anything is scheduled; the shipped schema says the same.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_RANGES } from '../src/cli/run-options.ts';
import { HarnessError } from '../src/errors.ts';
import { parseFixture } from '../src/transport/fixture-file.ts';
import { MAX_TRIAL } from '../src/transport/fixture-schema.ts';
import { cli, ROOT } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CASE = 'reasoning.chat-field';
const SOURCE = join(ROOT, 'fixtures/emulator', MODEL, `${CASE}.json`);

interface Recording { exchanges: { trial?: number }[] }

/** The bundled recording (3 trials) with its third trial renumbered `trial`, and the index of the first exchange changed. */
async function withTrial(trial: number): Promise<{ text: string; index: number }> {
  const value = JSON.parse(await readFile(SOURCE, 'utf8')) as Recording;
  const index = value.exchanges.findIndex((e) => e.trial === 3);
  expect(index).toBeGreaterThanOrEqual(0);
  for (const e of value.exchanges) if (e.trial === 3) e.trial = trial;
  return { text: JSON.stringify(value, null, 2), index };
}

function refusal(text: string, file: string): HarnessError | undefined {
  try {
    parseFixture(text, file);
  } catch (error) {
    return error as HarnessError;
  }
  return undefined;
}

describe('a fixture trial beyond --repeat\'s maximum', () => {
  it('the bound is --repeat\'s own, restated by the run options (they may not load the schema for --help)', () => {
    expect(MAX_TRIAL).toBe(RUN_RANGES['--repeat'].max);
  });

  it.each([11, 50_000_000])('trial %i is HARNESS_RECORDING_INVALID naming the file and the field', async (trial) => {
    const { text, index } = await withTrial(trial);
    const error = refusal(text, `/fx/${MODEL}/${CASE}.json`);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error!.code).toBe('HARNESS_RECORDING_INVALID');
    expect(error!.message).toContain(`/fx/${MODEL}/${CASE}.json`);
    expect(error!.message).toContain(`exchanges[${index}].trial`);
    expect(error!.message).toMatch(/<= 10/);
  });

  it('trial 10, --repeat\'s maximum, is still read', async () => {
    const { text } = await withTrial(10);
    expect(refusal(text, 'f.json')).toBeUndefined();
  });

  it('the shipped fixture schema states the maximum', async () => {
    const schema = await readFile(join(ROOT, 'suites/schema/fixture.schema.json'), 'utf8');
    const trial = (JSON.parse(schema) as { properties: { exchanges: { items: { properties: { trial: { maximum?: number } } } } } }).properties.exchanges.items.properties.trial;
    expect(trial.maximum).toBe(RUN_RANGES['--repeat'].max);
  });
});

describe('replay of such a folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-trial-bound-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the cell is an error that gates, HARNESS_RECORDING_INVALID naming the file and the field, no trial judged', async () => {
    const folder = join(dir, 'fx/emulator', MODEL);
    await mkdir(join(dir, 'fx/emulator'), { recursive: true });
    await cp(join(ROOT, 'fixtures/emulator', MODEL), folder, { recursive: true });
    // 11, not 50000000: without the bound this must fail the test, not take the worker's memory.
    const { text, index } = await withTrial(11);
    await writeFile(join(folder, `${CASE}.json`), text);
    const run = await cli(['run', '--fixtures', join(dir, 'fx'), '--models', MODEL, '--checks', CASE, '--report-dir', join(dir, 'out'), '--plain']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'out/matrix.json'), 'utf8')) as { results: { check: string; status: string; reason: string; gating: boolean; trials?: unknown[] }[] };
    const cell = matrix.results.find((r) => r.check === CASE)!;
    expect([cell.status, cell.gating, cell.trials]).toEqual(['error', true, undefined]);
    expect(cell.reason).toContain('HARNESS_RECORDING_INVALID');
    expect(cell.reason).toContain(`${MODEL}/${CASE}.json`);
    expect(cell.reason).toContain(`exchanges[${index}].trial: must be <= 10`);
  }, 60_000);
});
