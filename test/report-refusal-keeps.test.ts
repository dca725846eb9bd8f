/**
 * `report`'s deliberate refusals of an input rendered where it lies remove nothing: its folder's earlier matrix.md,
 * matrix.html and junit.xml (the input's own renderings) are still there, byte for byte, when it refuses
 * - fields this version does not know, with --baseline (written again with the comparison, it would lose them);
 * - a `latest/matrix.json` link repointed during the read, or while the new reports are staged.
 * A CI step re-rendering an artifact a newer build wrote keeps the run's renderings for its upload step. The race is
 * made deterministic by patching node:fs/promises, as report-race.test.ts does.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { patchFsPromises, restoreFsPromises } from './helpers/fs-promises-patch.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

afterEach(restoreFsPromises);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mantle-report-keeps-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const RENDERINGS = ['matrix.md', 'matrix.html', 'junit.xml'];
const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
/** Each rendering of `dir` by name, as its digest. */
const renderings = async (dir: string) => Object.fromEntries(await Promise.all(RENDERINGS.map(async (name) => [name, await digest(join(dir, name))])));

const save = (file: string, m: unknown) => writeFile(file, `${JSON.stringify(m, null, 2)}\n`);

describe("report's refusals keep the earlier renderings", () => {
  it('fields this version does not know, with --baseline: exit 2, "Nothing was written", the renderings byte for byte', async () => {
    const dir = join(root, 'newer-fields');
    await mkdir(dir);
    const m = smallMatrix() as unknown as Record<string, unknown>;
    (m.run as Record<string, unknown>).newerField = 'from a newer build';
    ((m.results as Record<string, unknown>[])[0]!).confidence = 0.9;
    const file = join(dir, 'matrix.json');
    await save(file, m);
    const baseline = join(root, 'newer-fields-baseline.json');
    await save(baseline, smallMatrix([], undefined, undefined, { runId: 'r0' }));
    // The artifact as a CI job has it: rendered once (the input left as it is, its renderings written).
    const first = await cli(['report', file]);
    expect(first.code, first.stderr).toBe(0);
    const before = await renderings(dir);
    const data = await digest(file);

    const result = await cli(['report', file, '--baseline', baseline]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('this version does not know');
    expect(result.stderr).toContain('Nothing was written.');
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
    expect(await renderings(dir)).toEqual(before);
    expect(await digest(file)).toBe(data);
  });

  /** runs/a, runs/b, and latest/ holding matrix.json -> ../runs/a/matrix.json, rendered once. */
  async function latest(name: string) {
    const dir = join(root, name);
    for (const [run, id] of [['a', 'run-A'], ['b', 'run-B']] as const) {
      await mkdir(join(dir, 'runs', run), { recursive: true });
      await save(join(dir, 'runs', run, 'matrix.json'), smallMatrix([], undefined, undefined, { runId: id }));
    }
    await mkdir(join(dir, 'latest'));
    const link = join(dir, 'latest', 'matrix.json');
    await symlink('../runs/a/matrix.json', link);
    const first = await cli(['report', link]);
    expect(first.code, first.stderr).toBe(0);
    const repoint = async () => {
      await symlink('../runs/b/matrix.json', `${link}.new`);
      await rename(`${link}.new`, link);
    };
    return { dir, link, latest: join(dir, 'latest'), repoint };
  }

  it('a link repointed during the read: exit 2, "Nothing was written", the renderings byte for byte', async () => {
    const { link, latest: folder, repoint } = await latest('repointed-during-read');
    const before = await renderings(folder);
    patchFsPromises('open', (path) => path.endsWith(join('runs', 'a', 'matrix.json')) || path === link, repoint);
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('changed while report read it');
    expect(result.stderr).toContain('Nothing was written');
    expect((await readdir(folder)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
    expect(await renderings(folder)).toEqual(before);
  });

  it('a link repointed while the new reports are staged: exit 2, no staged file left, the renderings byte for byte', async () => {
    const { dir, link, latest: folder, repoint } = await latest('repointed-during-write');
    const before = await renderings(folder);
    patchFsPromises('writeFile', (path) => path.startsWith(dir) && path.endsWith('.tmp'), repoint);
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('changed while report read it');
    expect((await readdir(folder)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
    expect(await renderings(folder)).toEqual(before);
  });

  it('an input left alone is still rendered: the earlier renderings are replaced by the new ones', async () => {
    const { link, latest: folder } = await latest('left-alone');
    await writeFile(join(folder, 'junit.xml'), (await readFile(join(folder, 'junit.xml'), 'utf8')).replace('mantle-conformance"', 'mantle-conformance" '));
    const stale = await digest(join(folder, 'junit.xml'));
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(0);
    expect(await digest(join(folder, 'junit.xml'))).not.toBe(stale);
  });
});
