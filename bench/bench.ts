/**
 * `npm run bench`: prints figures, asserts nothing.
 *  (a) replay of the full bundled matrix: wall time, cases per second, harness overhead per case;
 *  (b) live against the emulator with a fixed latency per request: wall time against the ideal
 *      (requests x latency / concurrency) and the peak concurrency the server saw;
 *  (c) requests and requested tokens per model for a full run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { main } from '../src/cli/main.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { startEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const quiet = { out: { write: () => true } as unknown as NodeJS.WritableStream, err: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream };

async function replay(dir: string) {
  const started = performance.now();
  const code = await main(['run', '--report-dir', join(dir, 'replay'), '--quiet'], quiet);
  const wall = performance.now() - started;
  const matrix = JSON.parse(await readFile(join(dir, 'replay', 'matrix.json'), 'utf8')) as Matrix;
  const cases = matrix.totals.usage.requests;
  console.log(`(a) replay of the bundled fixtures (exit ${code})`);
  console.log(`    ${matrix.models.length} models x ${matrix.checks.length} checks = ${matrix.results.length} results from ${cases} recorded exchanges`);
  console.log(`    wall ${(wall / 1000).toFixed(2)} s (vitest start-up included), ${(matrix.results.length / (wall / 1000)).toFixed(0)} results/s, ${(cases / (wall / 1000)).toFixed(0)} exchanges/s`);
  console.log(`    harness overhead ${(wall / cases).toFixed(2)} ms per exchange (replay has no network: all of it is harness)`);
}

async function live(dir: string) {
  const catalog = await loadCatalog(join(process.cwd(), 'suites/models.yaml'), ALL_CHECKS);
  const emulator = await startEmulator({ profiles: profilesFromCatalog(catalog), latencyMs: LATENCY_MS, apiKey: 'bench-key-0123456789' });
  process.env.BENCH_KEY = 'bench-key-0123456789';
  try {
    const started = performance.now();
    const code = await main(
      ['run', '--mode', 'live', '--endpoint', emulator.url, '--api-key-env', 'BENCH_KEY', '--concurrency', String(CONCURRENCY), '--report-dir', join(dir, 'live'), '--quiet'],
      quiet,
    );
    const wall = performance.now() - started;
    const requests = emulator.stats.requests - 1; // the preflight is sent before the run
    const ideal = (requests * LATENCY_MS) / CONCURRENCY;
    // From the first request of the run proper (after the preflight) to the last answer.
    const phase = (emulator.stats.lastResponseAt ?? 0) - (emulator.stats.log[1]?.at ?? 0);
    console.log(`(b) live against the emulator, ${LATENCY_MS} ms per request, --concurrency ${CONCURRENCY} (exit ${code})`);
    console.log(`    ${requests} requests; ideal ${(ideal / 1000).toFixed(2)} s (requests x latency / concurrency)`);
    console.log(`    request phase ${(phase / 1000).toFixed(2)} s = ${(phase / ideal).toFixed(2)}x ideal (first request in to last answer out, measured by the server)`);
    console.log(`    whole command ${(wall / 1000).toFixed(2)} s = ${(wall / ideal).toFixed(2)}x ideal (plan, vitest start-up, reports included)`);
    console.log(`    peak concurrency seen by the server: ${emulator.stats.peakInFlight} (limit ${CONCURRENCY})`);
    const matrix = JSON.parse(await readFile(join(dir, 'live', 'matrix.json'), 'utf8')) as Matrix;
    console.log('(c) requests and tokens per model, full run (requested = max tokens asked; unbounded = requests that state none)');
    console.log(`    ${'model'.padEnd(40)} ${'requests'.padStart(8)} ${'requested'.padStart(9)} ${'unbounded'.padStart(9)} ${'used in'.padStart(8)} ${'used out'.padStart(8)}`);
    // Requests come from the run's own totals (GETs included); requested tokens from the bodies the server saw.
    const asked = new Map<string, { requested: number; unbounded: number }>();
    for (const entry of emulator.stats.log) {
      if (!entry.model) continue;
      const seen = asked.get(entry.model) ?? { requested: 0, unbounded: 0 };
      if (entry.maxTokens !== undefined) seen.requested += entry.maxTokens;
      else if (entry.method === 'POST' && !entry.path.includes('count_tokens')) seen.unbounded += 1;
      asked.set(entry.model, seen);
    }
    let total = { requests: 0, requested: 0, unbounded: 0, input: 0, output: 0 };
    for (const model of matrix.models) {
      const seen = asked.get(model.id) ?? { requested: 0, unbounded: 0 };
      const used = matrix.totals.perModel[`${matrix.targets[0]!.id}/${model.id}`] ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
      total = { requests: total.requests + used.requests, requested: total.requested + seen.requested, unbounded: total.unbounded + seen.unbounded, input: total.input + used.inputTokens, output: total.output + used.outputTokens };
      console.log(`    ${model.id.padEnd(40)} ${String(used.requests).padStart(8)} ${String(seen.requested).padStart(9)} ${String(seen.unbounded).padStart(9)} ${String(used.inputTokens).padStart(8)} ${String(used.outputTokens).padStart(8)}`);
    }
    console.log(`    ${'total'.padEnd(40)} ${String(total.requests).padStart(8)} ${String(total.requested).padStart(9)} ${String(total.unbounded).padStart(9)} ${String(total.input).padStart(8)} ${String(total.output).padStart(8)}`);
  } finally {
    await emulator.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'mantle-bench-'));
try {
  console.log(`mantle-conformance benchmark on Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
  await replay(dir);
  await live(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
