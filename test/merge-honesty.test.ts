/**
 * Merge and read-matrix findings: keys from a file never reach Object.prototype, a merge never writes over its own
 * inputs, and what `run` says (partial, interrupted, shard) must fit the cells, so an edited file is refused (exit 2)
 * rather than read as a pass.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeShapeTables } from '../src/checks/shape.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const ELSEWHERE = 'not run: filtered out (a model filter or -t) or in another shard';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-honesty-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Shard i/2 of run R2: shard 1 ran Grok, shard 2 Qwen; the other's cells are not run, as --shard writes them. */
function shard(i: 1 | 2): Matrix {
  const other = i === 1 ? QWEN : GROK;
  const notRun = CHECKS.map((check) => ({ model: other, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE, evidence: [], notRun: true as const }));
  return smallMatrix(notRun, [GROK, QWEN], CHECKS, { runId: 'R2', shard: `${i}/2` });
}

let n = 0;
async function save(m: unknown, name = `m${n++}.json`): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(m, null, 2));
  return file;
}
const reportDir = () => join(dir, `out${n++}`);

describe('finding 1: shapes.exchanges keys', () => {
  it('a merge of tables with a key named constructor leaves Object.prototype alone', () => {
    const bad = { fingerprints: {}, exchanges: { constructor: { prototype: { polluted: ['yes'] } } } } as never;
    const merged = mergeShapeTables([bad, { fingerprints: {}, exchanges: {} }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(merged!.exchanges, 'constructor')).toBe(true);
  });

  it('a matrix.json whose shapes.exchanges holds a key that is no target/model of the file is refused (exit 2, JSON path)', async () => {
    const m = shard(2) as Matrix & { shapes: unknown };
    m.shapes = { fingerprints: {}, exchanges: { constructor: { prototype: { polluted: ['yes'] } } } };
    const r = await cli(['merge', await save(shard(1)), await save(m), '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HARNESS_REPORT_INVALID: .*m\d+\.json: shapes\.exchanges\.constructor: "constructor" is not "<target>\/<model>"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('finding 7: totals.perModel keys', () => {
  const usage = { requests: 3, inputTokens: 10, outputTokens: 2, wallMs: 0 };
  it('a perModel key named toString is refused on reading (exit 2, JSON path)', async () => {
    const m = shard(2);
    m.totals.perModel = { toString: usage };
    const r = await cli(['report', await save(m), '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('totals.perModel.toString: "toString" is not "<target>/<model>"');
  });

  it('merged in process, a key named toString is summed as a key', () => {
    const [a, b] = [shard(1), shard(2)];
    a.totals.perModel = { toString: usage };
    b.totals.perModel = { toString: usage };
    const merged = mergeMatrices([a, b]);
    expect(merged.totals.usage.requests).toBe(6);
    expect(merged.totals.perModel.toString).toEqual({ ...usage, requests: 6, inputTokens: 20, outputTokens: 4 });
  });
});

describe('finding 4: an interrupted input', () => {
  it('interrupted but not partial is refused on reading', async () => {
    const m = shard(2);
    m.run.interrupted = true;
    const r = await cli(['merge', await save(shard(1)), await save(m), '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run.interrupted: true, but run.partial is false');
  });

  it('merged in process, it makes the merge partial', () => {
    const b = shard(2);
    b.run.interrupted = true;
    const merged = mergeMatrices([shard(1), b]);
    expect(merged.run.partial).toBe(true);
    expect(merged.gate.exitCode).not.toBe(0);
  });
});

describe('finding 3: a lost shard never reads as a pass', () => {
  it('a shard with run.selection.shard removed is refused', async () => {
    const m = shard(2);
    delete m.run.selection.shard;
    const r = await cli(['report', await save(m), '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\[\d+\]\.reason: .*but run\.selection has no shard and no filter and run\.partial is false.*edited or is damaged/);
  });

  it('a merge that lacks a shard, edited to say it is whole, is refused; the merge as written reads (partial) and the whole merge passes', async () => {
    const one = await save(shard(1));
    const out = reportDir();
    // Shard 1 twice and shard 2 not at all: partial, with shard 2's cells not run.
    expect((await cli(['merge', one, await save(shard(1)), '--report-dir', out])).code).toBe(1);
    const half = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as Matrix;
    expect((await cli(['report', join(out, 'matrix.json'), '--report-dir', reportDir()])).code).toBe(1);
    half.run.partial = false;
    delete half.run.partialReason;
    const r = await cli(['report', await save(half), '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('but run.selection has no shard and no filter');
    const whole = await cli(['merge', one, await save(shard(2)), '--report-dir', reportDir()]);
    expect(whole.code).toBe(0);
  });

  it('a shard and a filtered run still read', async () => {
    expect((await cli(['report', await save(shard(1)), '--report-dir', reportDir()])).code).toBe(0);
    const filtered = shard(1);
    delete filtered.run.selection.shard;
    filtered.run.selection.filters = ['grok'];
    expect((await cli(['report', await save(filtered), '--report-dir', reportDir()])).code).toBe(0);
  });
});

describe('finding 2: merge and report never write over their inputs', () => {
  it('merge into the folder that holds an input is refused before anything is written', async () => {
    const reports = join(dir, 'reports-in');
    await mkdir(reports);
    const first = join(reports, 'matrix.json');
    await writeFile(first, JSON.stringify(shard(1), null, 2));
    const before = await readFile(first, 'utf8');
    const r = await cli(['merge', first, await save(shard(2)), '--report-dir', reports]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--report-dir ${reports}: it holds the input ${first}`);
    expect(await readFile(first, 'utf8')).toBe(before);
  });

  it('the default reports/ is checked too', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    await mkdir(join(cwd, 'reports'));
    await writeFile(join(cwd, 'reports', 'matrix.json'), JSON.stringify(shard(1), null, 2));
    const before = await readFile(join(cwd, 'reports', 'matrix.json'), 'utf8');
    const r = await cli(['merge', 'reports/matrix.json', await save(shard(2))], {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report-dir reports: it holds the input reports/matrix.json');
    expect(await readFile(join(cwd, 'reports', 'matrix.json'), 'utf8')).toBe(before);
  });

  it('report --baseline does not replace the baseline with the report of another run', async () => {
    const folder = join(dir, 'baseline-in');
    await mkdir(folder);
    const baseline = join(folder, 'matrix.json');
    await writeFile(baseline, JSON.stringify(shard(1), null, 2));
    const before = await readFile(baseline, 'utf8');
    const r = await cli(['report', await save(shard(2), join('baseline-in', 'new.json')), '--baseline', baseline]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it holds the input');
    expect(await readFile(baseline, 'utf8')).toBe(before);
  });

  it('report renders a run where it lies, as documented', async () => {
    const folder = join(dir, 'in-place');
    await mkdir(folder);
    await writeFile(join(folder, 'matrix.json'), JSON.stringify(shard(1), null, 2));
    expect((await cli(['report', join(folder, 'matrix.json')])).code).toBe(0);
  });

  it('merge --report-dir that is a file: exit 2 naming the flag, before reading', async () => {
    const file = await save({ not: 'a folder' }, 'a-file');
    const r = await cli(['merge', await save(shard(1)), await save(shard(2)), '--report-dir', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`HARNESS_USAGE: --report-dir ${file}: it is a file, not a folder`);
  });
});

describe('finding 5: "not reached" wins over "another shard\'s" in a merge, in either order', () => {
  it.each([[false], [true]])('reversed %s', (reversed) => {
    const stopped = shard(2);
    for (const r of stopped.results) if (r.model === QWEN && r.check === 'path-prefix') Object.assign(r, { status: 'skipped', observed: null, reason: 'not reached: interrupted (Ctrl-C)', evidence: [], notRun: true });
    stopped.run.partial = true;
    stopped.run.partialReason = 'interrupted (Ctrl-C)';
    const inputs = reversed ? [stopped, shard(1)] : [shard(1), stopped];
    const merged = mergeMatrices(inputs);
    const cell = merged.results.find((r) => r.model === QWEN && r.check === 'path-prefix')!;
    expect(cell.reason).toBe('not reached: interrupted (Ctrl-C)');
  });
});

describe('finding 8: a merge of some shards with the shard it lacked', () => {
  it('says what to do instead of calling present shards missing', () => {
    const half = mergeMatrices([shard(1), smallMatrix([], [GROK], CHECKS, { runId: 'R9', target: 'other' })]);
    half.targets = half.targets.filter((t) => t.id === 'emulator');
    half.results = half.results.filter((r) => r.target === 'emulator');
    half.run.id = 'R2';
    const merged = mergeMatrices([{ ...half, run: { ...half.run, selection: { ...half.run.selection } } }, shard(2)]);
    expect(merged.run.partialReason).toContain('cannot be merged with shards of the same run; merge every shard\'s own matrix.json at once');
    expect(merged.run.partialReason).not.toContain('shard 1/2 of run R2 is missing');
  });
});

describe('finding 9', () => {
  it('a JSON syntax error is said by line and column, without the file\'s text', async () => {
    const file = join(dir, 'syntax.json');
    await writeFile(file, '{\n  "format": "mantle-conformance.matrix/2",\n  "status": pass_SECRETISH\n}\n');
    const r = await cli(['report', file, '--report-dir', reportDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON at line 3, column 13');
    expect(r.stderr).not.toContain('SECRETISH');
  });

  it('table refuses two copies of one run', async () => {
    const m = smallMatrix();
    const r = await cli(['table', await save(m), await save(m)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/table: .* both hold run r1 on target emulator \(a copy/);
  });
});
