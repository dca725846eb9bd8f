// `npm run conformance` (and `npm run fixtures`, `npm run emulator`) in a checkout: the CLI as the package runs it,
// from dist/, built again first whenever what it is built from changed since the last build here: src/, the build
// scripts, package.json or the installed dependencies (by the hash of their content, not their times: a checkout
// of another branch, a `git stash` or an `npm install` all count). So it is never stale, like running src/ through
// tsx was, and a replay takes half the time (tsx compiled every module and ajv every schema at each start; README,
// Benchmark). A build takes a few seconds and says so on stderr; a failed one exits 3 with esbuild's message.
// Usage: node .ci/cli.mjs <mantle-conformance arguments...>
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeLeftovers } from './leftovers.mjs';

/** The checkout; a test names one of its own (MANTLE_CLI_ROOT) whose .ci/build.mjs is a stand-in. */
const ROOT = process.env.MANTLE_CLI_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** The hash of the inputs dist/ was built from, written by this script after a build. */
const STAMP = '.built-from';

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
  const inputs = [
    ...filesBelow(join(ROOT, 'src')),
    ...['.ci/build.mjs', '.ci/build-schemas-entry.ts', 'package.json', 'node_modules/.package-lock.json'].map((file) => join(ROOT, file)),
  ];
  for (const file of inputs) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds into a folder of its own, then puts it in place of dist/: a command still running from the previous build,
 * or another one building at the same time, never reads a half-written dist/. `why` says why, on stderr.
 */
function build(hash, why) {
  // What a build killed midway left (.ci/leftovers.mjs).
  removeLeftovers(ROOT, /^dist\.(?:building|old)-(\d+)$/);
  const building = `${DIST}.building-${process.pid}`;
  const old = `${DIST}.old-${process.pid}`;
  const started = performance.now();
  const quiet = process.argv.includes('--quiet');
  if (!quiet) process.stderr.write(`building dist/ (${why}) ...\n`);
  const result = spawnSync(process.execPath, [join(ROOT, '.ci/build.mjs'), building], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    process.stderr.write(`${result.stdout ?? ''}the build of dist/ from src/ failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); fix what it says above and run the command again\n`);
    process.exit(3);
  }
  writeFileSync(join(building, STAMP), `${hash}\n`);
  try {
    renameSync(DIST, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(building, DIST);
  } catch (error) {
    // Another command built the same inputs and put its build in place first.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    rmSync(building, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  if (!quiet) process.stderr.write(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const hash = inputsHash();
const built = existsSync(join(DIST, STAMP)) ? readFileSync(join(DIST, STAMP), 'utf8').trim() : undefined;
if (built !== hash) build(hash, built === undefined ? 'no build of this checkout yet' : 'src/, the build or the dependencies changed since the last build');
const bin = join(DIST, 'cli/bin.js');
process.argv = [process.argv[0], bin, ...process.argv.slice(2)];
await import(pathToFileURL(bin).href);
