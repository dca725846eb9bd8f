/**
 * A target's host is not what makes it another endpoint: one endpoint has many names (`localhost` and `127.0.0.1`, a
 * PrivateLink name and the public one), so a host change with the same surface and region is compared (a regression
 * there is a new failure, exit 1), noted in one line, and history does not call its change "not the endpoint's".
 * Only a surface or region change sets a target apart; when that leaves nothing compared, compare, report --baseline
 * and matrix.md say "nothing was compared" rather than "new failures: 0". Merge reads the host as compare does,
 * without its port: shards that each started their own local server merge.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory } from './helpers/history-files.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import type { Matrix, MatrixTarget } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'host-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const LIVE = (endpointHost: string, region: string | null = null): Partial<MatrixTarget> => ({ mode: 'live', endpointHost, region, surface: 'mantle', provenance: { sources: ['live'] } });

/** Run `runId` of target `gw`, created-at.chat observing `createdAt` (exponent: a failure). */
function run(runId: string, startedAt: string, target: Partial<MatrixTarget>, createdAt: 'integer' | 'exponent'): Matrix {
  const cells = createdAt === 'exponent' ? [{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail' as const, observed: 'exponent', reason: 'exponent' }] : [];
  const m = smallMatrix(cells, undefined, undefined, { target: 'gw', runId });
  m.run.startedAt = startedAt;
  // A run ends after it starts (read-matrix refuses an end before the start).
  if (m.run.finishedAt < startedAt) m.run.finishedAt = startedAt;
  m.targets = m.targets.map((t) => ({ ...t, ...target }));
  return m;
}

const BEFORE = '2026-11-24T08:00:00.000Z';
const AFTER = '2026-11-25T08:00:00.000Z';

describe('compare across a host change', () => {
  it('localhost after 127.0.0.1 (another port too): compared, the regression is a new failure, exit 1, and noted', async () => {
    const before = run('r1', BEFORE, LIVE('127.0.0.1:41750'), 'integer');
    const after = run('r2', AFTER, LIVE('localhost:41752'), 'exponent');
    const comparison = compareMatrices(before, after);
    expect(comparison.changedTargets).toBeUndefined();
    expect(comparison.newFailures.map((c) => c.check)).toEqual(['created-at.chat']);
    expect(comparison.regressed).toBe(true);
    await writeFile(join(dir, 'a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'b.json'), JSON.stringify(after));
    const compared = await cli(['compare', join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(compared.code, compared.stderr).toBe(1);
    expect(compared.stdout).toContain('new failures: 1');
    expect(compared.stdout).toContain('regressed: yes (exit 1)');
    expect(compared.stdout).not.toContain('another endpoint');
    expect(compared.stderr).toContain('note: target gw was reached at another host than in the baseline (host "127.0.0.1" -> "localhost"); its surface and region are the same, so it was compared as one endpoint');
  });

  it('a PrivateLink name after the public one (same region and surface): compared, report --baseline regressed', async () => {
    const before = run('r1', BEFORE, LIVE('bedrock-mantle.us-east-1.api.aws', 'us-east-1'), 'integer');
    const after = run('r2', AFTER, LIVE('vpce-0abc123-xyz.bedrock-mantle.us-east-1.vpce.amazonaws.com', 'us-east-1'), 'exponent');
    expect(compareMatrices(before, after)).toMatchObject({ regressed: true });
    await writeFile(join(dir, 'pl-a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'pl-b.json'), JSON.stringify(after));
    const reported = await cli(['report', join(dir, 'pl-b.json'), '--baseline', join(dir, 'pl-a.json'), '--report-dir', join(dir, 'pl')]);
    expect(reported.code, reported.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'pl', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.gate.regressedSinceBaseline).toBe(true);
    expect(matrix.comparison?.changedTargets).toBeUndefined();
  });

  it('a region change still sets the target apart; with nothing else compared every output says nothing was compared (compare exits 1)', async () => {
    const before = run('r1', BEFORE, LIVE('bedrock-mantle.us-east-1.api.aws', 'us-east-1'), 'integer');
    const after = run('r2', AFTER, LIVE('bedrock-mantle.us-west-2.api.aws', 'us-west-2'), 'exponent');
    const comparison = compareMatrices(before, after);
    expect(comparison.changedTargets).toEqual([{ target: 'gw', changes: [{ field: 'region', before: 'us-east-1', after: 'us-west-2' }] }]);
    expect(comparison.regressed).toBe(false);
    // run --baseline prints describeComparison with its targets.
    const text = describeComparison(comparison, after.targets);
    expect(text).toContain('nothing was compared: no target of this run is in the baseline as the same endpoint');
    expect(text).not.toMatch(/new failures: 0|regressed: no$/m);
    await writeFile(join(dir, 'r-a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'r-b.json'), JSON.stringify(after));
    const compared = await cli(['compare', join(dir, 'r-a.json'), join(dir, 'r-b.json')]);
    // A compare that compared nothing is no green gate (rvJ finding 1): exit 1.
    expect(compared.code, compared.stderr).toBe(1);
    expect(compared.stdout).toContain('nothing was compared');
    expect(compared.stdout).not.toContain('new failures: 0');
    const reported = await cli(['report', join(dir, 'r-b.json'), '--baseline', join(dir, 'r-a.json'), '--report-dir', join(dir, 'r')]);
    expect(reported.stdout).toContain('nothing was compared with --baseline');
    expect(await readFile(join(dir, 'r', 'matrix.md'), 'utf8')).toContain('**Nothing was compared: ');
  });
});

describe('history across a host change', () => {
  const file = (id: string, at: string, host: string, region: string | null, value: string): HistoryRun => ({
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: at, finishedAt: at, harnessVersion: '0.1.0', partial: false, filtered: false },
    targets: [{ id: 'gw', mode: 'live', region, endpointHost: host, surface: 'mantle', sources: ['live'] }],
    models: [{ id: 'm1', family: null, inCatalog: true }],
    checks: [{ id: 'c1', group: 'G', api: null }],
    cells: { 'gw/m1': { c1: { status: value === 'integer' ? 'pass' : 'fail', observed: value } } },
  });

  it('a host-only change is the endpoint\'s change; a region change is not', () => {
    const hosts = buildHistory([file('r1', '2026-11-01T00:00:00.000Z', 'localhost:41750', null, 'integer'), file('r2', '2026-11-02T00:00:00.000Z', '127.0.0.1:41752', null, 'exponent')]);
    const change = hosts.cells[0]!.changes[0]!;
    expect(change.targetChanged).toBeUndefined();
    expect(change.text).toBe('integer -> exponent');
    const regions = buildHistory([file('r1', '2026-11-01T00:00:00.000Z', 'a', 'us-east-1', 'integer'), file('r2', '2026-11-02T00:00:00.000Z', 'b', 'us-west-2', 'exponent')]);
    expect(regions.cells[0]!.changes[0]!.targetChanged).toBe('region "us-east-1" -> "us-west-2"');
  });
});

describe('merge', () => {
  /** Shard i/2 of run P of target gw, live at `host`: shard 1 ran Grok, shard 2 Qwen. */
  function shard(i: 1 | 2, host: string): Matrix {
    const other = i === 1 ? 'qwen.qwen3-32b' : 'xai.grok-4.3';
    const checks = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
    const notRun = checks.map((check) => ({ model: other, check, status: 'skipped' as const, observed: null, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [], notRun: true as const }));
    const m = smallMatrix(notRun, undefined, checks, { target: 'gw', runId: 'P', shard: `${i}/2` });
    m.targets = [{ ...m.targets[0]!, ...LIVE(host) }];
    return m;
  }

  it('merges shards that each started their own server (only the port differs); refuses another host', () => {
    const merged = mergeMatrices([shard(1, '127.0.0.1:41750'), shard(2, '127.0.0.1:41752')], ['a.json', 'b.json']);
    expect(merged.gate.exitCode).toBe(0);
    expect(merged.targets.map((t) => t.endpointHost)).toEqual(['127.0.0.1:41750']);
    expect(() => mergeMatrices([shard(1, '127.0.0.1:41750'), shard(2, '10.0.0.7:41750')], ['a.json', 'b.json'])).toThrow(/endpointHost "127\.0\.0\.1:41750" in a\.json, "10\.0\.0\.7:41750" in b\.json/);
  });
});
