/**
 * `--models listed` promises every listed id. An id src/names.ts refused was dropped with no word on the console, in
 * the step summary or junit.xml, and the gate passed at "100% observed" (review of 2026-12-06). vLLM lists a model
 * served from a path by that path (`/mnt/models/Llama-3.1-8B-Instruct`): such an id is now a model id (it names a
 * folder only encoded). An id the harness still cannot use fails the gate (matrix format 4), in every report; ids
 * past the cap are the "not read whole" partial rule's, never counted twice; a format 3 file an older build judged
 * keeps its format with a note, and merge refuses to mix it with format 4.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilters } from '../src/cell-selection.ts';
import { modelsFlag } from '../src/cli/run-options.ts';
import { folderName, nameFromFolder, nameProblem } from '../src/names.ts';
import { gateOf } from '../src/report/gate.ts';
import { MATRIX_FORMAT, type Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { startListingServer, type ListingServer } from './helpers/listing-server.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const PATH_ID = '/mnt/models/Llama-3.1-8B-Instruct';
const LONG = `acme.${'x'.repeat(300)}`;
let listed: string[] = [];
let dir: string;
let url: string;
let server: ListingServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'listed-unusable-'));
  server = await startListingServer(() => listed);
  url = server.url;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (name: string) =>
  cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'listed', '--checks', 'api.chat-completions', '--report-dir', join(dir, name), '--plain'], { GITHUB_STEP_SUMMARY: join(dir, `${name}.md`) });

describe('a model id served from a path (vLLM)', () => {
  it('is a model id; every other rule stays', () => {
    expect(nameProblem(PATH_ID, 'model id')).toBeUndefined();
    expect(nameProblem('/', 'model id')).toBeUndefined();
    for (const bad of ['.', '..', ' /x', '/x y', '/x\u001b[31m', `/${'x'.repeat(160)}`, '\\x']) expect(nameProblem(bad, 'model id'), bad).toBeDefined();
    // It names a folder only encoded, and reversibly: no separator, no `..`.
    expect(folderName(PATH_ID)).toBe('_2Fmnt_2Fmodels_2F_4Clama-3.1-8_42-_49nstruct');
    expect(nameFromFolder(folderName(PATH_ID))).toBe(PATH_ID);
    expect(folderName('/../x')).not.toMatch(/[/\\]/);
    expect(modelsFlag(`${PATH_ID},ok-model`).models).toEqual([PATH_ID, 'ok-model']);
    // A filter that is the id, or part of it with its `/` and capitals, selects it, as the encoded file name would not.
    for (const filter of [PATH_ID, '/mnt/models', 'Llama-3.1', 'mnt']) expect(matchesFilters({ target: 't', model: PATH_ID }, [filter]), filter).toBe(true);
    expect(matchesFilters({ target: 't', model: 'ok-model' }, ['/mnt'])).toBe(false);
  });

  it('listed, it is tested, and the gate passes on a list of usable ids', async () => {
    listed = ['ok-model', PATH_ID];
    const result = await run('usable');
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const matrix = JSON.parse(await readFile(join(dir, 'usable', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.results.map((r) => [r.model, r.status])).toEqual([[PATH_ID, 'pass'], ['ok-model', 'pass']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    expect(matrix.targets[0]!.modelList).toMatchObject({ refused: [], unusable: 0 });
    expect(await readFile(join(dir, 'usable', 'junit.xml'), 'utf8')).toContain(`classname="${matrix.targets[0]!.id}.${PATH_ID}"`);
  });
});

describe('listed ids the harness cannot use as model ids', () => {
  it('fail the gate, said on the console, in matrix.json, matrix.md, matrix.html, junit.xml and the step summary; inert', async () => {
    listed = ['ok-model', PATH_ID, 'bad id', 'x\u001b[31my', LONG, '::error::pwned'];
    const result = await run('hostile');
    expect(result.code, result.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(dir, 'hostile', 'matrix.json'), 'utf8')) as Matrix;
    const target = matrix.targets[0]!.id;
    const line = `target ${target} listed 4 id(s) the harness cannot use as model ids`;
    expect(matrix.format).toBe(MATRIX_FORMAT);
    expect(matrix.targets[0]!.modelList!.unusable).toBe(4);
    expect(matrix.gate.verdict).toBe('fail');
    expect(matrix.gate.problems).toEqual([expect.objectContaining({ kind: 'unusable-listed-ids', target, message: expect.stringMatching(/^target \S+ listed 4 id\(s\) the harness cannot use as model ids \("bad id", "x\\u001b\[31my", .*and 1 more\): they were not tested; to test the others with a passing gate, name them with --models$/) })]);
    // Both usable ids were still tested.
    expect(new Set(matrix.results.map((r) => r.model))).toEqual(new Set(['ok-model', PATH_ID]));
    expect(result.stdout).toContain(`  ${line} (`);
    expect(result.stdout).toContain(`gate: fail (exit 1): ${line}\n`);
    expect(result.stdout).not.toContain('\u001b');
    for (const file of ['matrix.md', 'matrix.html', 'junit.xml']) expect(await readFile(join(dir, 'hostile', file), 'utf8'), file).toContain(line);
    expect(await readFile(join(dir, 'hostile', 'junit.xml'), 'utf8')).toContain('<testcase classname="gate" name="unusable-listed-ids (');
    const summary = await readFile(join(dir, 'hostile.md'), 'utf8');
    expect(summary).toContain('### Mantle conformance: fail');
    expect(summary).toContain(line);
    expect(summary).not.toContain('\u001b');
  });

  it('ids past the cap are the partial rule\'s, not counted again; a count past those named is kept; a format 3 file counts what it names', () => {
    const withList = (modelList: NonNullable<Matrix['targets'][number]['modelList']>): Matrix => {
      const m = smallMatrix();
      return { ...m, targets: [{ ...m.targets[0]!, modelList }] };
    };
    const base = { listed: 2000, new: [], notListed: [] };
    const capped = withList({ ...base, source: 'GET /v1/models; not read whole: 3 id(s) past the 2000-id cap not used', refused: [1, 2, 3].map((i) => ({ id: `m${i}`, problem: 'more than 2000 ids listed' })), unusable: 0 });
    expect(gateOf(capped).problems.map((p) => p.kind)).toEqual(['partial']);
    const many = withList({ ...base, source: 'GET /v1/models', refused: [...Array.from({ length: 49 }, (_, i) => ({ id: `bad ${i}`, problem: 'spaces' })), { id: '...', problem: 'and 11 more id(s) refused, not named one by one' }], unusable: 60 });
    expect(gateOf(many).problems.map((p) => p.message)).toEqual([expect.stringMatching(/^target emulator listed 60 id\(s\) the harness cannot use as model ids \("bad 0", "bad 1", "bad 2", and 57 more\)/)]);
    // Written before `unusable` (format 3): what it names, and the rest it counts when no id was past the cap.
    const { unusable: _u, ...older } = many.targets[0]!.modelList!;
    expect(gateOf(withList(older)).problems[0]!.message).toContain('listed 60 id(s)');
    const { unusable: _c, ...olderCapped } = capped.targets[0]!.modelList!;
    expect(gateOf(withList({ ...olderCapped, refused: [{ id: 'a b', problem: 'spaces' }, ...olderCapped.refused] })).problems.map((p) => [p.kind, p.message.split(' (')[0]])).toEqual([
      ['partial', 'partial run: the model list of target emulator was not read whole'],
      ['unusable-listed-ids', 'target emulator listed 1 id(s) the harness cannot use as model ids'],
    ]);
  });

  it('a format 3 file is one an older build judged: report keeps format 3 with a note, and fails its gate here; merge refuses to mix it with the current format', async () => {
    const m = smallMatrix([], undefined, undefined, { runId: 'old', target: 'region-a' });
    const older = join(dir, 'format3.json');
    await writeFile(older, JSON.stringify({ ...m, format: 'mantle-conformance.matrix/3', targets: [{ ...m.targets[0]!, modelList: { source: 'GET /v1/models', listed: 2, new: [], notListed: [], refused: [{ id: 'bad id', problem: 'spaces' }] } }] }));
    const reported = await cli(['report', older, '--report-dir', join(dir, 'report3')]);
    expect(reported.code, reported.stderr).toBe(1);
    expect(reported.stderr).toContain(`note: ${older} was judged by an older mantle-conformance (format 3): its cells stand as that build judged them (by older rules: listed ids it could not use as model ids did not fail the gate it wrote (the gate judged here again does); a --baseline that compared nothing`);
    const written = JSON.parse(await readFile(join(dir, 'report3', 'matrix.json'), 'utf8')) as Matrix;
    expect([written.format, written.gate.problems.map((p) => p.kind)]).toEqual(['mantle-conformance.matrix/3', ['unusable-listed-ids']]);
    const newer = join(dir, 'format4.json');
    await writeFile(newer, JSON.stringify(smallMatrix([], undefined, undefined, { runId: 'new', target: 'region-b' })));
    const merged = await cli(['merge', newer, older, '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(2);
    expect(merged.stderr).toContain(`merge: ${newer} is format 6 and ${older} format 3: they were judged by different versions of mantle-conformance`);
  });
});
