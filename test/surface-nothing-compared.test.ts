/**
 * `compare --by surface` of a Mantle run and a runtime run of one site that share no check (or no model) pairs the
 * two targets and compares no cell: that is "nothing compared", exit 1 with a line saying why and the fix, and
 * `--json` says `"nothingCompared": true`, as plain `compare` does; a pair with one cell in common still exits 0.
 * Hermetic: matrices built in memory, written to a temporary folder for the command.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSurfacesCommand } from '../src/cli/report-commands.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { surfaceRun } from './helpers/surface-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-surface-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function compareBySurface(matrices: Matrix[], name: string, json = false): Promise<{ code: number; out: string }> {
  const files = await Promise.all(
    matrices.map(async (m, i) => {
      const file = join(dir, `${name}-${i}.json`);
      await writeFile(file, JSON.stringify(m));
      return file;
    }),
  );
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await compareSurfacesCommand(files, { json }, out);
  return { code, out: text };
}

const mantle = (checks: string[], models = ['m1']) => surfaceRun({ targets: ['east'], checks, models, run: { id: 'ra' } });
const runtime = (checks: string[], models = ['m1']) => surfaceRun({ targets: ['runtime.east'], checks, models, run: { id: 'rc' } });

describe('compare --by surface: pairs with nothing in common compared nothing', () => {
  it('no check in common: exit 1, "Nothing was compared" with why and the fix', async () => {
    const { code, out } = await compareBySurface([mantle(['models.listed', 'answer.non-empty']), runtime(['api.chat-completions'])], 'checks');
    expect(out).toContain('0 compared the same');
    expect(out).toMatch(/Nothing was compared: the two surfaces of each pair ran no check in common; run the same --models and --checks on both surfaces/);
    expect(code).toBe(1);
  });

  it('no check in common, --json: nothingCompared: true, exit 1', async () => {
    const { code, out } = await compareBySurface([mantle(['models.listed']), runtime(['api.chat-completions'])], 'checks-json', true);
    const view = JSON.parse(out);
    expect(view.pairs).toHaveLength(1);
    expect(view.nothingCompared).toBe(true);
    expect(view.nothingComparedWhy).toContain('no check in common');
    expect(code).toBe(1);
  });

  it('no model in common: exit 1, naming the models as why', async () => {
    const { code, out } = await compareBySurface([mantle(['created-at.chat'], ['m1']), runtime(['created-at.chat'], ['m2'])], 'models');
    expect(out).toContain('Nothing was compared: the two surfaces of each pair ran no model in common');
    expect(code).toBe(1);
  });

  it('one check in common compares: exit 0, no nothingCompared', async () => {
    const { code, out } = await compareBySurface([mantle(['api.chat-completions', 'models.listed']), runtime(['api.chat-completions'])], 'common', true);
    expect(JSON.parse(out).nothingCompared).toBeUndefined();
    expect(code).toBe(0);
  });
});
