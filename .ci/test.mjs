// `npm test`: the typecheck (tsc --noEmit) and the harness's own tests (vitest, project unit) at the same time.
// One after the other, the machine waited on the typecheck (9 s on a fresh clone, using 1.5 of 2 cores) before
// vitest started. The typecheck's output is held until both have ended, then printed whole: vitest redraws its last
// lines on a terminal, and would erase what came in between.
// Exit code: vitest's when the typecheck passed, else the typecheck's (non-zero); 128 + the signal's number when
// interrupted. Arguments go to vitest.
// Usage: node .ci/test.mjs [vitest arguments...]
//
// Stopping. The children stay in this process's group, so what a terminal or a job runner sends the group (Ctrl-C,
// Ctrl-\, Ctrl-Z, a closed terminal, a group SIGKILL) reaches every process the tests started, as the kernel
// delivers it. What is sent to this process alone (a CI job cancelled, `kill <pid>`), or this process's parent ending
// (npm's shell does not pass a SIGTERM on), is passed on here: to tsc and vitest, then, once they have ended, to
// whatever they started that is still running (vitest's workers, the CLI processes the tests run; found in /proc on
// Linux), killed after a grace period.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A package's command, as its package.json names it (vitest exports no path to its bin). */
const bin = (name) => join(dirname(require.resolve(`${name}/package.json`)), require(`${name}/package.json`).bin[name === 'typescript' ? 'tsc' : name]);
/** How long the group's own signal has to end the children before this process passes it on. */
const GROUP_GRACE_MS = 1_000;
/** How long what the children started has to end after them before it is killed. */
const KILL_GRACE_MS = 3_000;

/** `pid`'s parent and start time from /proc (Linux), or undefined. The start time tells a reused pid apart. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

/** Every process below this one, with its start time (empty where there is no /proc). */
function descendants() {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const children = new Map();
  const stats = new Map();
  for (const pid of pids) {
    const stat = statOf(pid);
    if (!stat) continue;
    stats.set(pid, stat);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const found = [];
  for (let queue = [process.pid]; queue.length > 0; ) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      found.push({ pid: child, start: stats.get(child).start });
      queue.push(child);
    }
  }
  return found;
}

const signal = (pid, name) => {
  try {
    process.kill(pid, name);
  } catch {
    // It has ended.
  }
};

/** The first signal this process was sent (or SIGTERM when its parent ended), and what ran below it then. */
let interrupted;
let below = [];
let looking;
const running = [];
const stop = async (name) => {
  if (interrupted) return;
  interrupted = name;
  // Looked at until the children end: once one has, what it started belongs to init and is not found below here.
  const look = () => {
    const known = new Set(below.map(({ pid, start }) => `${pid} ${start}`));
    below.push(...descendants().filter(({ pid, start }) => !known.has(`${pid} ${start}`)));
  };
  look();
  looking = setInterval(look, 100);
  // Sent to the whole group, the signal has reached the children too; sent here alone, it has not.
  await sleep(GROUP_GRACE_MS, undefined, { ref: false });
  for (const child of running) if (child.exitCode === null && child.signalCode === null) signal(child.pid, name);
};
// Before the children start, so that no signal finds them without this process passing it on.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(name, () => void stop(name));
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void stop('SIGTERM'), 500).unref();

/** `script` with `args` under this Node, ended with `{ code, signal }` (code 127 and the error when it did not start). */
function run(script, args, stdio) {
  const child = spawn(process.execPath, [script, ...args], { stdio });
  running.push(child);
  const ended = new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 127, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, ended };
}

// test/npm-test-wrapper.test.ts puts stand-ins in the place of the two commands; nothing else sets these.
const tsc = run(process.env.MANTLE_WRAPPER_TSC ?? bin('typescript'), ['--noEmit'], ['ignore', 'pipe', 'pipe']);
let typecheck = '';
tsc.child.stdout?.on('data', (chunk) => (typecheck += chunk));
tsc.child.stderr?.on('data', (chunk) => (typecheck += chunk));
const vitest = run(process.env.MANTLE_WRAPPER_VITEST ?? bin('vitest'), ['run', '--project', 'unit', ...process.argv.slice(2)], 'inherit');

const [typechecked, tested] = await Promise.all([tsc.ended, vitest.ended]);
clearInterval(looking);
const codeOf = ({ code, signal }) => code ?? 128 + (constants.signals[signal] ?? 0);
for (const { error } of [typechecked, tested]) if (error) process.stderr.write(`npm test: could not start a command: ${error.message}\n`);

if (interrupted) {
  // What the children started and left running (a worker still closing a browser, a CLI process): asked to end,
  // then killed. A pid whose start time changed is another process now, and is left alone.
  const left = () => below.filter(({ pid, start }) => statOf(pid)?.start === start);
  for (const { pid } of left()) signal(pid, 'SIGTERM');
  for (let waited = 0; left().length > 0 && waited < KILL_GRACE_MS; waited += 100) await sleep(100);
  for (const { pid } of left()) signal(pid, 'SIGKILL');
}
// A vitest ended by a signal skipped its global teardown, which removes the package it built for the tests
// (test/helpers/build-package.ts names the folder after vitest's process).
if (vitest.child.pid !== undefined && (interrupted || codeOf(tested) >= 128)) {
  await rm(join(ROOT, 'node_modules', '.cache', `mantle-conformance-test-${vitest.child.pid}`), { recursive: true, force: true });
}

if (interrupted) {
  // A vitest stopped by a signal it does not handle (Ctrl-\\) left the cursor hidden.
  if (process.stdout.isTTY) process.stdout.write('\x1b[?25h');
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
