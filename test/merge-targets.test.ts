/**
 * A merged matrix states one mode, endpoint host, region and surface per target: inputs that hold a target of one
 * id as different endpoints (a replayed shard and a live one, two --endpoints under one --target-name) are refused,
 * naming both files and the field, in either order (neither file wins); shards that differ only in provenance merge.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Matrix, MatrixTarget } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-targets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Shard i/2 of run R2 on target `emulator`: shard 1 ran Grok, shard 2 Qwen (the other's cells not run), as --shard splits. */
function shard(i: 1 | 2, target: Partial<MatrixTarget> = {}, runId = 'R2'): Matrix {
  const other = i === 1 ? QWEN : GROK;
  const notRun = CHECKS.map((check) => ({ model: other, check, status: 'skipped' as const, observed: null, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [], notRun: true as const }));
  const m = smallMatrix(notRun, [GROK, QWEN], CHECKS, { target: 'emulator', runId, shard: `${i}/2` });
  m.targets = [{ ...m.targets[0]!, ...target }];
  return m;
}

const LIVE: Partial<MatrixTarget> = { mode: 'live', endpointHost: '127.0.0.1:36893', provenance: { sources: ['live'] } };

const refusal = (inputs: Matrix[], files: string[]): HarnessError => {
  try {
    mergeMatrices(inputs, files);
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('merged');
};

describe('merge of inputs whose target of one id is another endpoint', () => {
  const cases: [string, Partial<MatrixTarget>, Partial<MatrixTarget>, RegExp][] = [
    ['a replayed shard and a live one', {}, LIVE, /mode "replay" in a\.json, "live" in b\.json; endpointHost null in a\.json, "127\.0\.0\.1:36893" in b\.json/],
    ['two live shards of one --target-name against different --endpoints', LIVE, { ...LIVE, endpointHost: '10.0.0.7:40707' }, /endpointHost "127\.0\.0\.1:36893" in a\.json, "10\.0\.0\.7:40707" in b\.json\)/],
    ['a shard run as bedrock-runtime', {}, { surface: 'runtime' }, /surface "mantle" in a\.json, "runtime" in b\.json/],
    ['a shard of another region', { region: 'us-east-1' }, { region: 'us-west-2' }, /region "us-east-1" in a\.json, "us-west-2" in b\.json/],
  ];
  it.each(cases)('refuses %s, in either order: exit 2 naming both files and the field', (_name, a, b, field) => {
    const [one, two] = [shard(1, a), shard(2, b)];
    const error = refusal([one, two], ['a.json', 'b.json']);
    expect(error.code).toBe('HARNESS_REPORT_INVALID');
    expect(error.message).toMatch(/^merge: a\.json and b\.json cannot be one matrix: target "emulator" is not the same endpoint in both/);
    expect(error.message).toMatch(field);
    expect(error.message).toContain('neither file wins');
    // The other order is refused as well: the first file's target does not win.
    const swapped = refusal([two, one], ['b.json', 'a.json']);
    expect(swapped.code).toBe('HARNESS_REPORT_INVALID');
    expect(swapped.message).toMatch(/^merge: b\.json and a\.json cannot be one matrix/);
  });

  it('refuses it across run ids too: the merged matrix has one entry per target either way', () => {
    const error = refusal([shard(1, {}, 'east'), shard(2, LIVE, 'west')], ['a.json', 'b.json']);
    expect(error.message).toMatch(/target "emulator" is not the same endpoint in both \(mode "replay" in a\.json, "live" in b\.json/);
  });

  it('merges shards that differ only in provenance, joining it', () => {
    const one = shard(1, { provenance: { sources: ['emulator'], recordedFrom: '2026-11-01T00:00:00.000Z', recordedTo: '2026-11-02T00:00:00.000Z' } });
    const two = shard(2, { provenance: { sources: ['live'], recordedFrom: '2026-10-01T00:00:00.000Z', recordedTo: '2026-11-03T00:00:00.000Z' } });
    for (const inputs of [[one, two], [two, one]]) {
      const merged = mergeMatrices(inputs, ['a.json', 'b.json']);
      expect(merged.gate).toMatchObject({ exitCode: 0, verdict: 'pass' });
      expect(merged.targets).toEqual([expect.objectContaining({ id: 'emulator', mode: 'replay', endpointHost: null, provenance: { sources: ['emulator', 'live'], recordedFrom: '2026-10-01T00:00:00.000Z', recordedTo: '2026-11-03T00:00:00.000Z' } })]);
    }
    // Two live shards against the same endpoint merge as well.
    expect(mergeMatrices([shard(1, LIVE), shard(2, LIVE)]).targets).toEqual([expect.objectContaining({ mode: 'live', endpointHost: '127.0.0.1:36893' })]);
  });

  it('the CLI exits 2 with the message, and writes no merged report', async () => {
    const save = async (name: string, m: Matrix) => {
      const file = join(dir, name);
      await writeFile(file, JSON.stringify(m));
      return file;
    };
    const [a, b] = [await save('replayed.json', shard(1)), await save('live.json', shard(2, LIVE))];
    const out = join(dir, 'merged');
    const refused = await cli(['merge', b, a, '--report-dir', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HARNESS_REPORT_INVALID: merge: \S*live\.json and \S*replayed\.json cannot be one matrix: target "emulator" is not the same endpoint in both \(mode "live" in \S*live\.json, "replay" in \S*replayed\.json/);
    await expect(readFile(join(out, 'matrix.json'), 'utf8')).rejects.toThrow();
    const good = await cli(['merge', a, await save('replayed-2.json', shard(2)), '--report-dir', out]);
    expect(good.code, good.stderr).toBe(0);
  });
});
