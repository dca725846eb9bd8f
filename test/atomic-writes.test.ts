/**
 * Fixtures and reports are replaced whole or not at all. A write that fails half-way (a full disk, injected as the
 * file operations the writers take) leaves the previous file as it was and no temp file behind, and is
 * HARNESS_DISK_FULL naming the file; any other write failure is HARNESS_WRITE_FAILED naming it.
 */
import * as fs from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { removePendingTemps, stageFile, writeFileAtomic } from '../src/atomic-write.ts';
import { writeReportFiles } from '../src/report/report-writer.ts';
import { FIXTURE_FORMAT, writeFixture, type FixtureFile } from '../src/transport/fixture-file.ts';

/** The real file system, except that a temp file gets ten bytes and then the disk is full. */
const fullDisk = {
  ...fs,
  async writeFile(path: Parameters<typeof fs.writeFile>[0], data: string, options?: Parameters<typeof fs.writeFile>[2]) {
    if (String(path).endsWith('.tmp')) {
      await fs.writeFile(path, data.slice(0, 10), options);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return fs.writeFile(path, data, options);
  },
} as typeof fs;

const fixture: FixtureFile = {
  format: FIXTURE_FORMAT,
  model: 'm',
  case: 'c',
  provenance: { source: 'live', target: 't', endpointHost: 'h', region: null, recordedAt: '2026-01-01T00:00:00.000Z', harnessVersion: 'v' },
  exchanges: [{ step: 'main', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: {} }, response: { status: 200, headers: {}, chunks: [{ t: 0, data: '{"data":[]}' }] }, error: null, durationMs: 1, attempts: 1 }],
};

async function failure(write: () => Promise<unknown>): Promise<HarnessError> {
  const error = await write().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

describe('a full disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('while writing a fixture: HARNESS_DISK_FULL naming it, the previous fixture intact, no temp file', async () => {
    const file = join(dir, 'fixtures', 'case.json');
    await mkdir(join(dir, 'fixtures'));
    await writeFile(file, 'the previous recording');
    const error = await failure(() => writeFixture(file, fixture, [], fullDisk));
    expect(error.code).toBe('HARNESS_DISK_FULL');
    expect(error.message).toContain(`cannot write ${file}: no space left on the device (ENOSPC)`);
    expect(await readFile(file, 'utf8')).toBe('the previous recording');
    expect(await readdir(join(dir, 'fixtures'))).toEqual(['case.json']);
  });

  it('while writing reports: HARNESS_DISK_FULL naming the report, no temp file', async () => {
    const reports = join(dir, 'reports');
    const error = await failure(() => writeReportFiles(reports, [{ path: 'matrix.json', content: '{"format":"x"}' }], fullDisk));
    expect(error.code).toBe('HARNESS_DISK_FULL');
    expect(error.message).toContain(`cannot write ${join(reports, 'matrix.json')}`);
    // The folder the write made for the report goes with it, empty (nothing the harness made is left).
    expect(await readdir(dir)).not.toContain('reports');
  });

  it('and with room again, both write whole files', async () => {
    await writeFixture(join(dir, 'fixtures', 'case.json'), fixture, []);
    expect(JSON.parse(await readFile(join(dir, 'fixtures', 'case.json'), 'utf8')).format).toBe(FIXTURE_FORMAT);
    await writeReportFiles(join(dir, 'reports'), [{ path: 'matrix.json', content: '{}' }]);
    expect(await readdir(join(dir, 'reports'))).toEqual(['matrix.json']);
  });
});

describe('a file replaced', () => {
  it('keeps its permissions (a 0600 file stays 0600); a new file gets the default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-mode-'));
    try {
      const kept = join(dir, 'expectations.yaml');
      await writeFile(kept, 'old\n', { mode: 0o600 });
      await fs.chmod(kept, 0o600);
      await writeFileAtomic(kept, 'new\n');
      expect(await readFile(kept, 'utf8')).toBe('new\n');
      expect((await fs.stat(kept)).mode & 0o777).toBe(0o600);
      // Group-writable too: the umask does not narrow it.
      await fs.chmod(kept, 0o664);
      await writeFileAtomic(kept, 'newer\n');
      expect((await fs.stat(kept)).mode & 0o777).toBe(0o664);
      const fresh = join(dir, 'fresh.yaml');
      await writeFileAtomic(fresh, 'x\n');
      expect((await fs.stat(fresh)).mode & 0o777).toBe(0o666 & ~process.umask());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a path that cannot be written', () => {
  it('is HARNESS_WRITE_FAILED naming the file', async () => {
    const error = await failure(() => writeFixture('/dev/null/fixtures/case.json', fixture, []));
    expect(error.code).toBe('HARNESS_WRITE_FAILED');
    expect(error.message).toMatch(/^cannot write \/dev\/null\/fixtures\/case\.json: /);
  });
});

