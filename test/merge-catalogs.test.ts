/**
 * Merge of runs of different catalogs (review r2m, findings 1 and 2): a file left from an earlier night is refused as
 * another night's before anything its catalog of then says; a "did you mean" text or a family title that each region's
 * catalog words its own way is joined (the code-unit-smallest, whatever the order), while inCatalog, family and
 * whether a suggestion exists are still refused; the refusal names the odd input only when the inputs show it and
 * calls no catalog the right one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Matrix, MatrixModel } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const ODD = 'anthropic.claude-opus-4-8x';

/** One region's whole run of one model, its entry as that region's catalog wrote it, started `daysBefore` days earlier. */
function region(target: string, entry: Partial<MatrixModel>, daysBefore = 0): Matrix {
  const m = smallMatrix([], [ODD], undefined, { target, runId: `run-${target}` });
  const shift = (t: string) => new Date(Date.parse(t) - daysBefore * 86_400_000).toISOString();
  return { ...m, run: { ...m.run, startedAt: shift(m.run.startedAt), finishedAt: shift(m.run.finishedAt) }, models: m.models.map((x) => ({ ...x, inCatalog: false, family: null, familyTitle: null, ...entry })) };
}

const refusal = (inputs: Matrix[], files?: string[]) => {
  try {
    mergeMatrices(inputs, files);
  } catch (error) {
    return String((error as Error).message);
  }
  return 'merged';
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxn-catalogs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('merge of runs of different catalogs', () => {
  it('joins suggestions and family titles that differ only in their words, the same in either order, and the merge reads back', async () => {
    const east = region('east', { suggestion: 'anthropic.claude-opus-4-8' });
    const west = region('west', { suggestion: 'anthropic.claude-opus-4-7' });
    for (const inputs of [[east, west], [west, east]]) expect(mergeMatrices(inputs).models).toEqual([{ id: ODD, family: null, familyTitle: null, inCatalog: false, suggestion: 'anthropic.claude-opus-4-7' }]);
    const titled = [region('east', { inCatalog: true, family: 'claude', familyTitle: 'Claude' }), region('west', { inCatalog: true, family: 'claude', familyTitle: 'Anthropic Claude' })];
    for (const inputs of [titled, [...titled].reverse()]) expect(mergeMatrices(inputs).models[0]).toMatchObject({ family: 'claude', familyTitle: 'Anthropic Claude' });
    const [a, b] = [join(dir, 'east.json'), join(dir, 'west.json')];
    await writeFile(a, JSON.stringify(east));
    await writeFile(b, JSON.stringify(west));
    for (const files of [[a, b], [b, a]]) {
      const out = join(dir, `merged-${files[0] === a ? 'ab' : 'ba'}`);
      const merged = await cli(['merge', ...files, '--report-dir', out]);
      expect(merged.code, merged.stderr).toBe(0);
      const back = await cli(['report', join(out, 'matrix.json'), '--report-dir', join(out, 'again')]);
      expect(back.code, back.stderr).toBe(0);
    }
  });

  it('still refuses inCatalog, family and whether a suggestion exists, in either order, saying what that decides', () => {
    for (const [field, edit] of [['inCatalog', { inCatalog: true }], ['family', { family: 'claude' }], ['suggestion', { suggestion: 'anthropic.claude-opus-4-8' }]] as const) {
      const [east, west] = [region('east', {}), region('west', edit)];
      for (const [inputs, files] of [[[east, west], ['e.json', 'w.json']], [[west, east], ['w.json', 'e.json']]] as const) {
        const message = refusal([...inputs], [...files]);
        expect(message).toContain(`the inputs say different things of model "${ODD}": its ${field} is `);
        expect(message).not.toContain('odd one');
        expect(message).not.toContain("others' catalog");
      }
    }
    expect(refusal([region('east', {}), region('west', { suggestion: 'x' })], ['e.json', 'w.json'])).toContain('its suggestion is none in e.json and "x" in w.json');
    expect(refusal([region('east', {}), region('west', { inCatalog: true })], ['e.json', 'w.json'])).toContain('decides whether its cells gate');
  });

  it('names the odd input only when the others agree', () => {
    const [a, b, c] = [region('a', {}), region('b', {}), region('c', { inCatalog: true })];
    expect(refusal([c, a, b], ['c.json', 'a.json', 'b.json'])).toContain('its inCatalog is true in c.json and false in a.json, b.json. ');
    expect(refusal([a, c, b], ['a.json', 'c.json', 'b.json'])).toContain('c.json is the odd one (the 2 other inputs that have the model agree)');
    const d = region('d', { inCatalog: true });
    expect(refusal([a, b, c, d], ['a.json', 'b.json', 'c.json', 'd.json'])).not.toContain('odd one');
  });

  it('refuses a file left from an earlier night as that, whatever its catalog of then said of a model', () => {
    const tonight = region('east', { inCatalog: true, family: 'gpt-oss' });
    const lastWeek = region('west', {}, 7);
    for (const [inputs, files] of [[[tonight, lastWeek], ['east.json', 'west.json']], [[lastWeek, tonight], ['west.json', 'east.json']]] as const) {
      const message = refusal([...inputs], [...files]);
      expect(message).toContain('east.json started 2026-11-24T08:00:00.000Z, 6 d 23 h 59 min after every input started before it had finished');
      expect(message).toContain('the last to finish, west.json, finished 2026-11-17T08:00:10.000Z');
      expect(message).not.toContain('say different things of model');
    }
  });
});
