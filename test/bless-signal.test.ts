/**
 * Ctrl-C or SIGTERM while bless writes the expectations file (a CI job cancelled mid-write): the temp file beside it
 * goes, the file is as it was, and the process ends with 130, SIGTERM too (an interrupted run's exit). Node runs no
 * `exit` handler for a death by signal, and bless listens for none itself: the atomic writer listens while a temp
 * file is pending.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageBin, ROOT } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const PRELOAD = pathToFileURL(join(ROOT, 'test', 'helpers', 'signal-on-temp.mjs')).href;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-bless-signal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const BEFORE = 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent   # was\n';

it.each([
  ['SIGINT', 130],
  ['SIGTERM', 130],
] as const)('%s while the temp file is written: it is removed, the file is as it was, exit %i', async (signal, exitCode) => {
  const folder = await mkdtemp(join(dir, `${signal}-`));
  const file = join(folder, 'expectations.yaml');
  await writeFile(file, BEFORE);
  const matrix = join(dir, `matrix-${signal}.json`);
  // Judged against the file's "exponent", observed "integer": it gates, so bless writes.
  await writeFile(matrix, JSON.stringify(smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: was' }])));
  const child = spawn(process.execPath, ['--import', PRELOAD, packageBin(), 'bless', matrix, '--expectations', file], {
    cwd: folder,
    env: { ...process.env, SIGNAL_ON_TEMP: signal, SIGNAL_TEMP_OF: file, FORCE_COLOR: '0' },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const ended = await new Promise<{ code: number | null; by: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, by) => resolve({ code, by })));
  clearTimeout(timer);
  expect(ended, output).toEqual({ code: exitCode, by: null });
  expect(await readdir(folder)).toEqual(['expectations.yaml']);
  expect(await readFile(file, 'utf8')).toBe(BEFORE);
}, 60_000);
