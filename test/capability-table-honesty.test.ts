/**
 * The capability table reports what was observed (review of `table`): an errored probe is `?`, not "no prefix serves
 * it"; a flaky check makes its column partial with what the trials saw; a check not measured is named beside the
 * one that was; a region where it all errored says so; the run's state (partial, shard) and the models left out are
 * said; CSV and JSON printed to a terminal carry no raw control or bidi character; `--out` never replaces an input.
 */
import { link, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

const CLAUDE = 'anthropic.claude-opus-4-7';
const GPT = 'openai.gpt-oss-20b';
const ERROR = { status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: no answer in 60 s' } as const;

describe('table, from a replayed run with cells changed', () => {
  let dir: string;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fxtable-'));
    const run = await cli(['run', '--models', `${CLAUDE},${GPT}`, '--report-dir', join(dir, 'run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    base = await readFile(join(dir, 'run', 'matrix.json'), 'utf8');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The run (target `emulator` only) with `change` applied to it, written to `name`. */
  async function variant(name: string, change: (matrix: Matrix, set: (model: string, check: string, patch: Partial<MatrixResult>) => void) => void): Promise<string> {
    const matrix = JSON.parse(base) as Matrix;
    matrix.targets = matrix.targets.filter((t) => t.id === 'emulator');
    matrix.results = matrix.results.filter((r) => r.target === 'emulator');
    // As a run of that target alone writes it: its figures, none of another target's (read-matrix refuses those).
    const own = <T>(map: Record<string, T> | undefined) => map && Object.fromEntries(Object.entries(map).filter(([key]) => key.startsWith('emulator/')));
    matrix.totals.perModel = own(matrix.totals.perModel)!;
    if (matrix.totals.latency) matrix.totals.latency = own(matrix.totals.latency);
    if (matrix.shapes) matrix.shapes = { ...matrix.shapes, exchanges: own(matrix.shapes.exchanges)! };
    const set = (model: string, check: string, patch: Partial<MatrixResult>) => {
      const cell = matrix.results.find((r) => r.model === model && r.check === check);
      if (!cell) throw new Error(`no cell ${model} ${check}`);
      // A repeated cell's status is its trials' (read-matrix refuses one that says otherwise): a patch without
      // trials stands for a cell that ran once.
      if (!patch.trials) delete cell.trials;
      Object.assign(cell, patch);
    };
    change(matrix, set);
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(matrix));
    return file;
  }
  async function table(files: string[]) {
    const result = await cli(['table', ...files, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { rows: { model: string; cells: Record<string, { value: string; notes: string[] }> }[]; notes: string[] };
  }
  const cell = (t: Awaited<ReturnType<typeof table>>, model: string, capability: string) => t.rows.find((r) => r.model === model)!.cells[capability]!;

  it('a probe that errored leaves the route unknown, not "no"', async () => {
    const file = await variant('route.json', (_m, set) => {
      set(CLAUDE, 'api.messages', ERROR);
      set(CLAUDE, 'api.count-tokens', ERROR);
      set(GPT, 'path-prefix', ERROR);
    });
    const t = await table([file]);
    expect(cell(t, CLAUDE, 'Route prefix')).toMatchObject({ value: 'unknown', notes: expect.arrayContaining(['api.messages: error, not measured']) });
    expect(cell(t, GPT, 'Route prefix')).toMatchObject({ value: 'unknown', notes: ['path-prefix: error, not measured'] });
    const csv = await cli(['table', file, '--format', 'csv']);
    expect(csv.stdout).not.toMatch(/,mantle,no,/);
    expect(csv.stdout).toMatch(new RegExp(`^${CLAUDE.replace(/\./g, '\\.')},[^,]*,mantle,"\\?: `, 'm'));
  });

  it('a flaky check makes its column partial, with what the trials saw', async () => {
    const flaky = (pass: string, other: string) => ({ status: 'flaky' as const, observed: pass, trials: [pass, pass, other].map((observed) => ({ status: observed === pass ? ('pass' as const) : ('fail' as const), observed, reason: '', evidence: [] })) });
    const file = await variant('flaky.json', (_m, set) => {
      set(GPT, 'tools.chat.forced-call', flaky('conformant', 'no-call'));
      set(GPT, 'params.stop', flaky('honored', 'ignored'));
    });
    const t = await table([file]);
    expect(cell(t, GPT, 'Tool calling')).toMatchObject({ value: 'partial', notes: expect.arrayContaining(['tools.chat.forced-call varies: conformant 2/3, no-call 1/3']) });
    expect(cell(t, GPT, 'n, logprobs, stop').value).toBe('partial');
    expect(cell(t, GPT, 'n, logprobs, stop').notes).toContain('params.stop varies: honored 2/3, ignored 1/3');
  });

  it('a flaky check whose most frequent value deviates is said once, as what its trials saw, never as a settled value', async () => {
    const flaky = { status: 'flaky' as const, observed: 'no-call', trials: ['no-call', 'no-call', 'conformant'].map((observed) => ({ status: observed === 'conformant' ? ('pass' as const) : ('fail' as const), observed, reason: '', evidence: [] })) };
    const file = await variant('flaky-majority.json', (_m, set) => set(GPT, 'tools.chat.forced-call', flaky));
    const notes = cell(await table([file]), GPT, 'Tool calling').notes;
    expect(notes).toContain('tools.chat.forced-call varies: no-call 2/3, conformant 1/3');
    expect(notes).not.toContain('tools.chat.forced-call: no-call');
  });

  it('names the checks not measured beside the one that was, and a region where it all errored', async () => {
    const east = await variant('east.json', (_m, set) => {
      for (const check of ['tools.chat.result-turn', 'params.logprobs', 'params.stop', 'service-tier.chat.flex']) set(GPT, check, ERROR);
    });
    const t = await table([east]);
    expect(cell(t, GPT, 'Tool calling').notes).toContain('tools.chat.result-turn: error, not measured');
    expect(cell(t, GPT, 'n, logprobs, stop').notes).toEqual(expect.arrayContaining(['params.logprobs: error, not measured', 'params.stop: error, not measured']));
    expect(cell(t, GPT, 'Service tiers').notes).toContain('service-tier.chat.flex: error, not measured');
    const west = await variant('west.json', (matrix) => {
      matrix.targets[0]!.region = 'us-west-2';
      // Another region's run: its own run id (table refuses one run given twice).
      matrix.run.id = 'west-run';
      for (const r of matrix.results) if (r.model === GPT && r.check.startsWith('params.')) Object.assign(r, ERROR, { trials: undefined });
    });
    const both = await table([await variant('plain.json', (matrix) => void (matrix.targets[0]!.region = 'us-east-1')), west]);
    expect(cell(both, GPT, 'n, logprobs, stop').notes).toEqual(expect.arrayContaining([expect.stringMatching(/^\? in us-west-2/)]));
  });

  it('says when a run was partial or a shard, and which models were left out', async () => {
    const file = await variant('partial.json', (matrix) => {
      matrix.run.partial = true;
      matrix.run.partialReason = 'spend cap reached';
      matrix.run.selection.shard = '1/2';
    });
    const t = await table([file]);
    expect(t.notes.join('\n')).toMatch(/shard 1\/2 of a run/);
    expect(t.notes.join('\n')).toMatch(/a partial run \(spend cap reached\)/);
    const markdown = await cli(['table', file]);
    expect(markdown.stdout).toMatch(/^Note: .*shard 1\/2 of a run/m);
    const csv = await cli(['table', file, '--format', 'csv']);
    expect(csv.stdout).toMatch(/^# note: .*a partial run/m);
    const plain = await table([await variant('whole.json', () => undefined)]);
    expect(plain.notes).toEqual([]);
  });

  it('CSV and JSON on stdout carry no raw control or direction character', async () => {
    const nasty = 'x\u001b]8;;https://evil\u0007link\u001b[31m\u202egnp.exe\u0085\u009b2J';
    // Free text read-matrix lets through and the table prints: a partial run's reason (a shard it names is read as
    // --shard reads it since review rvs 4, so no longer free text).
    const file = await variant('nasty.json', (matrix) => {
      Object.assign(matrix.run, { partial: true, partialReason: `\n::error::forged ${nasty}` });
    });
    for (const args of [['--format', 'csv'], ['--format', 'csv', '--long'], ['--format', 'json'], ['--format', 'json', '--long']]) {
      const result = await cli(['table', file, ...args]);
      expect(result.code, result.stderr).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(result.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(result.stdout).not.toMatch(/^[ \t]*::error::/m);
      if (args.includes('json')) expect(JSON.stringify(JSON.parse(result.stdout))).toContain('\\u001b]8');
    }
    expect((await cli(['table', file, '--format', 'csv'])).stdout).toContain('\\u202egnp.exe');
  });

  it('refuses an --out that is an input (the same path, a link, a hard link), and a matrix given twice', async () => {
    const file = await variant('keep.json', () => undefined);
    await symlink(file, join(dir, 'soft.json'));
    await link(file, join(dir, 'hard.json'));
    for (const out of [file, join(dir, 'soft.json'), join(dir, 'hard.json')]) {
      const result = await cli(['table', file, '--out', out]);
      expect(result.code, out).toBe(2);
      expect(result.stderr).toMatch(/--out .*: it is the input .*give --out another file/);
    }
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(JSON.parse(await readFile(file, 'utf8'))));
    const twice = await cli(['table', file, join(dir, 'soft.json')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/are the same file; give each run once/);
    const long = await cli(['table', file, '--long']);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--long: applies to --format csv and json only/);
  });
});
