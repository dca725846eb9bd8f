/**
 * The bad-input corpus: every file in test/bad-input/ is broken in one way and says, in its first line, where and
 * how (`# expect: line:col message`). Loading it must stop with exactly that located message, and the CLI must
 * exit 2 without a stack trace. Bad flags are covered the same way.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { HarnessError } from '../src/errors.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { ROOT, cli } from './helpers/harness.ts';

const CORPUS = join(ROOT, 'test/bad-input');

async function corpus(kind: 'suites' | 'catalogs' | 'expectations') {
  const dir = join(CORPUS, kind);
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const first = (await readFile(join(dir, name), 'utf8')).split('\n')[0]!;
      const match = /^# expect: (\d+):(\d+) (.*)$/.exec(first);
      if (!match) throw new Error(`${name}: first line must be "# expect: line:col message"`);
      return { name, file: join(dir, name), line: match[1]!, col: match[2]!, message: match[3]! };
    }),
  );
}

async function failure(load: () => Promise<unknown>): Promise<HarnessError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('loaded without an error');
}

describe('broken suite files', async () => {
  const cases = await corpus('suites');
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bad-suites-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(cases)('$name', async ({ name, file, line, col, message }) => {
    const one = join(dir, name.replace('.suite.yaml', ''));
    await rm(one, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(one));
    await copyFile(file, join(one, name));
    const error = await failure(() => loadSuites(one, ALL_CHECKS));
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain(`${join(one, name)}:${line}:${col} ${message}`);
    expect(error.message).toContain('nothing was sent');
  });

  it('reports every broken file at once, not only the first', async () => {
    const all = join(dir, 'all');
    await import('node:fs/promises').then((fs) => fs.mkdir(all, { recursive: true }));
    for (const c of cases) await copyFile(c.file, join(all, c.name));
    const error = await failure(() => loadSuites(all, ALL_CHECKS));
    for (const c of cases) expect(error.message).toContain(`${c.name}:${c.line}:${c.col}`);
  });
});

describe('broken catalogs', async () => {
  const cases = await corpus('catalogs');
  it.each(cases)('$name', async ({ file, line, col, message }) => {
    const error = await failure(() => loadCatalog(file, ALL_CHECKS));
    expect(error.code).toBe('HARNESS_CATALOG_INVALID');
    expect(error.message).toContain(`:${line}:${col} ${message}`);
  });
});

describe('broken expectations files', async () => {
  const cases = await corpus('expectations');
  it.each(cases)('$name', async ({ file, line, col, message }) => {
    const error = await failure(() => loadExpectations(file, ALL_CHECKS));
    expect(error.code).toBe('HARNESS_EXPECTATIONS_INVALID');
    expect(error.message).toContain(`:${line}:${col} ${message}`);
  });
});

describe('the CLI on bad input', () => {
  it.each(['alias-missing', 'alias-bomb'])('exits 2 with file:line:col and no stack trace for %s', async (name) => {
    const dir = await mkdtemp(join(tmpdir(), 'bad-cli-'));
    try {
      const source = join(CORPUS, `suites/${name}.suite.yaml`);
      const expected = /^# expect: (\d+:\d+ .*)$/.exec((await readFile(source, 'utf8')).split('\n')[0]!)![1]!;
      await copyFile(source, join(dir, 'x.suite.yaml'));
      const result = await cli(['run', '--suites', dir, '--catalog', join(ROOT, 'suites/models.yaml'), '--report-dir', join(dir, 'reports')]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`x.suite.yaml:${expected}`);
      expect(result.stderr).toContain('HARNESS_SUITE_INVALID');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });


  it('exits 2 with file:line:col and no stack trace for a broken suite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bad-cli-'));
    try {
      await copyFile(join(CORPUS, 'suites/unknown-check.suite.yaml'), join(dir, 'x.suite.yaml'));
      const result = await cli(['run', '--suites', dir, '--catalog', join(ROOT, 'suites/models.yaml'), '--report-dir', join(dir, 'reports')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/x\.suite\.yaml:8:14 unknown check "created-at\.chatt"/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    { args: ['run', '--mode', 'livee'], message: /--mode.*livee/ },
    { args: ['run', '--mode', 'live'], message: /--mode: live needs a target: --region us-east-1 .* or --endpoint URL/ },
    { args: ['run', '--mode', 'live', '--region', 'useast1'], message: /--region: "useast1" is not an AWS region name/ },
    { args: ['run', '--mode', 'live', '--endpoint', 'not a url'], message: /--endpoint: "not a url" is not a URL/ },
    { args: ['run', '--timeout', 'soon'], message: /--timeout: "soon" is not a whole number/ },
    { args: ['run', '--models', 'Bad Id'], message: /--models: "Bad Id" is not a model id/ },
    { args: ['run', '--checks', 'created-at.chatt'], message: /--checks "created-at.chatt" \(did you mean "created-at.chat"\?\)/ },
    { args: ['run', '--suites', '/nonexistent'], message: /HARNESS_FILE_NOT_FOUND: --suites: \/nonexistent does not exist; point --suites at a folder/ },
    { args: ['run', '--frobnicate'], message: /unknown option '--frobnicate'/ },
    { args: ['run', '--models', 'qwen.qwen3-32b', '--report-dir', '/dev/null/reports'], message: /--report-dir \/dev\/null\/reports: cannot write the reports/ },
    { args: ['run', '--mode', 'live', '--endpoint', 'http://127.0.0.1:9', '--api-key-env', 'MANTLE_TEST_UNSET_KEY'], message: /MANTLE_TEST_UNSET_KEY is not set/ },
  ])('$args.1 $args.2: exit 2 naming the flag', async ({ args, message }) => {
    // Never the checkout's reports/: a run that gets as far as its report folder clears the earlier run's reports.
    const result = await cli(args.includes('--report-dir') ? args : [...args, '--report-dir', join(tmpdir(), 'bad-input-reports')], { MANTLE_TEST_UNSET_KEY: '' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
