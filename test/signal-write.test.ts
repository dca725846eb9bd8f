/**
 * Ctrl-C or SIGTERM while a command that takes no signal itself writes (review of 2026-12-06): the exit is 130 for
 * both, as `run`'s and README's exit-code table (SIGTERM exited 143), and a folder the write made for its file goes
 * again with the temp file (an empty `schema/` was left in the suites folder, an empty new `--report-dir`).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageBin, ROOT } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const PRELOAD = pathToFileURL(join(ROOT, 'test', 'helpers', 'signal-on-temp.mjs')).href;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-signal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI, signalling itself once the temp file beside `tempOf` is written; its exit. */
async function signalled(args: string[], signal: NodeJS.Signals, tempOf: string, cwd: string): Promise<{ code: number | null; by: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, ['--import', PRELOAD, packageBin(), ...args], { cwd, env: { ...process.env, SIGNAL_ON_TEMP: signal, SIGNAL_TEMP_OF: tempOf, FORCE_COLOR: '0' } });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const ended = await new Promise<{ code: number | null; by: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, by) => resolve({ code, by })));
  clearTimeout(timer);
  return { ...ended, output };
}

it.each(['SIGINT', 'SIGTERM'] as const)('schema, %s mid-write: exit 130, and the schema/ folder it made is gone', async (signal) => {
  const suites = await mkdtemp(join(dir, `schema-${signal}-`));
  const ended = await signalled(['schema', '--suites', suites], signal, join(suites, 'schema', 'suite.schema.json'), suites);
  expect({ code: ended.code, by: ended.by }, ended.output).toEqual({ code: 130, by: null });
  expect(await readdir(suites)).toEqual([]);
}, 60_000);

it.each(['SIGINT', 'SIGTERM'] as const)('merge into a new --report-dir, %s mid-write: exit 130, and no folder is left', async (signal) => {
  const folder = await mkdtemp(join(dir, `merge-${signal}-`));
  const matrix = join(folder, 'matrix-in.json');
  await writeFile(matrix, JSON.stringify(smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'pass', observed: 'integer' }])));
  const out = join(folder, 'new', 'deeper');
  const ended = await signalled(['merge', matrix, '--report-dir', out], signal, join(out, 'matrix.json'), folder);
  expect({ code: ended.code, by: ended.by }, ended.output).toEqual({ code: 130, by: null });
  expect(await readdir(folder)).toEqual(['matrix-in.json']);
}, 60_000);

it('a folder that was there before the write stays, empty or not', async () => {
  const folder = await mkdtemp(join(dir, 'kept-'));
  const out = join(folder, 'reports');
  await mkdir(out);
  const matrix = join(folder, 'matrix-in.json');
  await writeFile(matrix, JSON.stringify(smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'pass', observed: 'integer' }])));
  const ended = await signalled(['merge', matrix, '--report-dir', out], 'SIGINT', join(out, 'matrix.json'), folder);
  expect(ended.code, ended.output).toBe(130);
  expect((await readdir(folder)).sort()).toEqual(['matrix-in.json', 'reports']);
  expect(await readdir(out)).toEqual([]);
}, 60_000);
