/**
 * A YAML input (catalog, suite, expectations) that is a device, a FIFO or a huge file is refused, naming the file,
 * before any byte is read: `--catalog /dev/zero` took 2.2 GB in 4 s and a FIFO hung the command. The emulator, run and
 * validate share the loader; the emulator passes --catalog to it as given.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_YAML_BYTES } from '../src/suite/read-text-file.ts';
import { readYamlSource } from '../src/suite/yaml-source.ts';
import { cli } from './helpers/harness.ts';

const POSIX = process.platform !== 'win32';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yaml-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `read`, or 'hung' when it takes longer than 5 s. */
const withinFiveSeconds = <T>(read: Promise<T>): Promise<T | 'hung'> => Promise.race([read, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000).unref())]);

it.skipIf(!POSIX)('a FIFO is refused at once, and emulator --catalog <fifo> is exit 2 naming it', async () => {
  const fifo = join(dir, 'models.yaml');
  await promisify(execFile)('mkfifo', [fifo]);
  try {
    expect(await withinFiveSeconds(readYamlSource(fifo))).toEqual({ source: null, problems: [`${fifo}: is not a regular file (a FIFO); point at a YAML file`] });
    const result = await withinFiveSeconds(cli(['emulator', '--port', '0', '--catalog', fifo]));
    expect(result).not.toBe('hung');
    if (result === 'hung') return;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`HARNESS_CATALOG_INVALID: ${fifo}: is not a regular file (a FIFO)`);
    // run and validate check the flag's path first: it says what the path is, not that it does not exist.
    for (const command of [['validate'], ['run', '--report-dir', join(dir, 'reports')]]) {
      const given = await withinFiveSeconds(cli([...command, '--catalog', fifo]));
      expect(given).toMatchObject({ code: 2, stderr: expect.stringContaining(`--catalog: ${fifo} is not a regular file (a FIFO)`) });
      const folder = await cli([...command, '--catalog', dir, '--expectations', fifo]);
      expect(folder).toMatchObject({ code: 2, stderr: expect.stringMatching(/--catalog: .* is a folder, not a file|--expectations: .* is not a regular file \(a FIFO\)/) });
    }
  } finally {
    // Should a reader wait on it (the failure this test is about), a writer that opens and closes lets it go.
    await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((handle) => handle.close(), () => undefined);
  }
}, 20_000);

it.skipIf(!POSIX)('a device (/dev/zero) is refused', async () => {
  expect(await withinFiveSeconds(readYamlSource('/dev/zero'))).toEqual({ source: null, problems: ['/dev/zero: is not a regular file (a device); point at a YAML file'] });
});

it('a file over 16 MiB is refused without being read; one just under the cap is read', async () => {
  const big = join(dir, 'big.yaml');
  await writeFile(big, '');
  await truncate(big, MAX_YAML_BYTES + 1);
  expect(await readYamlSource(big)).toEqual({ source: null, problems: [`${big}: is larger than 16 MiB, which no catalog, suite or expectations file is; point at the YAML file meant`] });
  const result = await cli(['emulator', '--port', '0', '--catalog', big]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`HARNESS_CATALOG_INVALID: ${big}: is larger than 16 MiB`);
  const fits = join(dir, 'fits.yaml');
  await writeFile(fits, `a: ${'x'.repeat(MAX_YAML_BYTES - 10)}\n`);
  const read = await readYamlSource(fits);
  expect(read.problems).toEqual([]);
  expect((read.source?.data as { a: string }).a).toHaveLength(MAX_YAML_BYTES - 10);
}, 30_000);

it('a folder still says it is a folder', async () => {
  expect(await readYamlSource(dir)).toEqual({ source: null, problems: [`${dir}: cannot read it (EISDIR: a folder, not a file)`] });
});

it.skipIf(!POSIX)('--catalog or --expectations naming a link loop or a link to nothing says so; only a missing file is told to be created', async () => {
  const loop = join(dir, 'loop.yaml');
  const dangling = join(dir, 'dangling.yaml');
  await symlink(loop, loop);
  await symlink(join(dir, 'nowhere.yaml'), dangling);
  const validate = (...flags: string[]) => cli(['validate', ...flags]);
  expect(await validate('--catalog', loop)).toMatchObject({ code: 2, stderr: expect.stringContaining(`--catalog: ${loop} cannot be read (ELOOP)`) });
  expect(await validate('--catalog', dangling)).toMatchObject({ code: 2, stderr: expect.stringContaining(`--catalog: ${dangling} is a link to nothing`) });
  const folder = await validate('--expectations', dir);
  expect(folder).toMatchObject({ code: 2, stderr: expect.stringContaining(`--expectations: ${dir} is a folder, not a file; point --expectations at an expectations file`) });
  expect(folder.stderr).not.toContain('bless');
  expect((await validate('--expectations', dangling)).stderr).not.toContain('bless');
  expect((await validate('--expectations', join(dir, 'absent.yaml'))).stderr).toContain('does not exist; create it with `mantle-conformance bless`');
});
