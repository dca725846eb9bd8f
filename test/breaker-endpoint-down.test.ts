/**
 * A target that stopped answering is given up on (`--give-up-after n`): after n requests in a row with no answer at
 * all, nothing more is sent to it, its cells are `error` (HARNESS_ENDPOINT_DOWN, naming the target and the flag),
 * the run is partial and the gate fails; a run against an endpoint that holds every request open ends in seconds,
 * not in requests x --timeout. `--give-up-after 0` never gives up; the other targets of the run carry on; a record run
 * writes no fixture for what it did not send and never replaces a good recording with the outage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

/** A server that accepts every connection and reads every request, and never answers one. */
async function silentServer(): Promise<{ url: string; seen: () => number; close(): Promise<void> }> {
  let seen = 0;
  const server: Server = createServer((req) => {
    seen += 1;
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const FOUR_MODELS = 'qwen.qwen3-32b,zai.glm-5,deepseek.v3.2,openai.gpt-oss-120b';
const DOWN = /^HARNESS_ENDPOINT_DOWN: not sent: (\S+) stopped answering: (\d+) requests? in a row ended without an answer .*--give-up-after 0 to never stop$/;

let dir: string;
let silent: Awaited<ReturnType<typeof silentServer>> | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breaker-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await silent?.close();
  silent = undefined;
});

const readMatrix = async (reports: string) => JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;

describe('a target that holds every request open', () => {
  it('is given up on after --give-up-after requests in a row: seconds, few requests, every cell error, a partial run that fails the gate', async () => {
    silent = await silentServer();
    const reports = join(dir, 'dead');
    const concurrency = 2;
    const started = performance.now();
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', silent.url, '--target-name', 'dead', '--models', FOUR_MODELS, '--timeout', '300', '--retries', '0', '--give-up-after', '3', '--concurrency', String(concurrency), '--report-dir', reports, '--plain']);
    const took = performance.now() - started;
    // Without it: some 40 probe requests x 300 ms / 2 at a time, and on the defaults (60 s, 2 retries) an hour.
    expect(took).toBeLessThan(10_000);
    expect(run.code, run.stderr).toBe(1);
    // The preflight, 3 that ended unanswered, and at most what was in flight when the third ended.
    expect(silent.seen()).toBeLessThanOrEqual(1 + 3 + concurrency);
    const matrix = await readMatrix(reports);
    expect(matrix.results.length).toBeGreaterThan(100);
    expect(matrix.results.filter((r) => r.status !== 'error')).toEqual([]);
    const down = matrix.results.filter((r) => DOWN.test(r.reason));
    // Most cells were never sent; the few that were timed out (their own reason).
    expect(down.length).toBeGreaterThan(matrix.results.length / 2);
    for (const r of down) expect(DOWN.exec(r.reason)!.slice(1)).toEqual(['dead', '3']);
    expect(matrix.run.partial).toBe(true);
    expect(matrix.run.partialReason).toMatch(/^endpoint down: dead stopped answering: 3 requests in a row .*, and nothing answered for [\d.]+ s; .*; its later requests were not sent \(\d+ or more\) and the checks that needed them are error$/);
    expect(matrix.run.interrupted).toBeUndefined();
    expect(matrix.gate.exitCode).toBe(1);
    // The console says it once, when it happens, and the summary and the gate line say partial.
    expect(run.stderr.match(/^warning: target dead stopped answering/gm)).toHaveLength(1);
    expect(run.stderr).toContain('Its requests not sent yet will not be (their checks are error, and the run is then partial)');
    expect(run.stdout).toContain('partial run: endpoint down: dead stopped answering');
    expect(run.stdout).toMatch(/^gate: fail \(exit 1\): .*partial run/m);
    expect(run.stdout).not.toContain('gate: pass');
    const markdown = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(markdown).toContain('**Partial run**: endpoint down: dead stopped answering');
    expect(markdown).toContain('; cells not reached are skipped, and those of a target that stopped answering are error');
  }, 30_000);

  it('gives up after 20 by default', async () => {
    silent = await silentServer();
    const reports = join(dir, 'default');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', silent.url, '--target-name', 'dead', '--models', FOUR_MODELS, '--timeout', '100', '--retries', '0', '--concurrency', '4', '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(1);
    // Said even with --quiet: the one line that explains a run that stopped sending.
    expect(run.stderr).toMatch(/^warning: target dead stopped answering: 20 requests in a row/m);
    expect(silent.seen()).toBeLessThanOrEqual(1 + 20 + 4);
    const matrix = await readMatrix(reports);
    expect(matrix.results.some((r) => DOWN.exec(r.reason)?.[2] === '20')).toBe(true);
    expect(matrix.run.partial).toBe(true);
  }, 30_000);

  it('--give-up-after 0 never gives up: every request is sent', async () => {
    // A deadline a loaded machine meets: at 100 ms a request could time out before its connection was made, unseen.
    silent = await silentServer();
    const reports = join(dir, 'never');
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', silent.url, '--target-name', 'dead', '--models', FOUR_MODELS, '--timeout', '300', '--retries', '0', '--concurrency', '8', '--give-up-after', '0', '--report-dir', reports, '--plain']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toContain('stopped answering');
    const matrix = await readMatrix(reports);
    // Every request the run made went out (the preflight besides), and there were more in a row than the default allows.
    expect(silent.seen()).toBe(matrix.totals.usage.requests + 1);
    expect(matrix.totals.usage.requests).toBeGreaterThan(20);
    expect(matrix.results.filter((r) => r.reason.includes('HARNESS_ENDPOINT_DOWN'))).toEqual([]);
    expect(matrix.run.partial).toBe(false);
  }, 30_000);
});

describe('a run of two targets, one of them dead', () => {
  it('gives up on the dead one; the live one is judged as ever', async () => {
    silent = await silentServer();
    const emulator = await catalogEmulator();
    try {
      const reports = join(dir, 'two');
      // A deadline the emulator meets on a busy machine: the live target's verdicts are compared with a run of it alone.
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--targets', `mantle:dead=${silent.url},mantle:alive=${emulator.url}`, '--models', 'qwen.qwen3-32b', '--timeout', '1500', '--retries', '0', '--give-up-after', '2', '--report-dir', reports, '--plain']);
      expect(run.code, run.stderr).toBe(1);
      const matrix = await readMatrix(reports);
      const of = (target: string) => matrix.results.filter((r) => r.target === target);
      expect(of('dead').length).toBeGreaterThan(0);
      expect(of('dead').filter((r) => r.status !== 'error')).toEqual([]);
      expect(of('dead').filter((r) => DOWN.exec(r.reason)?.[1] === 'dead').length).toBeGreaterThan(0);
      // The live target: judged as a run of it alone judges it, with no trace of the other's outage.
      const alone = await cli(['run', '--mode', 'live', '--auth', 'none', '--targets', `mantle:alive=${emulator.url}`, '--models', 'qwen.qwen3-32b', '--report-dir', join(dir, 'alone'), '--quiet']);
      expect(alone.code, alone.stderr).toBe(0);
      const verdicts = (results: Matrix['results']) => Object.fromEntries(results.filter((r) => r.target === 'alive').map((r) => [r.check, r.status]));
      expect(of('alive').length).toBe(of('dead').length);
      expect(verdicts(matrix.results)).toEqual(verdicts((await readMatrix(join(dir, 'alone'))).results));
      expect(of('alive').filter((r) => r.status === 'pass').length).toBeGreaterThan(0);
      expect(of('alive').filter((r) => r.status === 'error')).toEqual([]);
      expect(matrix.run.partialReason).toMatch(/^endpoint down: dead stopped answering/);
      expect(matrix.run.partialReason).not.toContain('alive');
      expect(run.stderr.match(/stopped answering/g)).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});

describe('a record run against a target that stopped answering', () => {
  it('writes no fixture for what it did not send, and keeps every good recording', async () => {
    const fixtures = join(dir, 'fixtures');
    const emulator = await catalogEmulator();
    const model = 'qwen.qwen3-32b';
    try {
      const good = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', emulator.url, '--target-name', 'rec', '--models', model, '--fixtures', fixtures, '--report-dir', join(dir, 'rec-good'), '--quiet']);
      expect(good.code, good.stderr).toBe(0);
    } finally {
      await emulator.close();
    }
    const folder = join(fixtures, 'rec', model);
    const files = (await readdir(folder)).sort();
    expect(files.length).toBeGreaterThan(10);
    const before = await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')));

    silent = await silentServer();
    const run = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', silent.url, '--target-name', 'rec', '--models', model, '--fixtures', fixtures, '--timeout', '300', '--retries', '0', '--give-up-after', '2', '--report-dir', join(dir, 'rec-dead'), '--plain']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('warning: target rec stopped answering');
    expect((await readdir(folder)).sort()).toEqual(files);
    expect(await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')))).toEqual(before);
    const matrix = await readMatrix(join(dir, 'rec-dead'));
    expect(matrix.results.some((r) => DOWN.test(r.reason))).toBe(true);
    expect(matrix.run.partial).toBe(true);
  }, 60_000);

  it('with no recording yet, writes none for the cases it did not send', async () => {
    silent = await silentServer();
    const fixtures = join(dir, 'fresh');
    const run = await cli(['run', '--mode', 'record', '--auth', 'none', '--endpoint', silent.url, '--target-name', 'fresh', '--models', FOUR_MODELS, '--fixtures', fixtures, '--timeout', '300', '--retries', '0', '--give-up-after', '2', '--concurrency', '2', '--report-dir', join(dir, 'fresh-reports'), '--quiet']);
    expect(run.code, run.stderr).toBe(1);
    const written: string[] = [];
    for (const model of await readdir(join(fixtures, 'fresh')).catch(() => [] as string[])) {
      for (const file of await readdir(join(fixtures, 'fresh', model))) written.push(await readFile(join(fixtures, 'fresh', model, file), 'utf8'));
    }
    // At most the cases whose requests went out (and timed out) are recorded as they went; none holds a request not sent.
    expect(written.length).toBeLessThanOrEqual(silent.seen() - 1);
    for (const text of written) expect(text).not.toContain('HARNESS_ENDPOINT_DOWN');
  }, 30_000);
});
