/**
 * @module cli/fixtures-command
 * `npm run fixtures`: records the bundled fixtures from the emulator, once per surface it plays: Mantle into
 * `fixtures/emulator/` and bedrock-runtime into `fixtures/runtime.emulator/`, so that the default replay shows both
 * surfaces and the migration view. Starts the emulator on a free loopback port with a throwaway key, runs every
 * suite for every catalog model in record mode (provenance: emulator) into a fresh folder, and only then replaces
 * the target's folder with it. Models the emulator varies on repeats (a claim that lists several values it plays in
 * turn; not one that lists them because sources disagree by region or say nothing, see profile-from-catalog.ts
 * NOT_VARIED) are recorded again with three trials, so that replay shows them as they are: flaky. Like `fixtures prune`,
 * it takes the loaded cases for all --suites has: a file there named almost as a suite file, or a suite file in a
 * subfolder, that may hold cases not loaded (suite/suite-lookalikes.ts) stops it (exit 2) before anything is recorded
 * when the folders replaced hold recordings of those cases, which they would lose. It replaces a folder only when all it
 * holds is what a `fixtures` run made, and removes the recording folders killed runs left (fixtures-ownership.ts).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { profilesFromCatalog } from '../emulator/profile-from-catalog.ts';
import { variesOnRepeat } from '../emulator/profile.ts';
import { startEmulator } from '../emulator/server.ts';
import { FLAVOURS, type EmulatedSurface } from '../emulator/surface.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { printedPath } from './printed-path.ts';
import { loadCatalog, type Catalog } from '../suite/load-catalog.ts';
import { loadSuites, SUITE_SUFFIX } from '../suite/load-suites.ts';
import { lookalikeRefusal } from './lookalike-refusal.ts';
import { folderName } from '../names.ts';
import { blocks } from '../suite/suite-lookalikes.ts';
import { checkFixturesRoot } from './fixtures-root.ts';
import { assertOnlyFixtures, recordingFolder, removeLeftFolders, type Made, type Owner } from './fixtures-ownership.ts';
import { runCommand } from './run-command.ts';

export const EMULATOR_TARGET = 'emulator';
/** The bundled recordings: one target per surface the emulator plays, both of site `emulator`. */
export const EMULATOR_TARGETS: readonly { target: string; surface: EmulatedSurface }[] = [
  { target: EMULATOR_TARGET, surface: 'mantle' },
  { target: `runtime.${EMULATOR_TARGET}`, surface: 'runtime' },
];
const KEY_ENV = 'MANTLE_CONFORMANCE_EMULATOR_KEY';
/** Trials recorded for the models the catalog says vary. */
const VARYING_TRIALS = 3;

type Io = { out: NodeJS.WritableStream; err: NodeJS.WriteStream };

/** Records both targets into `--fixtures`, each replacing its folder only once its recording passed its own gate. */
export async function fixturesCommand(flags: { suites: string; catalog?: string; fixtures: string }, root: string, version: string, io: Io): Promise<number> {
  // As `fixtures prune` does: a mistyped root is the user's to fix, found before the catalog is read or anything recorded.
  await checkFixturesRoot(flags.fixtures, `give the fixtures root to record into (the recordings go to its ${EMULATOR_TARGETS.map((t) => `${t.target}/`).join(' and ')})`);
  const catalogFile = flags.catalog ?? `${flags.suites}/models.yaml`;
  const catalog = await loadCatalog(catalogFile, ALL_CHECKS);
  const suites = await loadSuites(flags.suites, ALL_CHECKS);
  const replaced = EMULATOR_TARGETS.map((t) => inertLine(join(flags.fixtures, t.target), 300)).join(' and ');
  // Refused only while the folders it replaces hold a recording of a case only such a file holds (named); else the record runs warn.
  const dropped = (suites.lookalikes ?? []).some(blocks) ? await notLoadedRecordings(flags.fixtures, suites.cases.map((c) => c.id)) : [];
  const refused = lookalikeRefusal(suites.lookalikes, flags.suites, SUITE_SUFFIX, (cases) => `fixtures replaces ${replaced} with recordings of the loaded cases only, which would drop the recordings of ${cases}`, 'nothing was recorded', dropped);
  if (refused) throw refused;
  const owner = { suitesDir: resolve(flags.suites), fixturesRoot: resolve(flags.fixtures), root };
  for (const { target, surface } of EMULATOR_TARGETS) await assertOnlyFixtures(join(flags.fixtures, target), owner, { target, surface });
  // A killed run's recording folder: its own cleanup never ran (fixtures-ownership.ts).
  await removeLeftFolders(flags.fixtures, io.out);
  for (const { target, surface } of EMULATOR_TARGETS) {
    const code = await recordTarget(catalog, catalogFile, flags, { target, surface }, root, version, io, owner);
    if (code !== 0) return code;
  }
  return 0;
}

