// `npm test`: the typecheck (tsc --noEmit) and the harness's own tests (vitest, project unit) at the same time.
// One after the other, the machine waited on the typecheck (9 s on a fresh clone, using 1.5 of 2 cores) before
// vitest started. The typecheck's output is held until both have ended, then printed whole: vitest redraws its last
// lines on a terminal, and would erase what came in between.
// Exit code: vitest's when the typecheck passed, else the typecheck's (non-zero); 128 + the signal's number when
// interrupted. Arguments go to vitest.
// Usage: node .ci/test.mjs [vitest arguments...]
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A package's command, as its package.json names it (vitest exports no path to its bin). */
const bin = (name) => join(dirname(require.resolve(`${name}/package.json`)), require(`${name}/package.json`).bin[name === 'typescript' ? 'tsc' : name]);
// Each child leads its own process group, so that a signal reaches everything it started (vitest's workers, the CLI
// processes the tests run) and nothing is left running when this process is stopped on its own (a CI job cancelled).
const run = (script, args, stdio) => spawn(process.execPath, [script, ...args], { stdio, detached: true });
const ended = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));

// test/npm-test-wrapper.test.ts puts stand-ins in the place of the two commands; nothing else sets these.
const tscScript = process.env.MANTLE_WRAPPER_TSC ?? bin('typescript');
const vitestScript = process.env.MANTLE_WRAPPER_VITEST ?? bin('vitest');
const tsc = run(tscScript, ['--noEmit'], ['ignore', 'pipe', 'pipe']);
let typecheck = '';
tsc.stdout.on('data', (chunk) => (typecheck += chunk));
tsc.stderr.on('data', (chunk) => (typecheck += chunk));
const vitest = run(vitestScript, ['run', '--project', 'unit', ...process.argv.slice(2)], 'inherit');

/** The first signal this process was sent, passed on to both children's groups (Ctrl-C at a terminal reaches only this process now). */
let interrupted;
const stop = (signal) => {
  interrupted ??= signal;
  for (const child of [tsc, vitest]) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group has already ended.
    }
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const [typechecked, tested] = await Promise.all([ended(tsc), ended(vitest)]);
const codeOf = ({ code, signal }) => code ?? 128 + (constants.signals[signal] ?? 0);
if (interrupted) {
  // Vitest exits on a signal without its global teardown, which removes the package it built for the tests
  // (test/helpers/build-package.ts names the folder after vitest's process).
  await rm(join(ROOT, 'node_modules', '.cache', `mantle-conformance-test-${vitest.pid}`), { recursive: true, force: true });
  process.stderr.write(`\nnpm test interrupted (${interrupted}): the typecheck and the tests were stopped\n`);
  process.exitCode = 128 + constants.signals[interrupted];
} else if (typechecked.code !== 0) {
  const how = typechecked.signal ? `ended by ${typechecked.signal}` : `exit ${typechecked.code}`;
  process.stderr.write(`\ntypecheck (tsc --noEmit) failed, ${how}:\n${typecheck}\n`);
  process.stderr.write(`typecheck failed (above): fix the type errors; the tests exited ${codeOf(tested)}\n`);
  process.exitCode = codeOf(typechecked);
} else {
  process.exitCode = codeOf(tested);
}