describe('a set of reports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-set-'));
    await writeFile(join(dir, 'matrix.json'), 'previous json');
    await writeFile(join(dir, 'matrix.md'), 'previous markdown');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The real file system, except that writing the markdown report's temp file finds the disk full. */
  const fullAtMarkdown = {
    ...fs,
    async writeFile(path: Parameters<typeof fs.writeFile>[0], data: string, options?: Parameters<typeof fs.writeFile>[2]) {
      if (String(path).includes('matrix.md.')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return fs.writeFile(path, data, options);
    },
  } as typeof fs;

  it('replaces none of the previous reports when a later one cannot be written, and leaves no temp file', async () => {
    const files = [
      { path: 'matrix.json', content: 'new json' },
      { path: 'matrix.md', content: 'new markdown' },
    ];
    const error = await failure(() => writeReportFiles(dir, files, fullAtMarkdown));
    expect(error.code).toBe('HARNESS_DISK_FULL');
    expect(await readFile(join(dir, 'matrix.json'), 'utf8')).toBe('previous json');
    expect((await readdir(dir)).sort()).toEqual(['matrix.json', 'matrix.md']);
  });

  it('replaces none when a later format fails to render, and renders each only after the one before is written', async () => {
    const seen: string[][] = [];
    function* formats() {
      yield { path: 'matrix.json', content: 'new json' };
      seen.push(readdirSync(dir));
      throw new HarnessError('HARNESS_INTERNAL', 'the markdown format broke');
    }
    const error = await failure(() => writeReportFiles(dir, formats()));
    expect(error.message).toBe('the markdown format broke');
    // The first was on disk (as a temp file) before the second was asked for.
    expect(seen[0]!.some((f) => f.startsWith('matrix.json.') && f.endsWith('.tmp'))).toBe(true);
    expect(await readFile(join(dir, 'matrix.json'), 'utf8')).toBe('previous json');
    expect((await readdir(dir)).sort()).toEqual(['matrix.json', 'matrix.md']);
  });

  it('replaces all of them when every one is written', async () => {
    const written = await writeReportFiles(dir, [
      { path: 'matrix.json', content: 'new json' },
      { path: 'matrix.md', content: 'new markdown' },
    ]);
    expect(written).toEqual([join(dir, 'matrix.json'), join(dir, 'matrix.md')]);
    expect(await readFile(join(dir, 'matrix.md'), 'utf8')).toBe('new markdown');
    expect((await readdir(dir)).sort()).toEqual(['matrix.json', 'matrix.md']);
  });
});

describe('a report written in pieces', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-pieces-'));
    await writeFile(join(dir, 'matrix.json'), 'previous json');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Far more than one write's worth of text, then `end`. */
  function* pieces(end: () => string): Generator<string> {
    for (let i = 0; i < 200; i++) yield `${'x'.repeat(1000)}\n`;
    yield end();
  }

  it('that fails to render half-way is that error, not a write error; the previous report stays, no temp file', async () => {
    const broke = new Error('the format broke half-way');
    const error = await writeReportFiles(dir, [{ path: 'matrix.json', content: pieces(() => { throw broke; }) }]).then(() => undefined, (e: unknown) => e);
    expect(error).toBe(broke);
    expect(await readFile(join(dir, 'matrix.json'), 'utf8')).toBe('previous json');
    expect(await readdir(dir)).toEqual(['matrix.json']);
  });

  it('that finds the disk full half-way is HARNESS_DISK_FULL naming it; the previous report stays, no temp file', async () => {
    let writes = 0;
    const fullLater = {
      ...fs,
      async writeFile(path: Parameters<typeof fs.writeFile>[0], data: AsyncIterable<string> | Iterable<string> | string, options?: Parameters<typeof fs.writeFile>[2]) {
        if (typeof data === 'string') return fs.writeFile(path, data, options);
        // Some pieces reach the disk, then it is full.
        const taken: string[] = [];
        for await (const piece of data) {
          if (++writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          taken.push(piece);
        }
        return fs.writeFile(path, taken.join(''), options);
      },
    } as typeof fs;
    const error = await failure(() => writeReportFiles(dir, [{ path: 'matrix.json', content: pieces(() => 'end') }], fullLater));
    expect(writes).toBe(2);
    expect(error.code).toBe('HARNESS_DISK_FULL');
    expect(error.message).toContain(join(dir, 'matrix.json'));
    expect(await readFile(join(dir, 'matrix.json'), 'utf8')).toBe('previous json');
    expect(await readdir(dir)).toEqual(['matrix.json']);
  });

  it('leaves no temp file when the process exits before it is renamed into place (a second Ctrl-C)', async () => {
    const staged = await stageFile(join(dir, 'matrix.md'), pieces(() => 'end'));
    expect((await readdir(dir)).some((f) => f.startsWith('matrix.md.') && f.endsWith('.tmp'))).toBe(true);
    // What the exit handler runs.
    removePendingTemps();
    expect(await readdir(dir)).toEqual(['matrix.json']);
    await staged.discard();
  });
});
