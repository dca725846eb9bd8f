/**
 * On vitest, what fails the run as a whole (a partial run, a model with nothing observed: junit.xml's `gate`
 * testsuite) is a failing test too: vitest's reporters and UI read all skipped and green for a run whose gate fails.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { catalogEmulator, cliProcess } from './helpers/harness.ts';

type VitestJson = { testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[] };

it('a run whose gate fails on run-level problems shows each as a failing test in vitest', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-gate-'));
  const emulator = await catalogEmulator();
  try {
    const report = join(dir, 'vitest.json');
    const result = await cliProcess(
      ['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'api.*', '--max-requests', '1', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--reporter=json', `--outputFile=${report}`],
      { TMPDIR: dir },
    );
    expect(result.code, result.stderr).toBe(1);
    const tests = (JSON.parse(await readFile(report, 'utf8')) as VitestJson).testResults.flatMap((f) => f.assertionResults);
    const gate = tests.filter((t) => t.ancestorTitles[0] === 'gate');
    // The same problems as junit.xml's gate testsuite, each failing with its message.
    expect(gate.map((t) => [t.title, t.status])).toEqual([
      ['partial', 'failed'],
      ['unobserved-model: xai.grok-4.3 (127.0.0.1_' + new URL(emulator.url).port + ')', 'failed'],
    ]);
    expect(gate[0]!.failureMessages.join('')).toContain('partial run: spend cap: the run reached --max-requests 1');
    const junit = await readFile(join(dir, 'reports', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="gate" tests="2" failures="2"');
    // Every check's own test is skipped (nothing observed): before, that was all vitest showed.
    expect(tests.filter((t) => t.ancestorTitles[0] !== 'gate').every((t) => t.status === 'skipped')).toBe(true);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

it('a run that passes shows one passing verdict test', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mantle-ui-gate-pass-'));
  try {
    const report = join(dir, 'vitest.json');
    const result = await cliProcess(['run', 'grok-4.3', '--targets', 'mantle:emulator', '-t', 'path-prefix', '--quiet', '--report-dir', join(dir, 'reports'), '--', '--reporter=json', `--outputFile=${report}`], { TMPDIR: dir });
    expect(result.code, result.stderr).toBe(0);
    const tests = (JSON.parse(await readFile(report, 'utf8')) as VitestJson).testResults.flatMap((f) => f.assertionResults);
    expect(tests.filter((t) => t.ancestorTitles[0] === 'gate').map((t) => [t.title, t.status])).toEqual([['verdict', 'passed']]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
