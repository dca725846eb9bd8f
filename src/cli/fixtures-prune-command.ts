/**
 * @module cli/fixtures-prune-command
 * `mantle-conformance fixtures prune`: the recordings of cases the suites no longer have, removed from every target
 * and model folder of a fixtures root and listed (`--dry-run` lists them only). A record run only names the stale
 * recordings of the models it recorded: removing is this command's, on purpose. Only recordings made from this
 * --suites folder are judged (their provenance says so): another folder's, and one that names none, are kept and
 * named with the way to prune them. A --suites folder holding a file named almost as a suite file, or a suite file in
 * a subfolder, which the loader skips (suite/suite-lookalikes.ts), and that may hold cases not loaded, is refused
 * (exit 2) before anything is removed when prune would remove a recording of those cases (they would read as dropped),
 * naming them; with none here, it is warned about. `--dry-run` removes nothing, so it lists, under that warning.
 * Exit 0 when done.
 */
import { readdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { printedPath } from './printed-path.ts';
import { loadSuites, SUITE_SUFFIX } from '../suite/load-suites.ts';
import { blocks, lookalikeWarning } from '../suite/suite-lookalikes.ts';
import { lookalikeRefusal, recordingsAtStake } from './lookalike-refusal.ts';
import { pruneFixtures, type PruneResult } from '../transport/fixture-prune.ts';
import { labelledFolder, labelledFolderExists, realFolder, suitesLabel } from '../transport/recorded-suites.ts';
import { checkFixturesRoot } from './fixtures-root.ts';
import { recordingFolders } from './fixtures-ownership.ts';
import { describeMark, markGone } from '../pid-mark.ts';
import { resolveSuitesDir } from './input-files.ts';
import { unlabelledNote } from './stale-recordings.ts';

export async function fixturesPruneCommand(flags: { suites?: string; fixtures: string; dryRun?: boolean }, root: string, out: NodeJS.WritableStream): Promise<number> {
  // The rule a record run reads its --suites by (./suites when it holds a suite file): the same flags name the same
  // folder, and so the same provenance.suites, as the prune command a record run prints assumes.
  const suitesDir = await resolveSuitesDir(flags, root);
  const fixturesDir = resolve(flags.fixtures);
  await checkFixturesRoot(fixturesDir, 'give the fixtures root you record into (<root>/<target>/<model>/<case>.json)');
  // An installed package's own recordings are the package's (the help says so): named with --fixtures, refused too.
  const own = await realpath(join(root, 'fixtures')).catch(() => undefined);
  if (/[\\/]node_modules[\\/]/.test(root) && own !== undefined && own === (await realpath(fixturesDir).catch(() => undefined))) {
    throw new HarnessError('HARNESS_USAGE', `--fixtures: ${inertLine(fixturesDir, 300)} holds the recordings bundled with the installed package, which prune never touches; give the fixtures root you record into`);
  }
  const suites = await loadSuites(suitesDir, ALL_CHECKS);
  const cases = suites.cases.map((c) => c.id);
  const label = await suitesLabel(suitesDir, fixturesDir, root);
  // Target folders are folder names already (the record run encoded them): each is pruned as it is on disk.
  const entries = (await readdir(fixturesDir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const targets = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  // Prune takes the loaded cases for all the folder has: a suite file the loader skips, holding cases not loaded, would
  // lose their recordings, so prune refuses when it would remove one (named). One of them with none here (another
  // team's suites folder kept inside this one) is warned about. A dry run removes nothing: it lists, under the warning.
  const dropped = (suites.lookalikes ?? []).some(blocks) ? await wouldRemove(fixturesDir, targets, cases, label) : [];
  if (!flags.dryRun) {
    const refused = lookalikeRefusal(suites.lookalikes, suitesDir, SUITE_SUFFIX, (cases) => `prune would remove the recordings of ${cases}`, 'nothing was removed (fixtures prune --dry-run lists what it would remove)', dropped);
    if (refused) throw refused;
  }
  for (const lookalike of suites.lookalikes ?? []) {
    const listed = flags.dryRun && recordingsAtStake(lookalike, dropped).length ? ' (the list below counts the recordings of cases only it holds as ones to remove; prune without --dry-run refuses)' : '';
    out.write(`warning: ${inertLine(lookalikeWarning(lookalike, SUITE_SUFFIX) + listed, 2000)}\n`);
  }
  // Labels are paths from the real fixtures root (recorded-suites.ts): the folders they name are found from it.
  const real = await realFolder(fixturesDir);
  const gone = new Set<string>();
  const folderOf = (recorded: string) => ({ folder: labelledFolder(recorded, real, root), gone: gone.has(recorded) });
  if (label === undefined) out.write(`${unlabelledNote(suitesDir, fixturesDir)}\n`);
  let removed = 0;
  let foreign = 0;
  // Recordings of cases these suites lack that another suites folder (or none named) may have: kept.
  let others = 0;
  // A target folder that is a link is kept and named, never followed (what it points to is outside the root).
  let linked = 0;
  for (const link of entries.filter((e) => e.isSymbolicLink()).map((e) => e.name).sort()) {
    linked++;
    out.write(pruneLines(link, { removed: [], foreign: [], linked: [join(fixturesDir, link)] }).join(''));
  }
  // A killed `fixtures` run's recording folder (a dot folder, so no target): named, removed by the next `fixtures` run.
  for (const { dir, mark } of await recordingFolders(fixturesDir)) {
    const whose = !mark ? 'which holds no mark of the run that made it: delete it if no fixtures run is going' : markGone(mark) ? `left by a fixtures run that is gone (${describeMark(mark)}): the next fixtures run removes it, or delete it` : `of a fixtures run that may still be going (${describeMark(mark)}): a mark of another host or container, or of a running process, is never taken as gone; delete it if no fixtures run is going`;
    out.write(`kept ${printedPath(dir)}: the folder a fixtures run records into, ${whose}\n`);
  }
  // A target folder holds model folders only: .json files right in it (or in the root) say --fixtures points too deep.
  const loose: string[] = [];
  for (const folder of ['', ...targets]) {
    const entries = await readdir(join(fixturesDir, folder), { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => !e.isDirectory() && e.name.endsWith('.json'))) loose.push(join(fixturesDir, folder));
  }
  if (loose[0]) {
    const others = loose.length > 1 ? ` (and ${loose.length - 1} other folder(s))` : '';
    out.write(`warning: is --fixtures the fixtures root (<root>/<target>/<model>/<case>.json)? ${inertLine(loose[0], 300)} holds recordings directly${others}; files there are never pruned\n`);
  }
  for (const folder of targets) {
    const pruned = await pruneFixtures(fixturesDir, folder, cases, { suites: label, ...(flags.dryRun ? { dryRun: true } : {}), encodedTarget: true });
    for (const { suites } of pruned.otherSuites ?? []) if (!(await labelledFolderExists(suites, real, root))) gone.add(suites);
    removed += pruned.removed.length;
    foreign += pruned.foreign.length + (pruned.newer?.length ?? 0);
    others += (pruned.otherSuites?.length ?? 0) + (pruned.unnamed?.length ?? 0);
    linked += pruned.linked.length;
    out.write(pruneLines(folder, pruned, flags.dryRun, folderOf).join(''));
  }
  const kept = others ? `, kept ${others} recording(s) of other --suites folders or of none named` : '';
  out.write(`${targets.length} target folder(s) under ${inertLine(fixturesDir, 300)}, ${cases.length} cases in ${inertLine(suitesDir, 300)}: ${flags.dryRun ? 'would remove' : 'removed'} ${removed} recording(s)${kept}, kept ${foreign} other file(s)${linked ? ` and ${linked} link(s), not followed` : ''}\n`);
  return 0;
}

/** The recordings a prune would remove (of cases not loaded, labelled with this --suites folder), removing none. */
async function wouldRemove(fixturesDir: string, targets: readonly string[], cases: readonly string[], label: string | undefined): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of targets) removed.push(...(await pruneFixtures(fixturesDir, folder, cases, { suites: label, dryRun: true, encodedTarget: true })).removed);
  return removed;
}

/** What a prune removed and kept, one line per file; nothing when there was nothing to say. */
export function pruneLines(target: string, pruned: PruneResult, dryRun = false, folderOf: (suites: string) => { folder: string; gone?: boolean } = (s) => ({ folder: s })): string[] {
  const shown = printedPath;
  const lines: string[] = [];
  if (pruned.removed.length) lines.push(`fixtures of ${inertLine(target)}: ${dryRun ? 'would remove' : 'removed'} ${pruned.removed.length} recording(s) of cases the suites no longer have`, ...pruned.removed.map((f) => `  ${dryRun ? 'would remove' : 'removed'} ${shown(f)}`));
  // One paragraph per other folder, each with the --suites that prunes its recordings.
  for (const suites of [...new Set((pruned.otherSuites ?? []).map((o) => o.suites))]) {
    const files = pruned.otherSuites!.filter((o) => o.suites === suites).map((o) => o.file);
    const { folder, gone } = folderOf(suites);
    // A folder renamed or moved (or another machine's) cannot be passed: a record run of the renamed one takes them over.
    const how = gone ? `, which is not there now (renamed, moved, or another machine's): a record run of the folder it became takes over those of its cases; delete by hand those no suites folder of yours has` : '; pass it to prune those';
    lines.push(`fixtures of ${inertLine(target)}: kept ${files.length} recording(s) of cases these suites do not have, recorded with another --suites folder (${inertLine(folder, 300)})${how}`, ...files.map((f) => `  kept ${shown(f)}`));
  }
  const unnamed = pruned.unnamed ?? [];
  if (unnamed.length) lines.push(`fixtures of ${inertLine(target)}: kept ${unnamed.length} recording(s) of cases these suites do not have that name no --suites folder (recorded by an earlier version, or from a suites folder too far from the fixtures root to be named): prune cannot tell a case these suites dropped from another folder's; delete by hand those no suites folder of yours has`, ...unnamed.map((f) => `  kept ${shown(f)}`));
  const newer = pruned.newer ?? [];
  if (newer.length) lines.push(`fixtures of ${inertLine(target)}: kept ${newer.length} recording(s) this version cannot read (a newer mantle-conformance's, whose suites may have these cases, or edited by hand): this version neither reads nor removes them; delete one by hand if no newer version wrote it`, ...newer.map((f) => `  kept ${shown(f)}`));
  if (pruned.foreign.length) lines.push(`fixtures of ${inertLine(target)}: kept ${pruned.foreign.length} file(s) that are not recordings of a case (not made by the harness; move them if they are not yours)`, ...pruned.foreign.map((f) => `  kept ${shown(f)}`));
  const linked = pruned.linked ?? [];
  if (linked.length) lines.push(`fixtures of ${inertLine(target)}: kept ${linked.length} link(s), not followed (what a link points to is never pruned)`, ...linked.map((f) => `  kept ${shown(f)} (a link: not followed)`));
  return lines.map((l) => `${l}\n`);
}
