/**
 * A run gives the same matrix whichever way it runs: in this process (the default) or on vitest (`--ui`, or
 * vitest arguments after `--`), with the same model filters, -t and --shard, in replay and live.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli, cliProcess } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runners-agree-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Measured times differ run to run: evidence timing, latency, wall times. */
const CLOCKS = new Set(['timing', 'latency', 'wallMs', 'durationMs', 'startedAt', 'finishedAt']);

/**
 * The matrix without what differs between any two runs: ids, clocks, the emulator's port. The selection stays: a
 * vitest option after `--` (a reporter) selects nothing, so it is no filter (merge compares a run's shards' filters).
 */
function comparable(matrix: Matrix): unknown {
  const { id: _id, ...run } = matrix.run;
  const targets = matrix.targets.map((t) => ({ ...t, endpointHost: null }));
  const plain = { ...matrix, targets, run };
  return JSON.parse(JSON.stringify(plain, (key, value: unknown) => (CLOCKS.has(key) ? undefined : value)));
}

/** Runs `args` both ways; `server` gives each way its own endpoint (the emulator's ids count repeated requests). */
async function both(name: string, args: (url: string) => string[], env: NodeJS.ProcessEnv = {}, server: () => Promise<RunningEmulator | undefined> = async () => undefined): Promise<[Matrix, Matrix]> {
  const run = async (way: string, call: typeof cli, extra: string[]) => {
    const emulator = await server();
    try {
      const result = await call(['run', ...args(emulator?.url ?? ''), '--quiet', '--report-dir', join(dir, `${name}-${way}`), ...extra], env);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await emulator?.close();
    }
  };
  await run('in-process', cli, []);
  await run('vitest', cliProcess, ['--', '--reporter=dot']);
  const read = async (folder: string) => JSON.parse(await readFile(join(dir, folder, 'matrix.json'), 'utf8')) as Matrix;
  return [await read(`${name}-in-process`), await read(`${name}-vitest`)];
}

it('replay with model filters, -t and --shard', async () => {
  const [inProcess, onVitest] = await both('replay', () => ['grok', 'gemma-4', 'claude', 'qwen3-32b', '-t', 'stream|created-at|path-prefix|sdk\\.', '--shard', '2/2']);
  const ran = inProcess.results.filter((r) => !r.notRun);
  expect(new Set(ran.map((r) => r.model)).size).toBeGreaterThan(1);
  expect(ran.every((r) => /stream|created-at|path-prefix|sdk\./.test(r.check))).toBe(true);
  expect(inProcess.run.selection.shard).toBe('2/2');
  expect(comparable(onVitest)).toEqual(comparable(inProcess));
}, 60_000);

it('live against the emulator', async () => {
  const env = { AWS_BEARER_TOKEN_BEDROCK: 'agree-key-0123456789' };
  const server = () => catalogEmulator({}, { apiKey: 'agree-key-0123456789' });
  const [inProcess, onVitest] = await both('live', (url) => ['--mode', 'live', '--endpoint', url, '--target-name', 'local', '--models', 'openai.gpt-oss-120b', '--concurrency', '4'], env, server);
  expect(inProcess.results.find((r) => r.model === 'openai.gpt-oss-120b' && r.check === 'created-at.responses')).toMatchObject({ status: 'pass', observed: 'exponent' });
  expect(inProcess.totals.usage.requests).toBeGreaterThan(30);
  expect(comparable(onVitest)).toEqual(comparable(inProcess));
}, 60_000);

it('on vitest, a cell passes only on a pass: inconclusive and flaky cells that do not gate are skipped, with their status', async () => {
  const report = join(dir, 'vitest-report.json');
  const result = await cliProcess(['run', 'qwen.qwen3-32b', 'openai.gpt-oss-20b', '-t', 'reasoning\\.chat-field|path-prefix', '--quiet', '--report-dir', join(dir, 'statuses'), '--', '--reporter=json', `--outputFile=${report}`]);
  expect(result.code, result.stderr).toBe(0);
  const tests = (JSON.parse(await readFile(report, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string }[] }[] }).testResults.flatMap((f) => f.assertionResults);
  const status = (model: string, check: string) => tests.filter((t) => t.fullName.includes(model) && t.fullName.endsWith(check)).map((t) => t.status);
  // Both bundled targets: the Mantle emulator and the bedrock-runtime one.
  expect(status('qwen.qwen3-32b', 'reasoning.chat-field')).toEqual(['skipped', 'skipped']);
  expect(status('openai.gpt-oss-20b', 'reasoning.chat-field')).toEqual(['skipped', 'skipped']);
  expect(status('qwen.qwen3-32b', 'path-prefix')).toEqual(['passed', 'passed']);
}, 60_000);
