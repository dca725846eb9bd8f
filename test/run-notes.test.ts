/**
 * What a run says of itself that its flags alone would not tell (review of the run as a CI job sees it): a shard that
 * selects no cell passes its gate on nothing (another shard runs them all; merge gates the whole run), and its
 * coverage line says so, so a job that gates on the shard alone is told to gate on the merge (`gate: pass` with 0 of
 * 13650 cells observed and no word); a replay given --repeat says it repeats what was recorded.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { coverageLine } from '../src/report/gate.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'empty-shard-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('says it ran no cell and to gate on the merge, on the console and in matrix.md; a shard that ran says nothing of it', async () => {
  const empty = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--shard', '3/3', '--report-dir', join(dir, 'empty')]);
  expect(empty.code, empty.stderr).toBe(0);
  expect(empty.stderr + empty.stdout).toMatch(/coverage: 0 of \d+ cells observed.*; shard 3\/3 ran no cell \(each is another shard's or filtered out\): gate on the merge of every shard/);
  expect(await readFile(join(dir, 'empty', 'matrix.md'), 'utf8')).toContain('shard 3/3 ran no cell');
  const ran = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--shard', '1/3', '--report-dir', join(dir, 'ran')]);
  expect(ran.code, ran.stderr).toBe(0);
  expect(ran.stderr + ran.stdout).not.toContain('ran no cell');
});

it('a replay given --repeat says it repeats what was recorded; without the flag, or live, nothing is said', async () => {
  const repeated = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--repeat', '3', '--report-dir', join(dir, 'repeat')]);
  expect(repeated.code, repeated.stderr).toBe(0);
  expect(repeated.stderr).toContain('note: --repeat 3: a replay repeats each case as often as it was recorded (record with --repeat 3 to judge 3 trials)');
  const plain = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', join(dir, 'plain')]);
  expect(plain.stderr).not.toContain('--repeat');
});

it('a shard a stop kept from its cells (not reached) is not said to have run no cell: the gate says it stopped', () => {
  const cell = (reason: string) => ({ target: 't', model: 'm', check: 'c', status: 'skipped' as const, observed: null, expected: null, reason, evidence: [], notRun: true, gating: false });
  const matrix = (reason: string) => ({ results: [cell(reason)], models: [{ id: 'm' }], run: { selection: { shard: '2/2' } } }) as unknown as Parameters<typeof coverageLine>[0];
  expect(coverageLine(matrix('not run: another shard\'s'))).toContain('shard 2/2 ran no cell');
  expect(coverageLine(matrix('not reached: interrupted (Ctrl-C)'))).not.toContain('ran no cell');
});
