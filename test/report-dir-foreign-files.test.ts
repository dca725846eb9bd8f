/**
 * A file of a report's name in --report-dir that mantle-conformance did not write (a project's notes as matrix.md,
 * another test runner's junit.xml, a user's own matrix.json, a link) is refused by `run`, `report` and `merge` with
 * exit 2, before anything is sent, read or written, naming the file and the fix; the file stays as it was. Its own
 * earlier reports still go as always, and `report reports/matrix.json` still renders in place.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];

let dir: string;
/** A passing replay's reports (one model, one check). */
let passing: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foreign-'));
  passing = join(dir, 'passing');
  const run = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', passing, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function folderWith(name: string, files: Record<string, string>): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(folder, file), text);
  return folder;
}

const OTHER_JUNIT = '<?xml version="1.0"?><testsuites name="other-tool"/>\n';

describe('a report file mantle-conformance did not write', () => {
  it('stops run (exit 2, nothing sent), naming the file, and stays as it was', async () => {
    const folder = await folderWith('run', { 'matrix.md': '# notes\n', 'junit.xml': OTHER_JUNIT });
    const run = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', folder, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --report-dir ${folder}: ${join(folder, 'matrix.md')} is a file that is not a report mantle-conformance wrote`);
    expect(run.stderr).toContain('move it elsewhere, or give --report-dir another folder. Nothing was sent.');
    expect((await readdir(folder)).sort()).toEqual(['junit.xml', 'matrix.md']);
    expect(await readFile(join(folder, 'matrix.md'), 'utf8')).toBe('# notes\n');
    expect(await readFile(join(folder, 'junit.xml'), 'utf8')).toBe(OTHER_JUNIT);
    // Another tool's junit.xml alone (jest-junit in the default reports/), and a user's own matrix.json.
    const junit = await folderWith('run-junit', { 'junit.xml': OTHER_JUNIT });
    const again = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', junit, '--quiet']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(junit, 'junit.xml')} is a file that is not a report mantle-conformance wrote`);
    expect(await readFile(join(junit, 'junit.xml'), 'utf8')).toBe(OTHER_JUNIT);
    const own = await folderWith('run-json', { 'matrix.json': '{"my":"own data"}' });
    expect((await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', own, '--quiet'])).code).toBe(2);
    expect(await readFile(join(own, 'matrix.json'), 'utf8')).toBe('{"my":"own data"}');
    // With a --baseline too.
    const withBaseline = await folderWith('run-baseline', { 'matrix.html': '<p>mine</p>' });
    const baselined = await cli(['run', MODEL, '--checks', 'path-prefix', '--baseline', join(passing, 'matrix.json'), '--report-dir', withBaseline, '--quiet']);
    expect(baselined.code).toBe(2);
    expect(baselined.stderr).toContain(`${join(withBaseline, 'matrix.html')} is a file that is not a report`);
  }, 60_000);

  it('a link of a report\'s name is refused, whatever it points at (the harness\'s own report included)', async () => {
    const folder = join(dir, 'linked');
    await mkdir(folder);
    await symlink(join(passing, 'junit.xml'), join(folder, 'junit.xml'));
    const run = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', folder, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(folder, 'junit.xml')} is a symbolic link that is not a report mantle-conformance wrote`);
    expect(await readdir(folder)).toEqual(['junit.xml']);
  }, 60_000);

  it('stops report and merge (exit 2, nothing read or written); the input rendered in place is no such file', async () => {
    const input = join(passing, 'matrix.json');
    const reported = await folderWith('report', { 'matrix.md': '# hand-written\n', 'matrix.html': '<p>mine</p>' });
    const report = await cli(['report', input, '--report-dir', reported]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/HARNESS_USAGE: --report-dir .*matrix\.(md|html) is a file that is not a report mantle-conformance wrote, and report would replace it.*Nothing was read or written\./);
    expect(await readFile(join(reported, 'matrix.md'), 'utf8')).toBe('# hand-written\n');
    const merged = await folderWith('merge', { 'junit.xml': OTHER_JUNIT });
    const merge = await cli(['merge', input, '--report-dir', merged]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain(`${join(merged, 'junit.xml')} is a file that is not a report mantle-conformance wrote, and merge would replace it`);
    expect(await readdir(merged)).toEqual(['junit.xml']);
    // `report reports/matrix.json`: the input is read as a matrix and rendered where it lies; a notes file beside it is not.
    const inPlace = await folderWith('in-place', { 'matrix.json': await readFile(input, 'utf8'), 'matrix.md': '# notes\n' });
    expect((await cli(['report', join(inPlace, 'matrix.json')])).code).toBe(2);
    expect(await readFile(join(inPlace, 'matrix.md'), 'utf8')).toBe('# notes\n');
    await rm(join(inPlace, 'matrix.md'));
    const rendered = await cli(['report', join(inPlace, 'matrix.json')]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect((await readdir(inPlace)).sort()).toEqual(REPORTS);
  }, 60_000);

  it('its own earlier reports still go: run, report and merge replace them', async () => {
    const copy = async (name: string) => {
      const folder = join(dir, name);
      await mkdir(folder);
      for (const file of REPORTS) await writeFile(join(folder, file), await readFile(join(passing, file)));
      return folder;
    };
    const run = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', await copy('own-run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const report = await cli(['report', join(passing, 'matrix.json'), '--report-dir', await copy('own-report')]);
    expect(report.code, report.stderr).toBe(0);
    const merged = await copy('own-merge');
    const merge = await cli(['merge', join(passing, 'matrix.json'), '--report-dir', merged]);
    expect(merge.code, merge.stderr).toBe(0);
    expect((await readdir(merged)).sort()).toEqual(REPORTS);
  }, 60_000);
});
