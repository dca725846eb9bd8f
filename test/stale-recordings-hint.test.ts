/**
 * The hint a record run gives for the recordings of cases its suites do not have is a command that, run as printed,
 * prunes against the run's own suites and fixtures root: it repeats --suites and --fixtures when prune's defaults
 * are other folders (the bundled suites, ./fixtures), each one shell word, so it never calls the run's own fresh
 * recordings stale.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneCommand } from '../src/cli/stale-recordings.ts';
import { shellWord } from '../src/cli/shell-word.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'stale-key-0123456789' };
const MODEL = 'qwen.qwen3-32b';
let dir: string;

/** The words of a command line as a POSIX shell splits it (plain words and single-quoted parts only: what shellWord writes). */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stale-'));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('shellWord', () => {
  it('keeps a plain path as it is and quotes one a shell would split or expand', () => {
    expect(shellWord('fixtures/local')).toBe('fixtures/local');
    expect(shellWord("my suites/it's $HOME")).toBe(`'my suites/it'\\''s $HOME'`);
    expect(shellSplit(shellWord("my suites/it's $HOME"))).toEqual(["my suites/it's $HOME"]);
    expect(shellWord('-x')).toBe('./-x');
  });
});

describe('the stale-recordings hint of a record run', () => {
  it('names no flag when the run used what prune reads by default', async () => {
    expect(await pruneCommand({ suitesDir: join(ROOT, 'suites'), fixturesDir: join(process.cwd(), 'fixtures') }, ROOT)).toBe('mantle-conformance fixtures prune --dry-run');
  });

  it('repeats the run\'s --suites and --fixtures, quoted, and the command as printed lists only the stale recording', async () => {
    const suites = join(dir, "my suites ($x)");
    await cp(join(ROOT, 'suites'), suites, { recursive: true });
    const fixtures = join(dir, 'rec fx');
    const emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
    const record = () => cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--checks', 'created-at.*', '--suites', suites, '--fixtures', fixtures, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
    try {
      const first = await record();
      expect(first.code, first.stderr).toBe(0);
      const modelDir = join(fixtures, 'local', MODEL);
      const fresh = (await readdir(modelDir)).filter((f) => f.endsWith('.json'));
      expect(fresh.length).toBeGreaterThan(0);
      // A recording of a case the suites no longer have (a real fixture under a gone case's name).
      const fixture = JSON.parse(await readFile(join(modelDir, fresh[0]!), 'utf8')) as Record<string, unknown>;
      await writeFile(join(modelDir, 'created-at.renamed.json'), JSON.stringify({ ...fixture, case: 'created-at.renamed' }));
      const again = await record();
      expect(again.code, again.stderr).toBe(0);
      const hint = /`(mantle-conformance fixtures prune [^`]*)`/.exec(again.stdout)?.[1];
      expect(hint).toBe(`mantle-conformance fixtures prune --dry-run --fixtures 'rec fx' --suites 'my suites ($x)'`);
      // Run as printed, from where the run ran (./fixtures does not exist there, ./suites neither).
      const pruned = await cli(shellSplit(hint!).slice(1), {}, dir);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(pruned.stdout).toMatch(/would remove .*created-at\.renamed\.json/);
      expect(pruned.stdout).toContain('would remove 1 recording(s)');
      for (const f of fresh) expect(pruned.stdout).not.toContain(`${f}\n`);
      expect(existsSync(join(modelDir, 'created-at.renamed.json'))).toBe(true);
    } finally {
      await emulator.close();
    }
  }, 90_000);
});
