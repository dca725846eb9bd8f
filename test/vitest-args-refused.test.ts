/**
 * Arguments after `--` that vitest would take silently but the gate would never see: a harness flag (dropped: the
 * regression gate off, a live run replayed), vitest's test timeouts (checks failed in vitest that the matrix
 * passes), vitest's file selection (models dropped as if filtered out). Each is exit 2 naming it, before anything runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-ui-args-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it.each([
  [['--baseline', '/nonexistent/matrix.json'], '--baseline after --: a mantle-conformance flag', 'put it before --'],
  [['--checks=stream.*'], '--checks after --: a mantle-conformance flag', 'put it before --'],
  [['--models=xai.grok-4.6'], '--models after --', 'put it before --'],
  [['--region=us-west-2'], '--region after --', 'put it before --'],
  [['--no-expectations'], '--no-expectations after --', 'put it before --'],
  [['--mode=live'], '--mode after --', 'vite\'s mode'],
  [['--ui'], '--ui after --', 'put it before --'],
  [['--testTimeout=1'], '--test-timeout after --', 'use --timeout before --'],
  [['--hook-timeout', '5'], '--hook-timeout after --', 'use --timeout before --'],
  [['--exclude=**/*4.3*'], '--exclude after --: vitest\'s file selection', 'select models with filters'],
  [['--dir', 'elsewhere'], '--dir after --', 'select models with filters'],
  [['--changed'], '--changed after --', 'select models with filters'],
  [['--root=/'], '--root after --', 'select models with filters'],
])('-- --reporter=dot %j is exit 2 naming it', async (args, named, fix) => {
  const reports = join(dir, 'reports');
  const run = await cli(['run', 'grok-4.3', '--targets', 'mantle:emulator', '--quiet', '--report-dir', reports, '--', '--reporter=dot', ...args]);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain(`HARNESS_USAGE: ${named}`);
  expect(run.stderr).toContain(fix);
}, 60_000);
