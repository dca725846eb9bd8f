// `npm test`: the typecheck (tsc --noEmit) and the harness's own tests (vitest, project unit) at the same time.
// One after the other, the machine waited on the typecheck (9 s on a fresh clone, using 1.5 of 2 cores) before
// vitest started. The typecheck's output is held until it ends, then printed whole, so it never cuts into vitest's.
// Exit code: vitest's when the typecheck passed, else the typecheck's (non-zero); arguments go to vitest.
// Usage: node .ci/test.mjs [vitest arguments...]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** A package's command, as its package.json names it (vitest exports no path to its bin). */
const bin = (name) => join(dirname(require.resolve(`${name}/package.json`)), require(`${name}/package.json`).bin[name === 'typescript' ? 'tsc' : name]);
const run = (script, args, stdio) => spawn(process.execPath, [script, ...args], { stdio });

const tsc = run(bin('typescript'), ['--noEmit'], ['ignore', 'pipe', 'pipe']);
let typecheck = '';
tsc.stdout.on('data', (chunk) => (typecheck += chunk));
tsc.stderr.on('data', (chunk) => (typecheck += chunk));
const typechecked = new Promise((resolve) => tsc.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const vitest = run(bin('vitest'), ['run', '--project', 'unit', ...process.argv.slice(2)], 'inherit');
const tested = new Promise((resolve) => vitest.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

// Ctrl-C at a terminal reaches both children already (one process group); a SIGTERM sent to this process alone
// (a CI job cancelled) is passed on. Either way this process waits for them to end.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => {
  for (const child of [tsc, vitest]) if (child.exitCode === null) child.kill('SIGTERM');
});

const tscCode = await typechecked;
if (tscCode !== 0) process.stderr.write(`\ntypecheck (tsc --noEmit) failed, exit ${tscCode}:\n${typecheck}\n`);
const vitestCode = await tested;
if (tscCode !== 0) process.stderr.write(`typecheck failed (above): fix the type errors; tests exited ${vitestCode}\n`);
process.exitCode = tscCode !== 0 ? tscCode : vitestCode;
