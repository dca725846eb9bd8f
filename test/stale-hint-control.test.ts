/**
 * The stale-recordings hint prints a `fixtures prune` command only when each path in it reads back, pasted, as the
 * path itself. A path with a newline (or another character the console line changes: a control character, `::`) is
 * shown otherwise than it is, so the pasted command would name another folder: the hint then names the flags to give,
 * not a command that looks runnable.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { pruneCommand, staleLines } from '../src/cli/stale-recordings.ts';
import { ROOT } from './helpers/harness.ts';

const SUITES = join(ROOT, 'suites');

it('a path with a newline, a control character or "::" gets no command to paste, but the flags to give', async () => {
  for (const bad of ['fx\'a\nb é', 'fx\u001b[31m', 'fx\u0007', 'fx::b']) {
    const from = { suitesDir: SUITES, fixturesDir: join(tmpdir(), bad) };
    expect(await pruneCommand(from, ROOT), JSON.stringify(bad)).toBeUndefined();
    const [line] = await staleLines('emu', { removed: [join(tmpdir(), bad, 'emu/m/zz.old.json')] }, from, ROOT);
    expect(line).not.toContain('`mantle-conformance fixtures prune');
    expect(line).toContain("kept: list them with mantle-conformance fixtures prune --dry-run given this run's --fixtures and --suites");
    expect(line).not.toContain(' \u23ce ');
  }
  // The --suites path alone is enough to withhold it.
  expect(await pruneCommand({ suitesDir: join(tmpdir(), 'su\nx'), fixturesDir: join(tmpdir(), 'fx') }, ROOT)).toBeUndefined();
});

it('a path a shell word shows as it is still gets the command, quoted', async () => {
  const from = { suitesDir: SUITES, fixturesDir: join(tmpdir(), "-fx'a b é $HOME") };
  const command = await pruneCommand(from, ROOT);
  expect(command).toBe(`mantle-conformance fixtures prune --dry-run --fixtures '${join(tmpdir(), "-fx'\\''a b é $HOME")}'`);
  const [line] = await staleLines('emu', { removed: ['x.json'] }, from, ROOT);
  expect(line).toContain(`kept: \`${command}\` lists them, without --dry-run removes them`);
});
