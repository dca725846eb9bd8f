// `npm run conformance` (and `npm run fixtures`, `npm run emulator`) in a checkout: the CLI as the package runs it,
// built from this checkout by .ci/build.mjs and laid out as npm installs it, below node_modules/.cache/
// mantle-conformance-checkout/<hash>/ (package.json copied, suites/ and fixtures/ linked to the checkout's, dist/).
// <hash> is the hash of the checkout's path and of what a build reads (src/, the build scripts, package.json,
// tsconfig.json, the installed dependencies' lock: by content, so a branch switched, a stash or an `npm install`
// count, and a file saved again unchanged does not; worktrees sharing one node_modules never share a build, whose
// links name one checkout). A build is made once per hash and never changed; every command running from it holds a
// lease (`.in-use-<pid>`), and a build with a live lease is never removed, so a command still running from an
// earlier build (a long live run, `npm run emulator`) keeps loading its own modules whatever is built meanwhile. So
// it is never stale, like running src/ through tsx was, and a replay takes half the time (tsx compiled every module
// and ajv every schema at each start; README, Benchmark). The checkout's own dist/ is `npm run build`'s, not
// touched here. A build takes a few seconds and says so on stderr (not with --quiet); a
// failed one exits 3 with esbuild's message. Builds unused for a day and held by no running command are removed,
// the newest three kept.
// Usage: node .ci/cli.mjs <mantle-conformance arguments...>
//        MANTLE_CLI_BUILD_ONLY=1 node .ci/cli.mjs [--quiet]: make sure the build exists, print its folder, run nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeLeftovers, running } from './leftovers.mjs';

/** The checkout; a test names one of its own (MANTLE_CLI_ROOT) whose .ci/build.mjs is a stand-in. */
const ROOT = process.env.MANTLE_CLI_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
/** Where the builds are, one folder per hash of their inputs. */
const BUILDS = join(ROOT, 'node_modules', '.cache', 'mantle-conformance-checkout');
/** Written last into a build: a folder without it is not one (a build killed midway, another being made). */
const COMPLETE = '.complete';
/** Builds kept whatever their age, the newest first; others are removed once unused for this long. */
const KEEP = 3;
const UNUSED_MS = 24 * 60 * 60 * 1000;

/** Every file below `dir`, sorted by path. */
function filesBelow(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesBelow(path));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}

