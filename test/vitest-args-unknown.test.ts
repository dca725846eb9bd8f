/**
 * Arguments after `--` (review rv4-ui 3, 5): an option vitest does not know (a single-dashed or misspelt harness flag,
 * a typo of vitest's own) is exit 2 naming it, where it was dropped silently (the regression gate off, a live run
 * replayed); vitest refusing `--coverage` names `--coverage` and its missing provider, not `[object Object]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseVitestArgs } from '../src/cli/vitest-args.ts';
import { describeVitestOptions } from '../src/run/vitest-usage.ts';
import { cliProcess } from './helpers/harness.ts';

it.each([
  [['-baseline', '/nonexistent/matrix.json'], 'vitest does not know -baseline', 'if --baseline was meant, it is a mantle-conformance flag: put it before --'],
  [['-mode', 'live'], 'vitest does not know -mode', 'if --mode was meant'],
  [['--basline=/nonexistent/matrix.json'], 'vitest does not know --basline', 'if --baseline was meant'],
  [['--max-error=1'], 'vitest does not know --max-error', 'if --max-errors was meant'],
  [['--reporters=junit'], 'vitest does not know --reporters', 'vitest --help lists its options'],
])('-- --reporter=dot %j is refused naming it', async (args, named, hint) => {
  const refused = await parseVitestArgs(['--reporter=dot', ...args]).then(() => undefined, (error: Error) => error);
  expect(refused?.message).toContain(named);
  expect(refused?.message).toContain(hint);
  expect((refused as { code?: string } | undefined)?.code).toBe('HARNESS_USAGE');
});

it('options vitest knows, dotted or negated, pass', async () => {
  const args = ['--reporter=dot', '--api.port=42831', '--maxWorkers=1', '--no-color', '--outputFile.junit=x.xml', '--silent=passed-only', '--sequence.shuffle', '--bail=1', '--retry=2', '--open=false', '--project=x'];
  const parsed = await parseVitestArgs(args);
  expect(parsed.options).toMatchObject({ reporter: ['dot'], api: { port: 42831 }, maxWorkers: 1, outputFile: { junit: 'x.xml' } });
});

it('object-valued options are named as written', () => {
  expect(describeVitestOptions({ '--': [], color: true, coverage: { enabled: true }, browser: { enabled: true, headless: false }, outputFile: { junit: 'x.xml' } })).toBe(
    '--coverage --browser --browser.headless=false --output-file.junit=x.xml',
  );
});

it('-- --coverage without its provider installed is exit 2 naming --coverage and the package', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-coverage-'));
  try {
    const run = await cliProcess(['run', 'grok-4.3', '--targets', 'mantle:emulator', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--coverage'], { TMPDIR: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('vitest refused the arguments after -- (--coverage) before any check ran: --coverage needs @vitest/coverage-v8, which is not installed');
    expect(run.stderr).not.toContain('[object Object]');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
