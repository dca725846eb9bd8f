/**
 * Reading a history folder quickly changes nothing it says: worker threads make the report one thread makes (the
 * same runs, cells, change points, model events, latency and drift, the same first-seen checks and fingerprints),
 * a bad file read on a worker is the same error naming the same (first bad) file, and the hand check that spares
 * ajv's walk of the per-cell parts never accepts what the schema refuses, nor changes the error reported.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fc, it as property } from '@fast-check/vitest';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import { listRunFiles, mayOverflow } from '../src/history/read-history.ts';
import { readHistory, readThreads, MIN_FILES_PER_THREAD } from '../src/history/read-pool.ts';
import { passesQuickCheck, runSchemaErrors } from '../src/history/validate-run.ts';
import { HISTORY_RUN_FORMAT, HistoryRunSchema, type HistoryRun } from '../src/suite/history-schema.ts';
import { startHarnessWorker, type StartWorker } from '../src/package-root.ts';
import { cliProcess, packageWorkers } from './helpers/harness.ts';

const DAYS = 24;
const NOW = new Date('2027-01-01T00:00:00Z');
const fingerprint = (paths: string[]) => ({ status: 200, kind: 'json' as const, paths, headers: ['content-type'] });

/** One target's run on one day, varied as a real history is (values change and back, flaky cells, a model gone for a while, drift). */
function runOf(day: number, targets: string[], id = `nightly-${day}-${targets.join('+')}`): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  const latency: NonNullable<HistoryRun['latency']> = {};
  const exchanges: NonNullable<HistoryRun['shapes']>['exchanges'] = {};
  const models = ['m1', 'm2', 'm3'].filter((m) => !(m === 'm2' && targets[0] === 'us-east-1' && day >= 10 && day < 13));
  for (const target of targets) {
    for (const model of models) {
      const key = `${target}/${model}`;
      cells[key] = {
        'path-prefix': { status: 'pass', observed: model === 'm3' ? null : '/openai/v1' },
        'created-at.responses': day >= 5 && day < 8 && model === 'm1' ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' },
        'stream.chat': day % 3 === 0 && model === 'm2' ? { status: 'flaky', observed: 'yes', trials: [['pass', 'yes'], ['fail', 'no']] } : { status: 'pass', observed: 'yes' },
        'defaults.temperature': { status: model === 'm3' ? 'unsupported' : 'pass', observed: model === 'm3' ? null : 0.7 },
        ...(day >= 12 ? { 'late.check': { status: 'error', observed: null } } : {}),
      };
      latency[key] = {
        'chat-completions': { n: 3, headersMs: { p50: 10 + day, p95: 20 }, firstTokenMs: { p50: 30 + (day > 20 ? 100 : day), p95: 40.6 }, totalMs: { p50: 50.4, p95: 60 } },
        responses: { n: 1, headersMs: { p50: 11, p95: 12 }, totalMs: { p50: 13, p95: 14 } },
      };
      exchanges[key] = { responses: { 'probe/main': [day >= 15 && model === 'm1' ? 'f2' : 'f1'], 'other/main': ['f1'] }, 'chat-completions': { 'probe/main': ['f1'] } };
    }
  }
  const checks = [
    { id: 'path-prefix', group: 'Routes', api: null },
    { id: 'created-at.responses', group: 'Fields', api: 'responses' },
    { id: 'stream.chat', group: 'Streams', api: 'chat-completions' },
    { id: 'defaults.temperature', group: 'Defaults', api: 'chat-completions' },
  ];
  // A check that appears later, first with an extra field; the catalog's order differs from day to day.
  if (day >= 12) checks.splice(day % 2, 0, { id: 'late.check', group: day === 12 ? 'Late' : 'Later', api: null, ...(day === 12 ? { note: 'first' } : {}) } as (typeof checks)[number]);
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: new Date(Date.UTC(2025, 11, 1 + day, 2, targets[0] === 'us-east-1' ? 0 : 10)).toISOString(), finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false },
    targets: targets.map((t) => ({ id: t, mode: 'live' as const, region: t, endpointHost: `bedrock-mantle.${t}.api.aws`, sources: ['live' as const] })),
    models: models.map((m) => ({ id: m, family: m === 'm3' ? null : `family-${m}`, inCatalog: true })),
    checks,
    cells,
    latency,
    // The same fingerprint id with other content later on: the first met in file order is the one kept.
    shapes: { fingerprints: { f1: fingerprint(day >= 20 ? ['id string', 'late number'] : ['id string']), f2: fingerprint(['id string', 'service_tier string']) }, exchanges },
  };
}

