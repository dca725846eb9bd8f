/**
 * A run's verdict is its own: the renderings an earlier run left in --report-dir (matrix.md, matrix.html, junit.xml)
 * go once the folder is known to be writable, so a run that then stops without writing its own (a usage error,
 * Ctrl-C or SIGTERM while it gets ready) leaves no green junit.xml or matrix.json behind for a later CI step to
 * read; its matrix.json, the data a live run paid for, waits aside as matrix.earlier.json until the run starts (a
 * typo'd flag or path lost it: hostile review of CI use, 2026-12-05). Only the harness's own files go; a --baseline
 * among them is refused, before anything goes. A signal before the run proper is exit 130, not a kill.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli, packageBin, ROOT } from './helpers/harness.ts';

const REPORTS = ['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md'];
const MODEL = 'openai.gpt-oss-20b';

let dir: string;
/** A passing run's reports (a replay of one model), copied into each test's folder. */
let passing: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stale-'));
  passing = join(dir, 'passing');
  const run = await cli(['run', MODEL, '--report-dir', passing, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function folderWithPassingReports(name: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const file of REPORTS) await writeFile(join(folder, file), await readFile(join(passing, file)));
  return folder;
}

describe('an earlier run\'s reports', () => {
  it('are removed by a run that exits 2 once the folder is writable; what the harness did not write stays', async () => {
    const reports = await folderWithPassingReports('typo');
    const typo = await cli(['run', 'no-such-model-anywhere', '--report-dir', reports, '--quiet']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('matches no model of the run');
    expect(await readdir(reports)).toEqual(['matrix.earlier.json']);
    expect(await readFile(join(reports, 'matrix.earlier.json'), 'utf8')).toBe(await readFile(join(passing, 'matrix.json'), 'utf8'));
    // Another stop after a new matrix.json came (a `report` into the folder): an earlier stop's copy is never replaced.
    await writeFile(join(reports, 'matrix.json'), await readFile(join(passing, 'matrix.json')));
    expect((await cli(['run', 'no-such-model-anywhere', '--report-dir', reports, '--quiet'])).code).toBe(2);
    const kept = (await readdir(reports)).sort();
    expect(kept).toEqual([expect.stringMatching(/^matrix\.earlier-[0-9t]+z-[0-9a-f]{6}\.json$/), 'matrix.earlier.json']);
    // A run that starts drops the copies stops set aside (as it always dropped the earlier matrix.json), but a
    // --baseline among them: it writes its own.
    // A file of the user's own named like one (matrix.earlier-prod.json) is not the harness's copy: it stays.
    await writeFile(join(reports, 'matrix.earlier-prod.json'), await readFile(join(passing, 'matrix.json')));
    const again = await cli(['run', MODEL, '--checks', 'path-prefix', '--baseline', join(reports, 'matrix.earlier.json'), '--report-dir', reports, '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(reports)).sort()).toEqual([...REPORTS, 'matrix.earlier-prod.json', 'matrix.earlier.json'].sort());
    const last = await cli(['run', MODEL, '--checks', 'path-prefix', '--report-dir', reports, '--quiet']);
    expect(last.code, last.stderr).toBe(0);
    expect((await readdir(reports)).sort()).toEqual([...REPORTS, 'matrix.earlier-prod.json'].sort());

    const foreign = join(dir, 'foreign');
    await mkdir(foreign);
    const texts: Record<string, string> = { 'matrix.json': '{"format":"someone-else/1"}', 'matrix.md': '# My notes\n', 'matrix.html': '<!doctype html><title>Mine</title>', 'junit.xml': '<?xml version="1.0"?><testsuites name="other-tool"></testsuites>' };
    for (const [file, text] of Object.entries(texts)) await writeFile(join(foreign, file), text);
    expect((await cli(['run', 'no-such-model-anywhere', '--report-dir', foreign, '--quiet'])).code).toBe(2);
    for (const [file, text] of Object.entries(texts)) expect(await readFile(join(foreign, file), 'utf8')).toBe(text);
    // A link is not the harness's file, whatever it points at; the file it points at stays too.
    const linked = join(dir, 'linked');
    await mkdir(linked);
    await symlink(join(passing, 'matrix.json'), join(linked, 'matrix.json'));
    expect((await cli(['run', 'no-such-model-anywhere', '--report-dir', linked, '--quiet'])).code).toBe(2);
    expect(await readdir(linked)).toEqual(['matrix.json']);
    expect((await readdir(passing)).sort()).toEqual(REPORTS);
    // A named pipe is not opened (a read-open waits for a writer, and the run with it): it stays, the run goes on.
    const piped = join(dir, 'piped');
    await mkdir(piped);
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [join(piped, 'junit.xml')]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`)))));
    expect((await cli(['run', 'no-such-model-anywhere', '--report-dir', piped, '--quiet'])).code).toBe(2);
    expect(await readdir(piped)).toEqual(['junit.xml']);
  }, 20_000);

  it('a name a link holds is never written through, nor a reason to remove the earlier matrix.json', async () => {
    const reports = await folderWithPassingReports('linked-aside');
    const elsewhere = join(dir, 'elsewhere.json');
    await writeFile(elsewhere, 'not mine');
    await symlink(elsewhere, join(reports, 'matrix.earlier.json'));
    expect((await cli(['run', 'no-such-model-anywhere', '--report-dir', reports, '--quiet'])).code).toBe(2);
    const names = (await readdir(reports)).sort();
    expect(names).toEqual([expect.stringMatching(/^matrix\.earlier-[0-9t]+z-[0-9a-f]{6}\.json$/), 'matrix.earlier.json']);
    expect(await readFile(join(reports, names[0]!), 'utf8')).toBe(await readFile(join(passing, 'matrix.json'), 'utf8'));
    expect(await readFile(elsewhere, 'utf8')).toBe('not mine');
  });

  it('are removed by a merge or report that refuses its input (exit 2); an input among them stays', async () => {
    const merged = await folderWithPassingReports('merge');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"format": "mantle-conformance.matrix/2", "run": ');
    const merge = await cli(['merge', join(passing, 'matrix.json'), bad, '--report-dir', merged]);
    expect(merge.code, merge.stderr).toBe(2);
    expect(await readdir(merged)).toEqual(['matrix.json']);

    const reported = await folderWithPassingReports('report');
    const report = await cli(['report', bad, '--report-dir', reported]);
    expect(report.code, report.stderr).toBe(2);
    expect(await readdir(reported)).toEqual(['matrix.json']);
    // A typo'd input path beside the reports (rendered in place by default): the matrix.json next to it is kept.
    const typo = await folderWithPassingReports('report-typo');
    const misspelt = await cli(['report', join(typo, 'matrx.json')]);
    expect(misspelt.code, misspelt.stderr).toBe(2);
    expect(await readdir(typo)).toEqual(['matrix.json']);
    expect(await readFile(join(typo, 'matrix.json'), 'utf8')).toBe(await readFile(join(passing, 'matrix.json'), 'utf8'));

    // The input itself is never removed: a matrix.json that cannot be read stays where it is, as does a good one
    // rendered in place (and its reports are written again beside it).
    const inPlace = await folderWithPassingReports('in-place');
    await writeFile(join(inPlace, 'matrix.json'), `${(await readFile(join(passing, 'matrix.json'), 'utf8')).slice(0, 200)}`);
    expect((await cli(['report', join(inPlace, 'matrix.json')])).code).toBe(2);
    expect(await readdir(inPlace)).toEqual(['matrix.json']);
    const good = await folderWithPassingReports('good');
    const again = await cli(['report', join(good, 'matrix.json')]);
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(good)).sort()).toEqual(REPORTS);
  });

  it('a --baseline among them is refused (exit 2), and they all stay; copied elsewhere, it is compared with', async () => {
    const reports = await folderWithPassingReports('baseline');
    const refused = await cli(['run', MODEL, '--baseline', join(reports, 'matrix.json'), '--report-dir', reports, '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HARNESS_USAGE: --report-dir .*: it holds the --baseline file .*matrix\.json \(as matrix\.json\).*copy it elsewhere first \(cp .*matrix\.json last\.json, then --baseline last\.json\)/);
    expect((await readdir(reports)).sort()).toEqual(REPORTS);
    const last = join(dir, 'last.json');
    await writeFile(last, await readFile(join(reports, 'matrix.json')));
    const run = await cli(['run', MODEL, '--baseline', last, '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.comparison).toBeDefined();
    expect((await readdir(reports)).sort()).toEqual(REPORTS);
  });

  it('are gone after SIGTERM while the run gets ready (the earlier matrix.json set aside), which exits 130 and writes none', async () => {
    const reports = await folderWithPassingReports('sigterm');
    // A model list that never comes: the run waits in --models listed, before anything is judged.
    let asked: () => void = () => undefined;
    const listing = new Promise<void>((resolve) => (asked = resolve));
    const server = createServer((req) => {
      if (req.url?.endsWith('/models')) asked();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const child = spawn(process.execPath, [packageBin(), 'run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--models', 'listed', '--report-dir', reports, '--plain'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
      await listing;
      child.kill('SIGTERM');
      expect(await exited, stderr).toEqual([130, null]);
      expect(stderr).toContain('Interrupted (SIGTERM) before the run started: nothing is judged and no reports are written');
      expect(await readdir(reports)).toEqual(['matrix.earlier.json']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
