/**
 * A matrix.json that `run` or `merge` writes is read again by `report`, `compare` and `--baseline` on the same heap:
 * the read limit comes from the process's heap limit (below what one string holds), a file past it is refused
 * naming its size, the limit and the fix (never "give a file written by mantle-conformance" for one that is ours),
 * a file made to cost more heap than its size says is still refused before it is parsed, and a writer warns (console
 * and job summary) when what it wrote is past the limit. The heap limit is patched small so the files stay small.
 */
import { constants } from 'node:buffer';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readMatrix } from '../src/cli/read-matrix.ts';
import { readLimits, tooLarge, warnWrittenSize } from '../src/cli/matrix-size.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/**
 * The heap limit `node:v8` reports to the harness; undefined: the real one. Patched on the builtin itself (and its
 * named exports synced), not with vi.mock: the workers share modules between test files, and a module another file
 * imported first would keep the real binding.
 */
const heap = { limit: undefined as number | undefined };
const realHeapStatistics = v8.getHeapStatistics;
function patchHeapLimit(): void {
  v8.getHeapStatistics = () => ({ ...realHeapStatistics(), ...(heap.limit === undefined ? {} : { heap_size_limit: heap.limit }) });
  syncBuiltinESMExports();
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
let dir: string;
/** A region's run as `run` writes it (indented). */
const regionFile = async (name: string, target: string) => {
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(smallMatrix([], undefined, undefined, { target, runId: `r-${target}` }), null, 2)}\n`);
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matrix-size-'));
  patchHeapLimit();
});
afterAll(async () => {
  v8.getHeapStatistics = realHeapStatistics;
  syncBuiltinESMExports();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  heap.limit = undefined;
});

describe('the read limit', () => {
  it('comes from the heap limit: the 331 MB file a 300-model, 6-target run writes is read on the default 4 GiB heap', () => {
    expect(readLimits(4 * GiB).maxBytes).toBeGreaterThan(331_148_450);
    expect(readLimits(2 * GiB).maxBytes).toBe(256 * MiB);
    // Never past what one string holds, whatever the heap.
    expect(readLimits(64 * GiB).maxBytes).toBe(constants.MAX_STRING_LENGTH);
  });

  it('a file of ours past it is refused naming the file, its size, the limit and the fix, not as a file of elsewhere', async () => {
    const file = await regionFile('ours.json', 'us-east-1');
    const { size } = await stat(file);
    const limits = readLimits(8 * Math.floor(size / 2));
    const refused = readMatrix(file, limits);
    await expect(refused).rejects.toMatchObject({ code: 'HARNESS_REPORT_INVALID' });
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain(`ours.json: ${size} bytes`);
    expect(message).toContain(`(at most ${(limits.maxBytes / MiB).toFixed(1)} MiB, 1/8 of its`);
    expect(message).toMatch(/raise the heap \(NODE_OPTIONS=--max-old-space-size=512 mantle-conformance \.\.\.\), or run \(or merge\) fewer targets per matrix\.json/);
    expect(message).not.toContain('written by mantle-conformance');
    // The same file under a heap that reads it.
    expect((await readMatrix(file, readLimits(16 * size))).results).toHaveLength(6);
  });

  it('a file past what one string holds is past any heap: the fix is fewer targets per file, not a larger heap', () => {
    const large = tooLarge(600 * MiB, readLimits(64 * GiB, 512 * MiB));
    expect(large?.said).toContain('more than a matrix.json can be read at all (it is read as one string, at most 512 MiB whatever the heap)');
    expect(large?.fix).toMatch(/^run \(or merge\) fewer targets per matrix\.json/);
    expect(large?.fix).not.toContain('NODE_OPTIONS');
  });

  it('a file made to cost more heap than its size says is refused before it is parsed; a run\'s own file of that size is read', async () => {
    const ours = await regionFile('own.json', 'us-east-1');
    const { size } = await stat(ours);
    const crafted = join(dir, 'crafted.json');
    const pad = `[${Array.from({ length: Math.floor(size / 3) }, () => '{}').join(',')}]`;
    await writeFile(crafted, `{"format":"mantle-conformance.matrix/2","pad":${pad}}`.slice(0, size));
    const limits = readLimits(16 * size);
    expect((await stat(crafted)).size).toBeLessThanOrEqual(limits.maxBytes);
    await expect(readMatrix(crafted, limits)).rejects.toMatchObject({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(/crafted\.json: its parse may take .* of heap, more than this process spends on the files of one command \(\d+\.\d MiB of its .* heap limit\): raise the heap \(NODE_OPTIONS=--max-old-space-size=\d+ mantle-conformance \.\.\.\), or run \(or merge\) fewer targets .* \(\d+ JSON values in \d+ bytes, one per 1\.\d; a run's file has about one per 35\)$/) });
    expect((await readMatrix(ours, limits)).results).toHaveLength(6);
  });
});

describe('a writer whose matrix.json is past the limit', () => {
  it('warnWrittenSize says nothing of a file under it, and names one past it with the fix', async () => {
    const file = await regionFile('matrix.json', 'us-east-1');
    const { size } = await stat(file);
    const err: string[] = [];
    const sink = { write: (t: string) => err.push(t) } as unknown as NodeJS.WritableStream;
    expect(await warnWrittenSize([join(dir, 'matrix.md'), file], sink, readLimits(16 * size))).toEqual([]);
    const said = await warnWrittenSize([join(dir, 'matrix.md'), file], sink, readLimits(8 * (size - 1)));
    expect(said).toHaveLength(1);
    expect(err.join('')).toBe(`${said[0]}\n`);
    expect(said[0]).toMatch(/^warning: .*matrix\.json: written at \d+ bytes .*: `report`, `compare`, `table`, `bless` and `--baseline` refuse it as it is; to read it, raise the heap \(NODE_OPTIONS=--max-old-space-size=512/);
  });

  it('merge warns on stderr and in the job summary, exits with the gate, and `report` then refuses the file with the fix', async () => {
    const a = await regionFile('a.json', 'us-east-1');
    const b = await regionFile('b.json', 'eu-north-1');
    const { size } = await stat(a);
    // Both inputs are read (at most 1.58 times one's size; their parses, sharing the heap, just fit); their merge (1.61) is past it.
    heap.limit = 8 * Math.floor(size * 1.58);
    const summary = join(dir, 'summary.md');
    const merged = await cli(['merge', a, b, '--report-dir', join(dir, 'merged')], { GITHUB_STEP_SUMMARY: summary });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('gate: pass');
    expect(merged.stderr).toMatch(/warning: .*merged\/matrix\.json: written at \d+ bytes .*refuse it as it is; to read it, raise the heap \(NODE_OPTIONS=--max-old-space-size=512/);
    expect(await readFile(summary, 'utf8')).toContain('refuse it as it is');
    const report = await cli(['report', join(dir, 'merged', 'matrix.json'), '--report-dir', join(dir, 'again')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('more than this process reads as one matrix.json');
    expect(report.stderr).not.toContain('written by mantle-conformance');
  });

  it('a run warns as merge does; under the limit it says nothing', async () => {
    const args = ['run', '--quiet', '--checks', 'api.chat-completions', '--models', 'qwen.qwen3-32b'];
    const quiet = await cli([...args, '--report-dir', join(dir, 'run-ok')]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('refuse it as it is');
    const { size } = await stat(join(dir, 'run-ok', 'matrix.json'));
    heap.limit = 8 * Math.floor(size / 2);
    const summary = join(dir, 'run-summary.md');
    const run = await cli([...args, '--report-dir', join(dir, 'run')], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: .*run\/matrix\.json: written at \d+ bytes .*refuse it as it is/);
    expect(await readFile(summary, 'utf8')).toContain('refuse it as it is');
  });
});

describe('the read limit on a smaller machine', () => {
  it('is never under the fixed 256 MiB read before on a heap of a GiB or more (a 7 GB runner: 1.8 GiB)', () => {
    expect(readLimits(1.8 * GiB).maxBytes).toBe(256 * MiB);
    expect(readLimits(4 * GiB).maxBytes).toBe(Math.min(512 * MiB, constants.MAX_STRING_LENGTH));
  });

  it('a writer warns of a file past 256 MiB even where it reads it: a runner with less memory refuses it', async () => {
    const file = join(dir, 'matrix.json');
    await writeFile(file, '{}');
    const { truncate } = await import('node:fs/promises');
    await truncate(file, 300 * MiB);
    try {
      const said = await warnWrittenSize([file], { write: () => true } as unknown as NodeJS.WritableStream, readLimits(4 * GiB));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/written at 314572800 bytes \(300 MiB\): a reader whose heap limit is under 2400 MiB refuses it .*NODE_OPTIONS=--max-old-space-size=2560\), or run \(or merge\) fewer targets per matrix\.json/);
    } finally {
      await rm(file);
    }
  });
});

describe('files one command reads together', () => {
  it('share the parse budget: two files each under it alone are refused together, naming the second and what came before', async () => {
    const a = await regionFile('share-a.json', 'us-east-1');
    const b = await regionFile('share-b.json', 'eu-north-1');
    const { size } = await stat(a);
    const limits = readLimits(8 * Math.floor(size * 1.05));
    expect((await readMatrix(a, readLimits(8 * Math.floor(size * 1.05)))).results).toHaveLength(6);
    expect((await readMatrix(b, readLimits(8 * Math.floor(size * 1.05)))).results).toHaveLength(6);
    await readMatrix(a, limits);
    await expect(readMatrix(b, limits)).rejects.toMatchObject({ code: 'HARNESS_REPORT_INVALID', message: expect.stringMatching(/share-b\.json: its parse may take .* of heap with the .* the files this command read before it hold, more than this process spends on the files of one command/) });
  });
});

describe('a refusal of the shared budget', () => {
  it('names a heap that holds what was read before too, and no "read each on its own"', async () => {
    const a = await regionFile('advice-a.json', 'us-east-1');
    const b = await regionFile('advice-b.json', 'eu-north-1');
    const { size } = await stat(a);
    const limits = readLimits(8 * Math.floor(size * 1.05));
    await readMatrix(a, limits);
    const message = await readMatrix(b, limits).catch((e: Error) => e.message);
    expect(message).toMatch(/the files this command read before it hold, more than .* or give the command fewer files at once/);
    expect(message).not.toContain('read each on its own');
  });
});