const fileName = (run: HistoryRun, suffix = '000000000000') => `${run.run.startedAt.replace(/[-:]/g, '').slice(0, 15)}Z-${run.run.id}-${suffix}${RUN_FILE_SUFFIX}`;

/** A folder of 2 targets x `days` nights, a run of both targets in one file, and a run in two shards. */
async function writeFolder(dir: string, days = DAYS): Promise<void> {
  await mkdir(dir, { recursive: true });
  const runs = Array.from({ length: days }, (_, day) => [runOf(day, ['us-east-1']), runOf(day, ['eu-west-1'])]).flat();
  runs.push(runOf(days, ['us-east-1', 'eu-west-1'], 'both-targets'));
  const whole = runOf(days + 1, ['us-east-1'], 'sharded');
  const [first, ...rest] = Object.keys(whole.cells);
  for (const [i, keys] of [[first!], rest].entries()) {
    const shard = { ...whole, run: { ...whole.run, shard: `${i + 1}/2` }, cells: Object.fromEntries(keys.map((k) => [k, whole.cells[k]!])) };
    await writeFile(join(dir, fileName(shard, `shard${i}`)), gzipSync(JSON.stringify(shard)));
  }
  for (const run of runs) await writeFile(join(dir, fileName(run)), gzipSync(JSON.stringify(run)));
}

async function reportOf(dir: string, threads: number, start: StartWorker = packageWorkers) {
  const builder = new HistoryBuilder();
  await readHistory(dir, (await listRunFiles(dir)).names, builder, threads, start);
  return builder.build({ last: 5, now: NOW });
}

