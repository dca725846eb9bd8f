/**
 * Model lists across shards, in `catalog diff` and in hand edits (hostile review rvH, findings 1, 3 and 4). A merge
 * kept the first input's model list only: a shard whose list held an unusable id, or was not read whole, merged
 * green when given second. `catalog diff` exited 0 on a list holding an id no run can test. A matrix.json whose
 * `modelList.unusable` contradicts its own `refused` was read and passed its gate.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinModelLists } from '../src/report/merge-model-lists.ts';
import { refusedListing, unusableListed, unusableRange, type ModelListing } from '../src/report/model-lists.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { startListingServer, type ListingServer } from './helpers/listing-server.ts';

let listed: string[] = [];
/** While set, `/v1/models` fails (HTTP 500) and `/openai/v1/models` still answers: a list not read whole. */
let fail = false;
let dir: string;
let url: string;
let server: ListingServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'listed-merge-'));
  server = await startListingServer(() => listed, (path) => fail && path.startsWith('/v1/'));
  url = server.url;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const shard = (name: string, i: number, runId: string) =>
  cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'listed', '--checks', 'api.chat-completions', '--run-id', runId, '--shard', `${i}/2`, '--report-dir', join(dir, name), '--quiet']);
const matrixOf = async (name: string) => JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix;
const merge = (a: string, b: string, out: string) => cli(['merge', join(dir, a, 'matrix.json'), join(dir, b, 'matrix.json'), '--report-dir', join(dir, out)]);

describe('merge joins every input\'s model list of a target, so the gate does not depend on the order of the files', () => {
  it('a shard whose list held an unusable id fails the merge in either order', async () => {
    listed = ['ok-model', 'other-model'];
    expect((await shard('u1', 1, 'N7')).code).toBe(0);
    listed = ['ok-model', 'other-model', '../bad'];
    expect((await shard('u2', 2, 'N7')).code).toBe(1);
    const [ab, ba] = [await merge('u1', 'u2', 'um'), await merge('u2', 'u1', 'um2')];
    for (const merged of [ab, ba]) {
      expect(merged.code, merged.stderr + merged.stdout).toBe(1);
      expect(merged.stdout).toMatch(/target 127\.0\.0\.1_\d+ listed 1 id\(s\) the harness cannot use as model ids \("\.\.\/bad"\)/);
    }
    const [m1, m2] = [await matrixOf('um'), await matrixOf('um2')];
    expect(m1.targets[0]!.modelList).toEqual(m2.targets[0]!.modelList);
    expect(m1.targets[0]!.modelList).toMatchObject({ listed: 2, new: ['ok-model', 'other-model'], refused: [{ id: '../bad' }], unusable: 1 });
    expect(m1.gate.problems.map((p) => p.kind)).toContain('unusable-listed-ids');
    // The merged file is read back as a run's: report re-judges it the same.
    expect((await cli(['report', join(dir, 'um', 'matrix.json'), '--report-dir', join(dir, 'um-r')])).code).toBe(1);
  });

  it('a shard whose list was not read whole makes the merge partial in either order', async () => {
    listed = ['ok-model', 'other-model'];
    expect((await shard('p1', 1, 'P7')).code).toBe(0);
    fail = true;
    try {
      expect((await shard('p2', 2, 'P7')).code).toBe(1);
    } finally {
      fail = false;
    }
    expect((await matrixOf('p2')).targets[0]!.modelList!.source).toMatch(/; not read whole: GET \/v1\/models: HTTP 500/);
    for (const [a, b, out] of [['p1', 'p2', 'pm'], ['p2', 'p1', 'pm2']] as const) {
      const merged = await merge(a, b, out);
      expect(merged.code, merged.stderr + merged.stdout).toBe(1);
      const m = await matrixOf(out);
      expect(m.targets[0]!.modelList!.source).toMatch(/; not read whole: GET \/v1\/models: HTTP 500$/);
      expect(m.gate.problems.map((p) => p.kind)).toContain('partial');
    }
  });
});