async function recordTarget(catalog: Catalog, catalogFile: string, flags: { suites: string; fixtures: string }, made: Made & { surface: EmulatedSurface }, root: string, version: string, io: Io, owner: Owner): Promise<number> {
  const { target, surface } = made;
  const folder = join(flags.fixtures, target);
  // Record next to the old folder (same file system, so the final rename is atomic), never over it.
  const fresh = await recordingFolder(flags.fixtures).catch((cause: NodeJS.ErrnoException) => {
    throw new HarnessError('HARNESS_USAGE', `--fixtures: cannot make a folder to record into in ${inertLine(flags.fixtures, 300)} (${cause.code ?? inertLine(cause.message, 200)}); give a fixtures root you can write to`, { cause });
  });
  try {
    // The recordings name their suites folder from the fixtures root they end up in, not from this folder in it.
    const pass = (models: string[], repeat: number) => recordPass(catalog, catalogFile, { ...flags, fixtures: fresh, fixturesRoot: flags.fixtures }, { target, surface }, models, repeat, root, version, io);
    let outcome = await pass([], 1);
    const varying = [...profilesFromCatalog(catalog, {}, surface).values()].filter(variesOnRepeat).map((profile) => profile.id);
    if (outcome.exitCode === 0 && varying.length) outcome = await pass(varying, VARYING_TRIALS);
    if (outcome.exitCode !== 0) {
      const why = outcome.reports ? `; its reports say why: ${inertLine(outcome.reports, 300)} (matrix.md, matrix.html, matrix.json, junit.xml)` : '';
      io.err.write(`fixtures: the recording did not pass its own gate (exit ${outcome.exitCode}); ${inertLine(folder, 300)} was left as it was${why}\n`);
      return outcome.exitCode;
    }
    // Checked again: what is there now (the recording took a while) is what steps aside and goes.
    await assertOnlyFixtures(folder, owner, made);
    // The old recordings step aside first and come back if the new ones cannot take their place: never neither.
    const previous = join(fresh, '.previous');
    const had = (await stat(folder).catch(() => null)) !== null;
    if (had) await rename(folder, previous);
    await rename(join(fresh, target), folder).catch(async (cause: Error) => {
      if (had) await rename(previous, folder);
      throw new HarnessError('HARNESS_WRITE_FAILED', `cannot put the new recordings in ${folder} (${cause.message}); the previous ones are where they were`, { cause });
    });
    io.out.write(`wrote ${printedPath(folder)} (${surface})${varying.length ? ` (${varying.join(', ')} with ${VARYING_TRIALS} trials)` : ''}\n`);
    return 0;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

async function recordPass(
  catalog: Catalog,
  catalogFile: string,
  flags: { suites: string; fixtures: string; fixturesRoot: string },
  where: { target: string; surface: EmulatedSurface },
  models: string[],
  repeat: number,
  root: string,
  version: string,
  io: Io,
): Promise<{ exitCode: number; reports?: string }> {
  const key = `emu-${randomBytes(16).toString('hex')}`;
  // A fresh emulator per pass: its answers depend on how often it has seen a request, so each pass starts alike.
  const emulator = await startEmulator({ profiles: profilesFromCatalog(catalog, {}, where.surface), apiKey: key, surface: FLAVOURS[where.surface] });
  // In the recording folder, which goes (a killed run's with it, fixtures-ownership.ts): copied out only to say why a pass failed.
  const reports = join(flags.fixtures, '.reports');
  process.env[KEY_ENV] = key;
  let exitCode: number | undefined;
  try {
    const outcome = await runCommand(
      [],
      {
        mode: 'record',
        endpoint: emulator.url,
        targetName: where.target,
        surface: where.surface,
        source: 'emulator',
        apiKeyEnv: KEY_ENV,
        suites: flags.suites,
        catalog: catalogFile,
        fixtures: flags.fixtures,
        fixturesRoot: flags.fixturesRoot,
        reportDir: reports,
        plain: true,
        ...(models.length ? { models: models.join(',') } : {}),
        repeat: String(repeat),
      },
      root,
      version,
      // The reports' paths are not said: a pass that passes removes them, one that fails names them (recordTarget).
      { ...io, reportPaths: false },
    );
    io.out.write(`recorded ${emulator.stats.requests} exchanges from the ${where.surface} emulator${models.length ? ` for ${models.join(', ')}, ${repeat} trials` : ''}\n`);
    exitCode = outcome.exitCode;
    if (exitCode === 0) return { exitCode };
    // A pass that failed its gate keeps the reports that say why, out of the folder that goes.
    const kept = await mkdtemp(join(tmpdir(), 'mantle-fixtures-'));
    await cp(reports, kept, { recursive: true });
    return { exitCode, reports: kept };
  } finally {
    delete process.env[KEY_ENV];
    await emulator.close();
    await rm(reports, { recursive: true, force: true });
  }
}

/** The recordings the folders `fixtures` replaces hold of cases not loaded (`<target>/<model>/<case>.json`): it would drop them. */
async function notLoadedRecordings(fixtures: string, cases: readonly string[]): Promise<string[]> {
  const live = new Set(cases.map((id) => `${folderName(id)}.json`));
  const found: string[] = [];
  for (const { target } of EMULATOR_TARGETS) {
    const dir = join(fixtures, target);
    for (const model of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!model.isDirectory()) continue;
      for (const name of await readdir(join(dir, model.name)).catch(() => [] as string[])) if (name.endsWith('.json') && !live.has(name)) found.push(join(dir, model.name, name));
    }
  }
  return found.sort();
}
