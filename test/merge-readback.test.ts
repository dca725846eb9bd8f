/**
 * What an independent review of the merge fixes found (2026-12-05): a merge must write what its own reader reads (a
 * region filtered and another not: the filtered region's cells say its run's filters, not the merged run's), a shard
 * relabelled `1/1` must not pass a merge with its other shard's cells never run, keys a file gives at the API level
 * are checked too (`constructor` crashed compare), and table sees a merge given with one of its own shards.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const ELSEWHERE = 'not run: filtered out (a model filter or -t) or in another shard';
const notRun = (model: string) => CHECKS.map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE, evidence: [], notRun: true as const }));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-readback-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
async function save(m: unknown): Promise<string> {
  const file = join(dir, `m${n++}.json`);
  await writeFile(file, JSON.stringify(m, null, 2));
  return file;
}

describe('a merge reads back', () => {
  it('regions, one filtered and one not: the merge passes and its file is read again by report', async () => {
    const filtered = smallMatrix(notRun(QWEN), [GROK, QWEN], CHECKS, { runId: 'RA', target: 'emulator' });
    filtered.run.selection.filters = ['grok'];
    const whole = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'RB', target: 'runtime.emulator' });
    const merged = mergeMatrices([filtered, whole]);
    expect(merged.gate.verdict, merged.run.partialReason).toBe('pass');
    expect(merged.results.find((r) => r.target === 'emulator' && r.model === QWEN)!.reason).toBe("not run: filtered out on target emulator by run RA's filters (grok)");
    expect(() => parseMatrix(JSON.parse(JSON.stringify(merged)), 'merged.json')).not.toThrow();
    const rendered = await cli(['report', await save(merged), '--report-dir', join(dir, 'out-regions')]);
    expect(rendered.code, rendered.stderr).toBe(0);
  });

  it('a shard relabelled 1/1 with its other shard missing is a partial merge, not a pass', () => {
    const relabelled = smallMatrix(notRun(QWEN), [GROK, QWEN], CHECKS, { runId: 'LA', shard: '1/1' });
    const other = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'RB', target: 'runtime.emulator' });
    const merged = mergeMatrices([relabelled, other]);
    expect(merged.run.partial).toBe(true);
    expect(merged.run.partialReason).toMatch(/run LA: 3 cell\(s\) no input ran, which its files call another shard's/);
    expect(merged.gate.verdict).toBe('fail');
  });

  it('both shards: whole, and nothing said of leftovers', () => {
    const one = smallMatrix(notRun(QWEN), [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' });
    const two = smallMatrix(notRun(GROK), [GROK, QWEN], CHECKS, { runId: 'S', shard: '2/2' });
    const merged = mergeMatrices([one, two]);
    expect(merged.run.partial, merged.run.partialReason).toBe(false);
  });
});

describe('keys below the target/model level', () => {
  it('an API key named constructor in shapes.exchanges is exit 2 with its path, not a crash of compare', async () => {
    const before = smallMatrix();
    const after = smallMatrix();
    const withShapes = (m: Matrix): Matrix => ({ ...m, shapes: { fingerprints: { abc: { status: 200, kind: 'json', paths: [], headers: [] } }, exchanges: { [`emulator/${GROK}`]: { constructor: { name: ['abc'], length: ['abc'] } } } } as unknown as Matrix['shapes'] });
    const r = await cli(['compare', await save(withShapes(before)), await save(withShapes(after))]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/shapes\.exchanges\.emulator\/xai\.grok-4\.3: "constructor" is not an API/);
  });
});

describe('table', () => {
  it('a merge of shards given with one of those shards is refused; so are the two shards alone, with merge as the fix', async () => {
    const one = smallMatrix(notRun(QWEN), [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' });
    const two = smallMatrix(notRun(GROK), [GROK, QWEN], CHECKS, { runId: 'S', shard: '2/2' });
    const merged = await save(mergeMatrices([one, two]));
    const [a, b] = [await save(one), await save(two)];
    const twice = await cli(['table', merged, a]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/both hold run S on target emulator/);
    // Each shard alone would say the other shards are not here: they are merged first (review rvc finding 5).
    const apart = await cli(['table', a, b]);
    expect(apart.code).toBe(2);
    expect(apart.stderr).toMatch(/are shards of one run, S, given apart: .*merge them first \(mantle-conformance merge /);
  });
});
