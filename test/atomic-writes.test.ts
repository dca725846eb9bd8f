/**
 * Fixtures and reports are replaced whole or not at all. A write that fails half-way (a full disk, injected as the
 * file operations the writers take) leaves the previous file as it was and no temp file behind, and is
 * HARNESS_DISK_FULL naming the file; any other write failure is HARNESS_WRITE_FAILED naming it.
 */
import * as fs from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
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
    expect(await readdir(reports)).toEqual([]);
  });

  it('and with room again, both write whole files', async () => {
    await writeFixture(join(dir, 'fixtures', 'case.json'), fixture, []);
    expect(JSON.parse(await readFile(join(dir, 'fixtures', 'case.json'), 'utf8')).format).toBe(FIXTURE_FORMAT);
    await writeReportFiles(join(dir, 'reports'), [{ path: 'matrix.json', content: '{}' }]);
    expect(await readdir(join(dir, 'reports'))).toEqual(['matrix.json']);
  });
});

describe('a path that cannot be written', () => {
  it('is HARNESS_WRITE_FAILED naming the file', async () => {
    const error = await failure(() => writeFixture('/dev/null/fixtures/case.json', fixture, []));
    expect(error.code).toBe('HARNESS_WRITE_FAILED');
    expect(error.message).toMatch(/^cannot write \/dev\/null\/fixtures\/case\.json: /);
  });
});
