/**
 * The capability table of a run that did not finish names every (target, model) pair it has no row for (review of
 * `table`): a merge that lacks a shard, or a stop between two targets, leaves a model with a row on one surface and
 * none on the other, and the notes say which, in every format. A route probe a stop never reached reads `not
 * reached`, as the API columns say it, not `not run` (which is a filter's or a merged region's).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableCsv, tableJson, tableMarkdown } from '../src/report/capability-formats.ts';
import { buildCapabilityTable, type CapabilityTable } from '../src/report/capability-table.ts';
import { ELSEWHERE_REASON } from '../src/report/gate.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

const GPT = 'openai.gpt-oss-20b';
const HAIKU = 'anthropic.claude-haiku-4-5';
const OPUS = 'anthropic.claude-opus-4-7';
const STOP = 'not reached: interrupted (Ctrl-C)';

/** Every format `table` writes, as one text each: the notes must be in all of them. */
const formats = (table: CapabilityTable) => ({
  markdown: tableMarkdown(table),
  csv: tableCsv(table),
  csvLong: tableCsv(table, { long: true }),
  json: tableJson(table),
  jsonLong: tableJson(table, { long: true }),
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-unreached-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a merge that lacks a shard', () => {
  // Sorted by target then model, the six pairs of three models on two targets are cut in three: shard 2 holds
  // emulator/gpt-oss-20b and runtime.emulator/claude-haiku-4-5, so each model keeps a row on its other surface.
  beforeAll(async () => {
    for (const i of [1, 2, 3]) {
      const run = await cli(['run', '--models', [GPT, HAIKU, OPUS].join(','), '--shard', `${i}/3`, '--run-id', 'shardrun', '--report-dir', join(dir, `sh${i}`), '--quiet']);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 120_000);

  const merged = async (name: string, shards: number[]) => {
    const merge = await cli(['merge', ...shards.map((i) => join(dir, `sh${i}`, 'matrix.json')), '--report-dir', join(dir, name)]);
    expect(merge.code === 0 || merge.code === 1, merge.stderr).toBe(true);
    return join(dir, name, 'matrix.json');
  };

  it('names each (target, model) pair the missing shard held, though both models have a row elsewhere', async () => {
    const file = await merged('mg13', [1, 3]);
    const json = await cli(['table', file, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const table = JSON.parse(json.stdout) as CapabilityTable;
    expect(table.rows.map((r) => `${r.model} ${r.surface}`).sort()).toEqual([`${HAIKU} mantle`, `${OPUS} mantle`, `${OPUS} runtime`, `${GPT} runtime`].sort());
    const notes = table.notes!.join('\n');
    expect(notes).toMatch(/2 \(model, target\) pair\(s\) it ran nothing of have no row/);
    expect(notes).toMatch(new RegExp(`^emulator [0-9-]+, mantle: 1 model\\(s\\) with no row, in the missing shard 2/3: ${GPT.replace(/\./g, '\\.')}$`, 'm'));
    expect(notes).toMatch(new RegExp(`^runtime\\.emulator [0-9-]+, runtime: 1 model\\(s\\) with no row, in the missing shard 2/3: ${HAIKU.replace(/\./g, '\\.')}$`, 'm'));
    // Every format `table` writes says it.
    const markdown = await cli(['table', file]);
    expect(markdown.stdout).toMatch(new RegExp(`^Note: emulator [0-9-]+, mantle: .*${GPT.replace(/\./g, '\\.')}`, 'm'));
    const csv = await cli(['table', file, '--format', 'csv']);
    expect(csv.stdout).toMatch(new RegExp(`^"# note: runtime\\.emulator [0-9-]+, runtime: .*${HAIKU.replace(/\./g, '\\.')}`, 'm'));
    const long = await cli(['table', file, '--format', 'json', '--long']);
    expect((JSON.parse(long.stdout) as { runNotes?: string[] }[])[0]!.runNotes!.join('\n')).toContain(`mantle: 1 model(s) with no row, in the missing shard 2/3`);
  });

  it('says nothing of missing rows when every shard is there', async () => {
    const table = buildCapabilityTable([JSON.parse(await readFile(await merged('mg123', [1, 2, 3]), 'utf8')) as Matrix]);
    expect(table.rows).toHaveLength(6);
    expect(table.notes).toEqual([]);
  });
});

describe('an interrupted run of two targets', () => {
  let base: string;
  beforeAll(async () => {
    const run = await cli(['run', '--models', `${GPT},${OPUS}`, '--report-dir', join(dir, 'run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    base = await readFile(join(dir, 'run', 'matrix.json'), 'utf8');
  }, 120_000);

  /** The run, stopped: gpt-oss-20b not reached at all on `emulator`, and on `runtime.emulator` its path probe and Responses not reached. */
  const interrupted = (): Matrix => {
    const matrix = JSON.parse(base) as Matrix;
    matrix.run = { ...matrix.run, partial: true, interrupted: true, partialReason: 'interrupted (Ctrl-C)' };
    for (const r of matrix.results) {
      const stopped = r.model === GPT && (r.target === 'emulator' || ['path-prefix', 'api.responses'].includes(r.check));
      if (stopped) Object.assign(r, { status: 'skipped', observed: null, reason: STOP, evidence: [], gating: false, notRun: true });
    }
    return matrix;
  };

  it('names the pair it has no row for, in every format, though the model has a row on the other surface', () => {
    const table = buildCapabilityTable([interrupted()]);
    expect(table.rows.filter((r) => r.model === GPT).map((r) => r.surface)).toEqual(['runtime']);
    const pair = new RegExp(`emulator [0-9-]+, mantle: 1 model\\(s\\) with no row, not reached: ${GPT.replace(/\./g, '\\.')}`);
    expect(table.notes!.join('\n')).toMatch(pair);
    expect(table.notes!.join('\n')).toMatch(/the run was interrupted; .*1 \(model, target\) pair\(s\) it ran nothing of have no row/);
    for (const [format, text] of Object.entries(formats(table))) expect(text, format).toMatch(pair);
  });

  it('does not name a pair a selection left out (a merged region that did not select the model), only the one the stop took', () => {
    const matrix = interrupted();
    const unselected = `not run: not selected on target runtime.emulator (run x did not run model ${OPUS})`;
    for (const r of matrix.results) if (r.model === OPUS && r.target === 'runtime.emulator') Object.assign(r, { status: 'skipped', observed: null, reason: unselected, evidence: [], gating: false, notRun: true });
    const notes = buildCapabilityTable([matrix]).notes!;
    expect(notes.join('\n')).toMatch(/; 1 \(model, target\) pair\(s\) it ran nothing of have no row/);
    expect(notes.filter((n) => n.includes(OPUS))).toEqual([]);
  });

  it('the route column says a probe the stop never reached was not reached, as the API column does', () => {
    const table = buildCapabilityTable([interrupted()]);
    const row = table.rows.find((r) => r.model === GPT && r.surface === 'runtime')!;
    expect(row.cells['Route prefix']).toMatchObject({ value: 'unknown', notes: ['path-prefix: not reached'] });
    expect(row.cells['Responses']).toMatchObject({ value: 'unknown', notes: ['api.responses: not reached'] });
    expect(tableMarkdown(table)).not.toMatch(/path-prefix: not run/);
  });

  it('a probe a filter left out is still `not run`, and a whole run has no note', () => {
    const matrix = JSON.parse(base) as Matrix;
    const whole = buildCapabilityTable([matrix]);
    expect(whole.notes).toEqual([]);
    for (const r of matrix.results) if (r.model === GPT && r.target === 'runtime.emulator' && r.check === 'path-prefix') Object.assign(r, { status: 'skipped', observed: null, reason: ELSEWHERE_REASON, evidence: [], gating: false, notRun: true });
    const row = buildCapabilityTable([matrix]).rows.find((r) => r.model === GPT && r.surface === 'runtime')!;
    expect(row.cells['Route prefix']).toMatchObject({ value: 'unknown', notes: ['path-prefix: not run'] });
  });
});