describe('joinModelLists', () => {
  const list = (over: Partial<ModelListing>): ModelListing => ({ source: 'GET /v1/models', listed: 2, new: ['n1'], notListed: ['c2'], refused: [], unusable: 0, ...over });

  it('joins ids, refused ids by id, parts not read, and counts the joined list', () => {
    // Catalog c1, c2: the first lists n1 and c1; the second n2, c1 and c2, and "a b" it refused.
    const a = list({});
    const b = list({ source: 'GET /openai/v1/models; not read whole: GET /v1/models: HTTP 500', listed: 3, new: ['n2'], notListed: [], refused: [{ id: 'a b', problem: 'spaces' }], unusable: 1 });
    for (const joined of [joinModelLists([a, b]), joinModelLists([b, a])]) {
      expect(joined).toEqual({ source: 'GET /openai/v1/models and GET /v1/models; not read whole: GET /v1/models: HTTP 500', listed: 4, new: ['n1', 'n2'], notListed: [], refused: [{ id: 'a b', problem: 'spaces' }], unusable: 1 });
      expect(unusableListed(joined).count).toBe(1);
    }
    expect(joinModelLists([b, b])).toEqual(b);
  });

  it('an id refused by both is counted once; counts it could not name stay counted, within what refused allows', () => {
    const bad = { id: 'a b', problem: 'spaces' };
    expect(joinModelLists([list({ refused: [bad], unusable: 1 }), list({ refused: [bad, { id: 'c d', problem: 'spaces' }], unusable: 2 })]).unusable).toBe(2);
    const many = refusedListing(Array.from({ length: 60 }, (_, i) => ({ id: `bad ${i}`, problem: 'spaces' })), []);
    expect(many.refused).toHaveLength(50);
    const joined = joinModelLists([list(many), list({ refused: [{ id: 'other', problem: 'spaces' }], unusable: 1 })]);
    expect(joined.unusable).toBe(60);
    const { least, most } = unusableRange(joined);
    expect(joined.unusable! >= least && joined.unusable! <= most).toBe(true);
    // Format 3 inputs (no count): none is written, and the gate's count from what `refused` names is the join's.
    const { unusable: _a, ...old } = list({ refused: [bad] });
    const { unusable: _b, ...old2 } = list({ refused: [{ id: 'c d', problem: 'spaces' }] });
    const older = joinModelLists([old, old2]);
    expect(older.unusable).toBeUndefined();
    expect(unusableListed(older).count).toBe(2);
  });
});

describe('a matrix.json whose modelList.unusable contradicts its refused list is refused as edited', () => {
  it.each([
    ['0 beside a named ../bad', 0],
    ['more than refused names or counts', 5],
  ])('%s: exit 2 naming the field', async (name, unusable) => {
    const m = await matrixOf('u2');
    m.targets[0]!.modelList!.unusable = unusable;
    const file = join(dir, `edited-${unusable}.json`);
    await writeFile(file, JSON.stringify(m));
    const reported = await cli(['report', file, '--report-dir', join(dir, `edited-${unusable}`)]);
    expect(reported.code, reported.stderr).toBe(2);
    expect(reported.stderr).toContain(`targets[0].modelList.unusable: ${unusable}, but its refused list names 1 id(s) refused as model ids (it must be 1); this matrix.json was edited or is damaged`);
    expect(reported.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('as the run wrote it, it is read and its gate fails', async () => {
    const reported = await cli(['report', join(dir, 'u2', 'matrix.json'), '--report-dir', join(dir, 'as-written')]);
    expect(reported.code, reported.stderr).toBe(1);
  });

  it('unusableRange: a list read writes a count within it', () => {
    const refused = refusedListing(Array.from({ length: 55 }, (_, i) => ({ id: `bad ${i}`, problem: 'spaces' })), [{ id: 'x', problem: 'more than 2000 ids listed' }]);
    expect(unusableRange(refused)).toEqual({ least: 49, most: 56 });
    expect(refused.unusable).toBe(55);
  });
});

describe('catalog diff', () => {
  const diff = (...more: string[]) => cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none', ...more]);

  it('exits 1 when a target lists an id the harness cannot use, as the gate of run --models listed fails on it', async () => {
    listed = ['openai.gpt-oss-20b'];
    expect((await diff()).code).toBe(0);
    listed = ['../bad', 'openai.gpt-oss-20b'];
    const text = await diff();
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('refused (not a usable model id): "../bad"');
    const json = await diff('--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { targets: { unusable: number; new: string[] }[] }).targets[0]).toMatchObject({ unusable: 1, new: [] });
  });
});