async function errorOf(dir: string, threads: number): Promise<HarnessError> {
  const error = await reportOf(dir, threads).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-read-'));
  await writeFolder(join(dir, 'good'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('reading on worker threads', () => {
  it('makes the report one thread makes, whichever thread read which file', async () => {
    const files = (await readdir(join(dir, 'good'))).length;
    expect(files).toBe(2 * DAYS + 3);
    const inThread = await reportOf(join(dir, 'good'), 0);
    // The folder says something in every part of the report, so agreeing means something.
    expect(inThread.runs).toHaveLength(2 * DAYS + 2);
    // created-at.responses moves on both targets; stream.chat's nights between flaky {yes, no} and yes are no change.
    expect(inThread.cells.flatMap((c) => c.changes).length).toBeGreaterThanOrEqual(4);
    expect(inThread.cells.some((c) => c.flaky > 0)).toBe(true);
    expect(inThread.models.flatMap((m) => m.events).map((e) => e.kind)).toEqual(['disappeared', 'appeared']);
    expect(inThread.drift.map((d) => [d.drift.model, d.drift.added])).toContainEqual(['m1', ['service_tier string']]);
    expect(inThread.checks.find((c) => c.id === 'late.check')).toEqual({ id: 'late.check', group: 'Late', api: null, note: 'first' });
    expect(inThread.latency.find((l) => l.target === 'us-east-1' && l.model === 'm1' && l.api === 'chat-completions')?.firstTokenP95[0]).toBe(41);
    expect(inThread.recent.latency.length).toBeGreaterThan(0);
    // Three threads: files are dealt out unevenly, and results come back out of order. The package's workers, and
    // once the source's (each compiles the harness through tsx first: seconds).
    expect(await reportOf(join(dir, 'good'), 3), '3 threads').toEqual(inThread);
    expect(await reportOf(join(dir, 'good'), 2, startHarnessWorker), '2 threads from source').toEqual(inThread);
  });

  it('a bad file read on a worker is the same error, naming the first bad file in name order', async () => {
    const folder = join(dir, 'bad');
    await writeFolder(folder);
    const names = (await readdir(folder)).sort();
    // Two bad files: a later one a thread may reach first, and the first, which is the one named.
    await writeFile(join(folder, names[40]!), Buffer.from('not gzip'));
    await writeFile(join(folder, names[17]!), gzipSync(JSON.stringify({ ...runOf(3, ['us-east-1']), cells: { 'us-east-1/m1': { 'path-prefix': { status: 'passed', observed: null } } } })));
    const inThread = await errorOf(folder, 0);
    expect(inThread.code).toBe('HARNESS_HISTORY_INVALID');
    expect(inThread.message).toContain(names[17]);
    expect(inThread.message).toMatch(/cells\.us-east-1\/m1\.path-prefix\.status must be one of "pass", "fail", "flaky", "inconclusive", "unsupported", "skipped", "error" \(got "passed"\)/);
    const onWorkers = await errorOf(folder, 3);
    expect([onWorkers.code, onWorkers.message]).toEqual([inThread.code, inThread.message]);
  });

  it('a shape under a key with a line break is checked like any other (it went unchecked, and crashed the drift)', async () => {
    const folder = join(dir, 'line-break');
    await mkdir(folder, { recursive: true });
    const [before, after] = [runOf(1, ['us-east-1']), runOf(2, ['us-east-1'])];
    (after.shapes!.fingerprints as Record<string, unknown>)['f\n1'] = 42;
    after.shapes!.exchanges['us-east-1/m1']!.responses!['probe/main'] = ['f\n1'];
    for (const run of [before, after]) await writeFile(join(folder, fileName(run)), gzipSync(JSON.stringify(run)));
    const error = await errorOf(folder, 0);
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toContain(fileName(after));
    // The key is shown inert: its line break does not start a line of the console.
    expect(error.message).toContain('shapes.fingerprints["f\\n1"] must be object (got 42)');
  });

  it('a number JSON.parse reads as Infinity (1e400) is refused, naming where; 1e-400 and a long exponent in a string are not', async () => {
    const folder = join(dir, 'overflow');
    await mkdir(folder, { recursive: true });
    const [before, after] = [runOf(1, ['us-east-1']), runOf(2, ['us-east-1'])];
    // A string that merely looks like an overflowing literal reads as what it is.
    before.run.id = 'nightly-1e999';
    const text = JSON.stringify(after).replace(/"p50":(\d+)/, '"p50":1e400').replace(/"p95":(\d+)/, '"p95":1e-400');
    expect(text).toContain('1e400');
    await writeFile(join(folder, fileName(before)), gzipSync(JSON.stringify(before)));
    await writeFile(join(folder, fileName(after)), gzipSync(text));
    const error = await errorOf(folder, 0);
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toContain(fileName(after));
    expect(error.message).toMatch(/latency\[?.*p50 is not a finite number \(a literal such as 1e400 reads as Infinity\)/);
    await rm(join(folder, fileName(after)));
    await expect(reportOf(folder, 0)).resolves.toBeDefined();
  });

  it('walks a file for Infinity only when a number may overflow, not for the hex of its check definitions', () => {
    // Every run file's checks carry a 16-hex digest: "3e123..." held an "e123", and each file was walked whole.
    expect(mayOverflow('{"checks":[{"id":"a","definition":"3e1234abcd5e6789"}]}')).toBe(false);
    expect(mayOverflow('{"run":{"id":"nightly-1e999"}}')).toBe(false);
    for (const number of ['{"p50":1e400}', '{"p50": -2.5E+308}', '[1,1e999]', `{"n":${'9'.repeat(309)}}`]) expect(mayOverflow(number), number).toBe(true);
  });

  it.skipIf(availableParallelism() < 2)('the installed CLI reads a large folder on threads and writes what one thread makes', async () => {
    const folder = join(dir, 'large');
    await writeFolder(folder, MIN_FILES_PER_THREAD + 1);
    const result = await cliProcess(['history', folder, '--report-dir', join(dir, 'large-out'), '--last', '5']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/cells \(read on \d+ threads\)/);
    const written = JSON.parse(await readFile(join(dir, 'large-out', 'history.json'), 'utf8')) as { generatedAt: string };
    expect(written).toEqual(JSON.parse(JSON.stringify({ ...(await reportOf(folder, 0)), generatedAt: written.generatedAt })));
  });

  it('starts threads only when each gets enough files to pay for itself', () => {
    expect(readThreads(3)).toBe(0);
    expect(readThreads(2 * MIN_FILES_PER_THREAD - 1)).toBe(0);
    expect(readThreads(100_000)).toBeLessThanOrEqual(8);
  });
});

describe('forged run files', () => {
  /** A folder of `runs` (each written under its own name, with `suffix` told apart), read in one thread. */
  async function folderOf(name: string, runs: [HistoryRun, string][]): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    for (const [run, suffix] of runs) await writeFile(join(folder, fileName(run, suffix)), gzipSync(JSON.stringify(run)));
    return folder;
  }
  const night = (day: number) => runOf(day, ['us-east-1']);

  it('of two files of one run id that disagree on a cell, the one that started last is the run\'s (a CI job re-run keeps its run id)', async () => {
    const [before, after] = [night(1), night(3)];
    const failed = structuredClone(before);
    // The failed attempt failed its gate (GitHub's "Re-run failed jobs" re-runs it): its re-run hours later is the same run (one CI run).
    const gh = (attempt: number) => ({ system: 'github' as const, runId: '9', attempt });
    failed.run.ci = gh(1);
    failed.cells['us-east-1/m1']!['path-prefix'] = { status: 'error', observed: null, gating: true };
    const rerun = structuredClone(before);
    rerun.run.ci = gh(2);
    rerun.run.startedAt = before.run.startedAt.replace(/T\d\d/, 'T05');
    // The failed attempt's file sorts after the re-run's by name: the start decides, not the name.
    const folder = await folderOf('rerun', [[failed, 'bbbbbbbbbbbb'], [rerun, 'aaaaaaaaaaaa'], [after, 'aaaaaaaaaaaa']]);
    for (const threads of [0, 2]) {
      const report = await reportOf(folder, threads);
      expect(report.runs.map((r) => r.files.length)).toEqual([2, 1]);
      expect(report.cells.find((c) => c.model === 'm1' && c.check === 'path-prefix')!.changes).toEqual([]);
    }
    // The other way round, the attempt that errored is the later: the latest the run saw of the cell is an outage, and
    // "Errors now" names it (no change is read: an error is no change point).
    failed.run.startedAt = before.run.startedAt.replace(/T02:\d\d/, 'T02:59');
    failed.run.ci = gh(2);
    const first = structuredClone(before);
    first.run.ci = gh(1);
    const later = await reportOf(await folderOf('rerun-failed-last', [[failed, 'bbbbbbbbbbbb'], [first, 'aaaaaaaaaaaa'], [after, 'aaaaaaaaaaaa']]), 0);
    const cell = later.cells.find((c) => c.model === 'm1' && c.check === 'path-prefix')!;
    expect(cell.segments.map((g) => g.status)).toContain('error');
    expect(cell.changes).toEqual([]);
    // A later attempt that observed something else is the run's.
    const changed = structuredClone(before);
    changed.run.startedAt = failed.run.startedAt;
    changed.run.ci = gh(2);
    changed.cells['us-east-1/m1']!['path-prefix'] = { status: 'fail', observed: '/v1' };
    const observedLater = await reportOf(await folderOf('rerun-observed-last', [[changed, 'bbbbbbbbbbbb'], [first, 'aaaaaaaaaaaa'], [after, 'aaaaaaaaaaaa']]), 0);
    expect(observedLater.cells.find((c) => c.model === 'm1' && c.check === 'path-prefix')!.segments.map((g) => g.observed)).toContain('/v1');
  });

  it('a later file of one run replaces its latency and shapes, and no drift is read within one run', async () => {
    const run = night(1);
    run.run.ci = { system: 'github', runId: '31', attempt: 1 };
    const rerun = structuredClone(run);
    rerun.run.ci = { system: 'github', runId: '31', attempt: 2 };
    rerun.run.startedAt = run.run.startedAt.replace(/T02:00/, 'T02:40');
    rerun.latency!['us-east-1/m2']!.responses!.totalMs.p95 = 9000;
    rerun.shapes!.exchanges['us-east-1/m3']!.responses!['probe/main'] = ['f2'];
    const report = await reportOf(await folderOf('rerun-latency', [[run, 'aaaaaaaaaaaa'], [rerun, 'bbbbbbbbbbbb']]), 0);
    expect(report.latency.find((l) => l.model === 'm2' && l.api === 'responses')!.totalP95).toEqual([9000]);
    expect(report.drift ?? []).toEqual([]);
  });

  it('a duplicate upload (in CI), shards and regions of one run id still read as one run', async () => {
    const run = night(2);
    run.run.ci = { system: 'github', runId: '12', attempt: 1 };
    const both = runOf(4, ['us-east-1', 'eu-west-1'], 'regions');
    const regions = (['us-east-1', 'eu-west-1'] as const).map((t) => ({ ...both, targets: both.targets.filter((x) => x.id === t), cells: Object.fromEntries(Object.entries(both.cells).filter(([k]) => k.startsWith(`${t}/`))), latency: {}, shapes: undefined }));
    const folder = await folderOf('one-run', [[run, 'aaaaaaaaaaaa'], [run, 'bbbbbbbbbbbb'], [regions[0]!, 'region000001'], [regions[1]!, 'region000002']]);
    const report = await reportOf(folder, 0);
    expect(report.runs.map((r) => [r.id, r.files.length])).toEqual([[run.run.id, 2], ['regions', 2]]);
    expect(report.cells.flatMap((c) => c.changes)).toEqual([]);
    // The good folder has a run in two shards.
    expect((await reportOf(join(dir, 'good'), 0)).runs.find((r) => r.id === 'sharded')!.files).toHaveLength(2);
  });

  it.each([
    ['2026-02-30T25:61:00Z', 'run.startedAt: "2026-02-30T25:61:00Z" is not a real date and time in UTC'],
    ['2026-02-29T02:00:00.000Z', 'run.startedAt: "2026-02-29T02:00:00.000Z" is not a real date and time in UTC'],
    ['2026-12-01T24:00:00Z', 'run.startedAt: "2026-12-01T24:00:00Z" is not a real date and time in UTC'],
    ['2026-12-01T02:00:60Z', 'run.startedAt: "2026-12-01T02:00:60Z" is not a real date and time in UTC'],
    // Runs are ordered by this text: another form (an offset, no seconds, trailing text) would sort wrong.
    ['2026-12-01T02:00:00+05:00', 'run.startedAt must match pattern'],
    ['2026-12-01T02:00', 'run.startedAt must match pattern'],
    ['2026-12-01T02:00:00Z and more', 'run.startedAt must match pattern'],
  ])('a start of %j is refused, naming run.startedAt', async (startedAt, message) => {
    const run = night(2);
    run.run.startedAt = startedAt;
    const error = await errorOf(await folderOf(`date-${Math.random().toString(36).slice(2)}`, [[night(1), 'aaaaaaaaaaaa'], [run, 'bbbbbbbbbbbb']]), 0);
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toContain(`-bbbbbbbbbbbb${RUN_FILE_SUFFIX}: ${message}`);
  });

  it('a real date reads, a leap day and one without milliseconds too', async () => {
    const [a, b] = [night(1), night(2)];
    a.run.startedAt = '2024-02-29T02:00:00Z';
    b.run.startedAt = '2024-03-01T02:00:00.123Z';
    const report = await reportOf(await folderOf('dates', [[a, 'aaaaaaaaaaaa'], [b, 'aaaaaaaaaaaa']]), 0);
    expect(report.runs.map((r) => r.startedAt)).toEqual([a.run.startedAt, b.run.startedAt]);
  });

  it('observed values are not held to a vocabulary: a history is kept across upgrades whose checks change their words', async () => {
    const run = night(2);
    run.cells['us-east-1/m1']!['path-prefix']!.observed = 'a word from another version';
    const report = await reportOf(await folderOf('any-word', [[night(1), 'aaaaaaaaaaaa'], [run, 'aaaaaaaaaaaa']]), 0);
    expect(report.cells.find((c) => c.model === 'm1' && c.check === 'path-prefix')!.segments.at(-1)!.observed).toBe('a word from another version');
  });
});

describe('the quick check of a run file', () => {
  const schema = new Ajv({ allErrors: false, strict: false }).compile(HistoryRunSchema);
  const base = runOf(6, ['us-east-1']);

  /** Every place in the run a mutation may go: the path of each object and array in it. */
  const places: (string | number)[][] = [];
  (function walk(value: unknown, path: (string | number)[]) {
    if (typeof value !== 'object' || value === null) return;
    places.push(path);
    for (const [key, item] of Object.entries(value)) walk(item, [...path, Array.isArray(value) ? Number(key) : key]);
  })(base, []);

  it('takes the fast path for a valid run (every part of the schema present)', () => {
    expect(schema(base)).toBe(true);
    expect(passesQuickCheck(base)).toBe(true);
    expect(runSchemaErrors(base)).toBeUndefined();
  });

  const astral = '\u{1F600}';
  const value = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, '', 'x', 'pass', 'flaky', 'json', [], {}, ['pass', 'x'], [['pass', 'x']], [['flaky', 'x']], { p50: 1, p95: 2 }, { p50: -1, p95: 2 }),
    fc.constantFrom(200, 201, 300, 301, 2000, 2001).chain((n) => fc.constantFrom('x'.repeat(n), astral.repeat(n), `${astral.repeat(n - 1)}x`)),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const mutation = fc.record({ place: fc.nat(), key: fc.oneof(fc.constantFrom('', 'x', 'x'.repeat(201), 'a\nb', '__proto__', 'status', 'observed', 'trials', 'paths', 'n'), fc.string({ maxLength: 3 })), kind: fc.constantFrom('set', 'delete', 'add'), value });

  property.prop([fc.array(mutation, { minLength: 1, maxLength: 3 })], { numRuns: 2000 })('never says yes where the schema says no, and the errors are the schema\'s', (mutations) => {
    const run = structuredClone(base) as unknown as Record<string, unknown>;
    for (const m of mutations) {
      const path = places[m.place % places.length]!;
      const node = path.reduce<unknown>((at, key) => (at as Record<string | number, unknown> | undefined)?.[key], run) as Record<string, unknown> | undefined;
      if (typeof node !== 'object' || node === null) continue;
      const keys = Object.keys(node);
      const key = m.kind === 'add' || keys.length === 0 ? m.key : keys[m.place % keys.length]!;
      if (m.kind === 'delete') delete node[key];
      else Object.defineProperty(node, key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
    const valid = schema(run);
    const errors = schema.errors;
    if (passesQuickCheck(run)) expect(valid).toBe(true);
    expect(runSchemaErrors(run)).toEqual(valid ? undefined : errors);
  });
});
