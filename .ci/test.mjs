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
// (npm's shell does not pass a SIGTERM on), is passed on here to tsc and vitest. Once they have ended, whatever they
// started that is still running (a worker holding a browser, a CLI process; found in /proc on Linux, looked at every
// 250 ms) is asked to end, then killed after a grace period, however they ended.
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
/** The signals that stop a run, passed on to the children when sent to this process alone. */
const STOPPING = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
/**
 * A grace period: `fallback` ms, or what `name` says (test/npm-test-wrapper.test.ts shortens them, as it puts stand-ins
 * in the place of the commands: its runs waited out 4 s of grace each; nothing else sets these).
 */
// At least 100 ms: a stray 0 would kill what the children started with no time to end.
const graceMs = (name, fallback) => (/^\d+$/.test(process.env[name] ?? '') ? Math.max(100, Number(process.env[name])) : fallback);
/** How long the group's own signal has to end the children before this process passes it on. */
const GROUP_GRACE_MS = graceMs('MANTLE_WRAPPER_GROUP_GRACE_MS', 1_000);
/** How long what the children started has to end after them before it is killed. */
const KILL_GRACE_MS = graceMs('MANTLE_WRAPPER_KILL_GRACE_MS', 3_000);

/** `pid`'s state, parent and start time from /proc (Linux), or undefined. The start time tells a reused pid apart. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
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
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
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

/** The first signal this process was sent (or SIGTERM when its parent ended), once the children have not ended. */
let interrupted;
/** Set when both children have ended: a signal then finds nothing to pass on, and is not waited on. */
let finished = false;
const running = [];
/**
 * Every process seen below this one while the children run, with its start time: looked at from the start, since a
 * child a signal ends at once hands what it started to init before this process's handler has run.
 */
const seen = new Map();
const look = () => {
  for (const { pid, start } of descendants()) seen.set(`${pid} ${start}`, { pid, start });
};
const looking = setInterval(look, 250);
looking.unref();

const passOn = (name) => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) signal(child.pid, name);
};
const stop = async (name, { grace = true } = {}) => {
  if (interrupted || finished) return;
  interrupted = name;
  look();
  // Sent to the whole group, the signal has reached the children too; sent here alone (or the parent ended), it has
  // not: passed on after a second, or at once when no group signal can have come.
  if (grace) await sleep(GROUP_GRACE_MS, undefined, { ref: false });
  passOn(name);
};
// Before the children start, so that no signal finds them without this process passing it on.
for (const name of STOPPING) process.on(name, () => void stop(name));
// Run by npm (`npm test`), whose shell does not pass a SIGTERM on: the parent ending stops the tests. Run directly,
// a launcher that exits (nohup, a background job) is not a reason to stop.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop('SIGTERM', { grace: false }), 200).unref();
}
// A terminal closed under this process: what is left to say has nowhere to go, which is no reason to fail.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

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
look();

const [typechecked, tested] = await Promise.all([tsc.ended, vitest.ended]);
finished = true;
clearInterval(looking);
const codeOf = ({ code, signal }) => code ?? 128 + (constants.signals[signal] ?? 0);
for (const { error } of [typechecked, tested]) if (error) process.stderr.write(`npm test: could not start a command: ${error.message}\n`);

// What the children started and left running (a worker still closing a browser, a CLI process the tests did not
// stop): asked to end, then killed. A pid whose start time changed is another process now, and is left alone.
// A zombie (Z) or dead (X) process has ended: only its parent, or init, has still to reap it.
const left = () =>
  [...seen.values()].filter(({ pid, start }) => {
    const stat = statOf(pid);
    return stat?.start === start && stat.state !== 'Z' && stat.state !== 'X';
  });
if (left().length > 0) {
  for (const { pid } of left()) signal(pid, 'SIGTERM');
  for (let waited = 0; left().length > 0 && waited < KILL_GRACE_MS; waited += 100) await sleep(100);
  for (const { pid } of left()) signal(pid, 'SIGKILL');
}
// A signal the group was sent can end the children before this process's handler runs: it is as interrupted.
const stoppedBy = interrupted ?? [typechecked, tested].map((ended) => ended.signal).find((name) => STOPPING.includes(name));
// A vitest ended by a signal skipped its global teardown, which removes the package it built for the tests
// (test/helpers/build-package.ts names the folder after vitest's process).
if (vitest.child.pid !== undefined && (stoppedBy || codeOf(tested) >= 128)) {
  await rm(join(ROOT, 'node_modules', '.cache', `mantle-conformance-test-${vitest.child.pid}`), { recursive: true, force: true });
}

if (stoppedBy) {
  // A vitest stopped by a signal it does not handle (Ctrl-\\) left the cursor hidden.
  if (process.stdout.isTTY) process.stdout.write('\x1b[?25h');
  process.stderr.write(`\nnpm test interrupted (${stoppedBy}): the typecheck and the tests were stopped\n`);
  process.exitCode = 128 + constants.signals[stoppedBy];
} else if (typechecked.code !== 0) {
  const how = typechecked.signal ? `ended by ${typechecked.signal}` : `exit ${typechecked.code}`;
  process.stderr.write(`\ntypecheck (tsc --noEmit) failed, ${how}:\n${typecheck}\n`);
  process.stderr.write(`typecheck failed (above): fix the type errors; the tests exited ${codeOf(tested)}\n`);
  process.exitCode = codeOf(typechecked);
} else {
  process.exitCode = codeOf(tested);
}
