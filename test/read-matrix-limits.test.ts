/**
 * A matrix.json from a CI artifact is bounded before it is used: what the schema does not name is not copied into
 * the reports, nesting deeper than a run writes is exit 2 naming the JSON path (never a stack overflow in the
 * writers), and a file larger than the cap is refused by its size, naming it, before it is read (never node's heap
 * limit). A matrix as a run writes it reads as it did.
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MATRIX_DEPTH, parseMatrix, readMatrix } from '../src/cli/read-matrix.ts';
import { readLimits } from '../src/cli/matrix-size.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

type Json = Record<string, unknown>;
const valid = () => JSON.parse(JSON.stringify(smallMatrix())) as Json;
/** `levels` objects, one inside the other. */
const nested = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}null${'}'.repeat(levels)}`);
const first = (m: Json, key: string) => (m[key] as Json[])[0]!;

describe('members the schema does not name', () => {
  it('are left out wherever they are, and the rest of the file reads as it does without them', () => {
    const plain = parseMatrix(valid(), 'x.json');
    const extended = valid();
    extended.extra = { megabytes: [0, 0, 0] };
    (extended.run as Json).extra = 1;
    first(extended, 'targets').extra = 'x';
    (first(extended, 'targets').provenance as Json).extra = [];
    first(extended, 'results').extra = { a: 1 };
    (first(extended, 'results').evidence as Json[])[0]!.extra = 'x';
    (extended.gate as Json).extra = true;
    ((extended.totals as Json).usage as Json).extra = 2;
    const read = parseMatrix(extended, 'x.json');
    expect(JSON.stringify(read)).not.toContain('extra');
    expect(read).toEqual(plain);
  });

  it('a map keeps every key (a map names its keys by their values\' schema), and the most errors accepted is kept', () => {
    const m = valid();
    (m.totals as Json).perModel = { 'emulator/xai.grok-4.3': { requests: 3, inputTokens: 1, outputTokens: 2, extra: 1 } };
    (m.gate as Json).errors = { unexpected: 0, max: 7 };
    const read = parseMatrix(m, 'x.json');
    expect(read.totals.perModel).toEqual({ 'emulator/xai.grok-4.3': { requests: 3, inputTokens: 1, outputTokens: 2 } });
    expect(read.gate.errors.max).toBe(7);
  });
});

describe('nesting', () => {
  it(`deeper than ${MAX_MATRIX_DEPTH} levels is HARNESS_REPORT_INVALID naming the path, at any depth`, () => {
    for (const levels of [MAX_MATRIX_DEPTH, 12_000]) {
      const m = valid();
      (m.run as Json).extra = nested(levels);
      expect(() => parseMatrix(m, 'x.json')).toThrow(
        expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(new RegExp(`^x\\.json: run\\.extra(\\.a){${MAX_MATRIX_DEPTH - 2}}: nested more than ${MAX_MATRIX_DEPTH} levels deep`)) }),
      );
    }
    const arrays = valid();
    arrays.extra = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(() => parseMatrix(arrays, 'x.json')).toThrow(expect.objectContaining({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(/^x\.json: extra(\[0\]){63}: nested more/) }));
  });

  it('within the bound reads, the nesting left out', () => {
    const m = valid();
    (m.run as Json).extra = nested(MAX_MATRIX_DEPTH - 3);
    expect(parseMatrix(m, 'x.json').run).not.toHaveProperty('extra');
  });
});

describe('report and merge of a hostile file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'matrix-limits-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('deep nesting in an unknown key is exit 2 naming the file and the path, not a stack overflow; without it the file reports', async () => {
    const file = join(dir, 'deep.json');
    const text = JSON.stringify(smallMatrix());
    await writeFile(file, text.replace('"run":{', `"run":{"extra":${'{"a":'.repeat(12_000)}null${'}'.repeat(12_000)},`));
    for (const args of [['report', file], ['merge', file, file]]) {
      const refused = await cli([...args, '--report-dir', join(dir, 'out')]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(/^HARNESS_REPORT_INVALID: .*deep\.json: run\.extra\.a\.a.*: nested more than 64 levels deep/);
    }
    const shallow = join(dir, 'shallow.json');
    await writeFile(shallow, text.replace('"run":{', `"run":{"extra":${'{"a":'.repeat(50)}null${'}'.repeat(50)},`));
    const read = await cli(['report', shallow, '--report-dir', join(dir, 'shallow')]);
    expect(read.code, read.stderr).toBe(0);
    expect(await readFile(join(dir, 'shallow', 'matrix.json'), 'utf8')).not.toContain('extra');
  });

  it('a file larger than the cap is refused by its size, before it is read, naming the file, the size and the cap', async () => {
    const file = join(dir, 'huge.json');
    // A sparse file: the size is what is refused; were it read, its zero bytes would fail JSON.parse instead.
    const { maxBytes } = readLimits();
    const handle = await open(file, 'w');
    await handle.truncate(maxBytes + 1);
    await handle.close();
    await expect(readMatrix(file)).rejects.toMatchObject({
      code: 'HARNESS_REPORT_INVALID',
      message: expect.stringMatching(new RegExp(`huge\\.json: ${maxBytes + 1} bytes \\(\\d+ MiB\\), more than (this process reads as one matrix\\.json|a matrix\\.json can be read at all)`)),
    });
    const atCap = join(dir, 'at-cap.json');
    await writeFile(atCap, JSON.stringify(smallMatrix()));
    expect((await readMatrix(atCap)).results).toHaveLength(6);
  });
});