/** The hash of what a build reads (a missing file counts as missing: an uninstalled dependency tree differs). */
function inputsHash() {
  const hash = createHash('sha256');
  hash.update(`${ROOT}\0`);
  const named = ['.ci/build.mjs', '.ci/build-schemas-entry.ts', 'package.json', 'tsconfig.json', 'node_modules/.package-lock.json'];
  for (const file of [...filesBelow(join(ROOT, 'src')), ...named.map((name) => join(ROOT, name))]) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds into a folder of its own, laid out as npm installs the package, then gives it the hash's name. Two
 * commands building the same hash at once both build; the first to finish names it, the other discards its own.
 */
function build(target, quiet) {
  removeLeftovers(BUILDS, /^[0-9a-f]{64}\.(?:building|broken|removing)-(\d+)(?:-\d+)?$/);
  const building = `${target}.building-${process.pid}`;
  const started = performance.now();
  if (!quiet) process.stderr.write(`building the CLI from src/ (${existsSync(BUILDS) && readdirSync(BUILDS).length ? 'src/, the build or the dependencies changed since the last build' : 'no build of this checkout yet'}) ...\n`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  writeFileSync(join(building, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  for (const name of ['suites', 'fixtures']) symlinkSync(join(ROOT, name), join(building, name));
  const result = spawnSync(process.execPath, [join(ROOT, '.ci/build.mjs'), join(building, 'dist')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    process.stderr.write(`${result.stdout ?? ''}the build of the CLI from src/ failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); fix what it says above and run the command again\n`);
    process.exit(3);
  }
  writeFileSync(join(building, COMPLETE), '');
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(building, target);
      break;
    } catch (error) {
      if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt > 5) throw error;
    }
    if (existsSync(join(target, COMPLETE))) {
      // Another command built the same inputs and named its build first.
      rmSync(building, { recursive: true, force: true });
      break;
    }
    // A folder of the hash's name that is not a whole build (what a crash left): set aside and removed, unless
    // another command doing the same took it first; then try again.
    const broken = `${target}.broken-${process.pid}-${attempt}`;
    try {
      renameSync(target, broken);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    // Another command's whole build landed between the look and the rename: it goes back, and ours is not needed.
    if (existsSync(join(broken, COMPLETE))) {
      try {
        renameSync(broken, target);
        rmSync(building, { recursive: true, force: true });
        break;
      } catch {
        // Yet another build took the name: this one is surplus.
      }
    }
    rmSync(broken, { recursive: true, force: true });
  }
  if (!quiet) process.stderr.write(`built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/**
 * Whether a command still runs from `build`: a lease of a running process. The leases of commands that ended without
 * removing theirs (killed) are removed. Undefined when the build is gone (another command removed it).
 */
function leased(build) {
  let names;
  try {
    names = readdirSync(build);
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  let held = false;
  let removed = false;
  const times = statSync(build, { throwIfNoEntry: false });
  for (const name of names) {
    const pid = Number(/^\.in-use-(\d+)$/.exec(name)?.[1]);
    if (!(pid > 0) || pid === process.pid) continue;
    if (running(pid)) held = true;
    else removed = (rmSync(join(build, name), { force: true }), true);
  }
  // Removing a lease touched the folder: its time says when a command last used it, which the others sort by.
  if (times && removed) {
    try {
      utimesSync(build, times.atime, times.mtime);
    } catch (error) {
      // Another command removed it meanwhile.
      if (error.code !== 'ENOENT') throw error;
      return undefined;
    }
  }
  return held;
}

/**
 * Removes the builds no command has used for a day, beyond the newest KEEP (by last use) and `current`, unless a
 * running command holds a lease on one. Renamed first, then deleted: a folder of a hash's name is always whole.
 */
function removeUnused(current) {
  const builds = readdirSync(BUILDS)
    .filter((name) => /^[0-9a-f]{64}$/.test(name) && name !== current)
    .map((name) => ({ name, used: statSync(join(BUILDS, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.used - a.used);
  for (const { name, used } of builds.slice(KEEP - 1)) {
    if (used >= Date.now() - UNUSED_MS || leased(join(BUILDS, name)) !== false) continue;
    const removing = join(BUILDS, `${name}.removing-${process.pid}`);
    try {
      renameSync(join(BUILDS, name), removing);
    } catch (error) {
      // Another command removed it first.
      if (error.code === 'ENOENT') continue;
      throw error;
    }
    // A command that took its lease between the look and the rename: give the build back.
    if (leased(removing)) {
      try {
        renameSync(removing, join(BUILDS, name));
      } catch {
        // Its name was taken meanwhile: the folder stays as it is, for the command that runs from it.
      }
      continue;
    }
    rmSync(removing, { recursive: true, force: true });
  }
}

const hash = inputsHash();
const target = join(BUILDS, hash);
const lease = join(target, `.in-use-${process.pid}`);
// This command's lease on its build, for as long as it runs (one a kill left names a pid that has ended, and goes).
// A build another command removed between the look and the lease is built again.
for (let attempt = 1; ; attempt++) {
  if (!existsSync(join(target, COMPLETE))) build(target, process.argv.includes('--quiet'));
  try {
    writeFileSync(lease, '');
  } catch (error) {
    if (error.code !== 'ENOENT' || attempt > 3) throw error;
    continue;
  }
  if (existsSync(join(target, COMPLETE)) || attempt > 3) break;
}
process.on('exit', () => rmSync(lease, { force: true }));
// Its time marks the build used now, which keeps it for a day.
const now = new Date();
utimesSync(target, now, now);
removeUnused(hash);
// `npm test`'s global setup asks only for the build (test/helpers/build-package.ts): its folder, then nothing runs.
if (process.env.MANTLE_CLI_BUILD_ONLY === '1') {
  process.stdout.write(`${target}\n`);
  process.exit(0);
}
const bin = join(target, 'dist/cli/bin.js');
process.argv = [process.argv[0], bin, ...process.argv.slice(2)];
await import(pathToFileURL(bin).href);
