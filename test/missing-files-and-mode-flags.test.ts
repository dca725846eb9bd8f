/**
 * What the README promises of flags and files, held (hostile review of the README as a new user, findings 5 to 7):
 * a file or folder a flag or argument names that does not exist is HARNESS_FILE_NOT_FOUND whichever names it (users
 * match on the code), one that exists but is not what the flag wants keeps its own code in one line that quotes none
 * of its text; `--region` in replay takes region folders, and a recorded target named there is told the flag that
 * replays it; flags only record reads are refused in live and replay, as --threads is outside replay.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
let matrix: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'missing-files-'));
  const run = await cli(['run', 'xai.grok-4.3', '--checks', 'api.chat-completions', '--report-dir', join(dir, 'r'), '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  matrix = join(dir, 'r', 'matrix.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const ONE = ['xai.grok-4.3', '--checks', 'api.chat-completions', '--quiet'];

describe('a path that does not exist is HARNESS_FILE_NOT_FOUND, whichever flag or argument names it', () => {
  const nope = () => join(dir, 'nope');
  it.each([
    ['run --baseline', () => ['run', ...ONE, '--baseline', `${nope()}.json`], '--baseline: '],
    ['run --catalog', () => ['run', ...ONE, '--catalog', `${nope()}.yaml`], '--catalog: '],
    ['run --expectations', () => ['run', ...ONE, '--expectations', `${nope()}.yaml`], '--expectations: '],
    ['run --openapi', () => ['run', ...ONE, '--openapi', `${nope()}.yaml`], '--openapi: '],
    ['run --suites', () => ['run', ...ONE, '--suites', nope()], '--suites: '],
    ['report', () => ['report', `${nope()}.json`, '--report-dir', join(dir, 'out')], ''],
    ['compare', () => ['compare', matrix, `${nope()}.json`], ''],
    ['merge', () => ['merge', matrix, `${nope()}.json`, '--report-dir', join(dir, 'merged')], ''],
    ['table', () => ['table', `${nope()}.json`], ''],
    ['bless', () => ['bless', `${nope()}.json`, '--expectations', join(dir, 'e.yaml')], ''],
    ['fixtures prune --fixtures', () => ['fixtures', 'prune', '--fixtures', nope()], '--fixtures: '],
  ])('%s', async (_name, args, flag) => {
    const given = args();
    const run = await cli(given[0] === 'run' ? [...given, '--report-dir', join(dir, 'never')] : given);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^HARNESS_FILE_NOT_FOUND: ${flag.replace(/-/g, '\\-')}\\S*nope\\S* does not exist; `, 'm'));
    expect(run.stderr).not.toMatch(/\n\s+at |HARNESS_INTERNAL/);
  });

  it('a path that is there but is no file keeps HARNESS_USAGE (a folder given as --baseline)', async () => {
    const folder = join(dir, 'baseline-folder');
    await mkdir(folder, { recursive: true });
    const run = await cli(['run', ...ONE, '--baseline', folder, '--report-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --baseline: ${folder} is a folder, not a file`);
  });

  it('an --openapi file that is not YAML is HARNESS_USAGE in one line, naming where it breaks and quoting none of it', async () => {
    const run = await cli(['run', ...ONE, '--openapi', join(ROOT, 'README.md'), '--report-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^HARNESS_USAGE: --openapi \S*README\.md: not an OpenAPI document: not valid YAML at line \d+, column \d+ \([A-Z_]+\); give OpenAI's openapi\.yaml$/);
    expect(run.stderr).not.toContain('conformance test harness');
  });
});

describe('--region in replay takes region folders; a recorded target named there is told how to replay it', () => {
  it.each([
    ['emulator', '--targets mantle:emulator'],
    ['runtime.emulator', '--targets runtime:emulator'],
  ])('--region %s', async (name, fix) => {
    const run = await cli(['run', ...ONE, '--region', name, '--report-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --region: "${name}" is not an AWS region name like us-east-1; in replay --region picks recorded region folders only, and ${name} is a recorded target: replay it with ${fix}`);
    // What it says works.
    const followed = await cli(['run', ...ONE, ...fix.split(' '), '--report-dir', join(dir, `fixed-${name}`)]);
    expect(followed.code, followed.stderr).toBe(0);
  });

  it('a target recorded by --endpoint (host_port, no surface:name spells it) is told --target-name, which replays it', async () => {
    const server = await catalogEmulator();
    const fixtures = join(dir, 'endpoint-fixtures');
    try {
      const recorded = await cli(['run', ...ONE, '--mode', 'record', '--endpoint', server.url, '--auth', 'none', '--fixtures', fixtures, '--report-dir', join(dir, 'endpoint-r')]);
      expect(recorded.code, recorded.stderr).toBe(0);
    } finally {
      await server.close();
    }
    const name = `127.0.0.1_${new URL(server.url).port}`;
    const run = await cli(['run', ...ONE, '--region', name, '--fixtures', fixtures, '--report-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`and ${name} is a recorded target: replay it with --target-name ${name}`);
    const followed = await cli(['run', ...ONE, '--target-name', name, '--fixtures', fixtures, '--report-dir', join(dir, 'endpoint-replayed')]);
    expect(followed.code, followed.stderr).toBe(0);
  });

  it('a name recorded nowhere, or any name in live, keeps the plain message', async () => {
    for (const args of [['--region', 'nowhere'], ['--mode', 'live', '--region', 'emulator', '--auth', 'none']]) {
      const run = await cli(['run', ...ONE, ...args, '--report-dir', join(dir, 'never')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/HARNESS_USAGE: --region: "(nowhere|emulator)" is not an AWS region name like us-east-1\n$/);
    }
  });
});

describe('flags only record reads are refused in live and replay', () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await catalogEmulator();
  });
  afterAll(() => server.close());

  it.each([
    [['--overwrite-failures'], 'replay', '--overwrite-failures'],
    [['--source', 'emulator'], 'replay', '--source'],
    [['--overwrite-failures', '--mode', 'live'], 'live', '--overwrite-failures'],
    [['--source', 'emulator', '--mode', 'live'], 'live', '--source'],
  ])('%j is exit 2 naming the flag and the mode it needs, nothing sent', async (flags, mode, flag) => {
    const live = flags.includes('live') ? ['--endpoint', server.url, '--auth', 'none'] : [];
    const run = await cli(['run', ...ONE, ...flags, ...live, '--report-dir', join(dir, 'never')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: ${flag}: applies to record only (a ${mode} run writes no fixtures); add --mode record`);
    expect(server.stats.requests).toBe(0);
  });

  it('--source live (the default, said again) is taken in replay; record takes both flags', async () => {
    const run = await cli(['run', ...ONE, '--source', 'live', '--report-dir', join(dir, 'source-live')]);
    expect(run.code, run.stderr).toBe(0);
    const config = await resolveRunConfig({ mode: 'record', endpoint: server.url, auth: 'none', overwriteFailures: true, source: 'emulator', fixtures: join(dir, 'rec'), reportDir: join(dir, 'rec-r') }, ROOT, '0.0.0-test');
    expect(config.overwriteFailures).toBe(true);
    expect(config.recordSource).toBe('emulator');
  });
});
