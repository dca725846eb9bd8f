/**
 * The capability table of a merge that lacks a shard names each (target, model) pair the missing shard held, also
 * when the run had a filter (review of `table`): a run with `-t` or a model filter left its shard's pairs out of
 * the table without a word, as its cells call them "filtered out (a model filter or -t) or in another shard". The
 * run's recorded selection says which: a pair it took is `in the missing shard i/n` (cut as the run cut its shards),
 * a pair it left out is not named, and a whole run's or a complete merge's table is as it was.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableMarkdown } from '../src/report/capability-formats.ts';
import { buildCapabilityTable, type CapabilityTable } from '../src/report/capability-table.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

const GPT = 'openai.gpt-oss-20b';
const HAIKU = 'anthropic.claude-haiku-4-5';
const OPUS = 'anthropic.claude-opus-4-7';
const MODELS = ['--models', [GPT, HAIKU, OPUS].join(',')];
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-missing-shard-'));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the three shards of one run, each with `selection` (filters, -t), into `<dir>/<name><i>`. */
async function shards(name: string, selection: string[]): Promise<void> {
  for (const i of [1, 2, 3]) {
    const run = await cli(['run', ...selection, ...MODELS, '--shard', `${i}/3`, '--run-id', name, '--report-dir', join(dir, `${name}${i}`), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
  }
}

/** The merge of the given shards, read back as the table reads it. */
async function merged(name: string, present: number[]): Promise<Matrix> {
  const out = join(dir, `${name}-m${present.join('')}`);
  const merge = await cli(['merge', ...present.map((i) => join(dir, `${name}${i}`, 'matrix.json')), '--report-dir', out]);
  expect(merge.code === 0 || merge.code === 1, merge.stderr).toBe(true);
  return JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as Matrix;
}

/** The pairs a shard's own file ran something of: what the missing shard held. */
async function ranBy(name: string, i: number): Promise<string[]> {
  const matrix = JSON.parse(await readFile(join(dir, `${name}${i}`, 'matrix.json'), 'utf8')) as Matrix;
  return [...new Set(matrix.results.filter((r) => !r.notRun).map((r) => `${r.target}/${r.model}`))].sort();
}

/** `target/model` of each pair a note names, with the why it gives. */
function named(table: CapabilityTable): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const note of table.notes ?? []) {
    const match = /^(\S+) [^,]+, \S+: \d+ model\(s\) with no row, (.+?): (\S+(?:, \S+)*)$/.exec(note);
    if (match) for (const model of match[3]!.split(', ')) pairs.set(`${match[1]}/${model}`, match[2]!);
  }
  return pairs;
}

describe('a merge that lacks a shard of a run with -t', () => {
  // Sorted by file name the six pairs are cut in three: shard 2 holds emulator/gpt-oss-20b and
  // runtime.emulator/claude-haiku-4-5. The pattern takes only gpt-oss-20b: haiku is no loss of the missing shard.
  const PATTERN = ['-t', `^${esc(GPT)} api\\.`];
  beforeAll(() => shards('tpat', PATTERN), 120_000);

  it('names the pair the missing shard held, in its words, and not the one -t left out', async () => {
    expect(await ranBy('tpat', 2)).toEqual([`emulator/${GPT}`]);
    const table = buildCapabilityTable([await merged('tpat', [1, 3])]);
    expect(table.rows.map((r) => `${r.model} ${r.surface}`)).toEqual([`${GPT} runtime`]);
    expect([...named(table)]).toEqual([[`emulator/${GPT}`, 'in the missing shard 2/3']]);
    expect(table.notes!.join('\n')).toMatch(/shard 2\/3 of run tpat is missing\).*; 1 \(model, target\) pair\(s\) it ran nothing of have no row/);
    expect(tableMarkdown(table)).toMatch(new RegExp(`^Note: emulator [^,]+, mantle: 1 model\\(s\\) with no row, in the missing shard 2/3: ${esc(GPT)}$`, 'm'));
    // The run's -t is what the note about the checks not run names; no pair -t left out is named.
    for (const model of [HAIKU, OPUS]) expect(table.notes!.filter((n) => n.includes(model))).toEqual([]);
  });

  it('a recorded -t that backtracks without end (an edited file) does not hang the table: both possibilities are said', async () => {
    const matrix = await merged('tpat', [1, 3]);
    // Exponential on any "<model> <check>" (no `#` in it): seconds per test without a bound.
    matrix.run.selection = { ...matrix.run.selection!, filters: ['-t ^(.+)+#$'] };
    const table = buildCapabilityTable([matrix]);
    expect([...named(table).values()]).toContain('not run (filtered out by its run\'s filters, or in a missing shard: 2/3 of run tpat)');
  }, 30_000);

  it('a complete merge says nothing of missing pairs', async () => {
    const table = buildCapabilityTable([await merged('tpat', [1, 2, 3])]);
    expect(named(table).size).toBe(0);
    expect(table.notes!.join('\n')).not.toMatch(/missing shard|no row/);
  });

  it('in a merge of several runs, which shard held a pair is not said as known, and a pair no filter took is still not named', async () => {
    const matrix = await merged('tpat', [1, 3]);
    // As a merge of this run with another region's: the merged id joins the runs' ids, and which run a target came from is not recorded.
    matrix.run = { ...matrix.run, id: 'tpat+other' };
    expect([...named(buildCapabilityTable([matrix]))]).toEqual([[`emulator/${GPT}`, "not run (filtered out by its run's filters, or in a missing shard: 2/3 of run tpat)"]]);
  });
});

describe('a merge that lacks shards of a run with model filters', () => {
  // The filters take gpt-oss-20b and opus: the run cuts those four pairs (not all six) in three, so shard 2 holds
  // runtime.emulator/opus alone and shard 3 runtime.emulator/gpt-oss-20b; haiku is not the run's.
  beforeAll(() => shards('mfil', [GPT, 'opus']), 120_000);

  it('names each pair with the missing shard that held it, as the run cut them, and no pair the filters left out', async () => {
    const held = [...(await ranBy('mfil', 2)).map((p) => [p, 'in the missing shard 2/3']), ...(await ranBy('mfil', 3)).map((p) => [p, 'in the missing shard 3/3'])];
    expect(held).toEqual([
      [`runtime.emulator/${OPUS}`, 'in the missing shard 2/3'],
      [`runtime.emulator/${GPT}`, 'in the missing shard 3/3'],
    ]);
    const table = buildCapabilityTable([await merged('mfil', [1])]);
    expect([...named(table)].sort()).toEqual(held.sort());
    expect(table.notes!.filter((n) => n.includes(HAIKU))).toEqual([]);
  });
});
