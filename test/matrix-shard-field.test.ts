/**
 * A matrix.json's `run.selection.shard` is read as `--shard` takes it (shard-spec.ts parseShard): `x`, `0/3`, `4/3`
 * or `3/3 ` was read, and merge then called the run's shards "not belonging together" (review finding 4); now the
 * file is refused, exit 2, with the JSON path of the field. `03/3` is what `--shard 03/3` takes (and writes): 3/3.
 * A value outside a schema's constants or list names the allowed values, not "must be equal to constant".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { schemaProblem } from '../src/report/schema-problem.ts';
import { shardOf } from './helpers/baseline-shards.ts';
import { cli } from './helpers/harness.ts';

const END = '2026-12-06T17:17:12.000Z';
/** Shard i/2 as its run wrote it, with its shard field set to `shard`. */
const withShard = (i: 1 | 2, shard: string) => {
  const m = JSON.parse(JSON.stringify(shardOf('R1', i, END))) as Matrix;
  m.run.selection.shard = shard;
  return m;
};

describe('run.selection.shard of a matrix.json', () => {
  it.each(['x', '0/2', '3/2', '2/2 ', ' 2/2', '2/2\n', '', '2/', '/2', '2/2/2', '-1/2', '2.0/2', '12345/99999'])('%j is refused naming its JSON path', (shard) => {
    expect(() => parseMatrix(withShard(2, shard), 's2.json')).toThrow(`s2.json: run.selection.shard: ${JSON.stringify(shard)} is not i/n with 1 <= i <= n (as --shard takes it)`);
  });

  it('a shard as --shard takes it is read, 02/2 as the run wrote it', () => {
    for (const shard of ['1/2', '2/2', '02/2', '9999/9999']) expect(parseMatrix(withShard(2, shard), 's2.json').run.selection.shard).toBe(shard);
  });
});

describe('merge of a shard whose field is not a shard', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-shard-field-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exit 2 naming the file and the field, not a partial merge', async () => {
    const files = [join(dir, 's1.json'), join(dir, 's2v.json')];
    await writeFile(files[0]!, JSON.stringify(shardOf('R1', 1, END)));
    await writeFile(files[1]!, JSON.stringify(withShard(2, '4/2')));
    const run = await cli(['merge', ...files, '--report-dir', join(dir, 'm')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${files[1]}: run.selection.shard: "4/2" is not i/n with 1 <= i <= n`);
    expect(run.stdout).not.toContain('do not belong together');
  });
});

describe('a value that is not one of a schema\'s constants', () => {
  it("a target's provenance source names both allowed values", () => {
    const m = JSON.parse(JSON.stringify(shardOf('R1', 1, END))) as Record<string, any>;
    m.targets[0].provenance.sources[0] = 'lve';
    expect(() => parseMatrix(m, 'm.json')).toThrow('m.json: targets[0].provenance.sources[0] must be one of "live", "emulator" (got "lve")');
  });

  it('a constant, a list and a constant or null each name what the value may be', () => {
    const schema = Type.Object({ one: Type.Optional(Type.Literal('only')), list: Type.Optional({ enum: ['p', 'q'] } as never), orNull: Type.Optional(Type.Union([Type.Literal(1), Type.Null()])) });
    const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
    const problem = (value: unknown) => (validate(value) ? undefined : schemaProblem(validate.errors ?? [], value));
    expect(problem({ one: 'other' })).toBe('one must be "only" (got "other")');
    expect(problem({ list: 'z' })).toBe('list must be one of "p", "q" (got "z")');
    expect(problem({ orNull: 2 })).toBe('orNull must be one of 1, null (got 2)');
    // A type error says the type, as before.
    expect(problem({ one: 3 })).toBe('one must be string (got 3)');
  });
});
