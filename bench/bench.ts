/**
 * `npm run bench` (after `npm run build`): figures side by side, asserts nothing. Every command runs in its own
 * process, as a user runs it: the installed CLI (dist/cli/bin.js), the checkout's `npm run conformance` (.ci/cli.mjs:
 * a build of the checkout, made first when src/ changed) and, for comparison, src/ through tsx.
 *  (a) start-up: `--help`, and a replay of one model;
 *  (b) the full bundled replay: wall, CPU, peak memory;
 *  (c) live against the emulator with a fixed latency per request and --concurrency 16 (also with --repeat 3):
 *      the whole command against the ideal (requests x latency / concurrency), the start-up before the first
 *      request and the tail after the last answer, and the peak in flight the server saw;
 *  (d) requests and tokens per model for a full run, with --repeat 1 and --repeat 3 side by side, and the generated
 *      prompts some cases send (prompt caching);
 *  (e) the latency the live run measured (every stream's first token held back by FIRST_TOKEN_MS): p50/p95 per API;
 *  (f) a synthetic history of 365 nightly runs x 3 regions x the full catalog (bench/history-bench.ts): the folder's
 *      size, `history` over it (wall, CPU, peak), the size of history.html, and its load and filter times in Chromium.
 * BENCH_ONLY=history runs the full replay and (f) alone; BENCH_ONLY=replay runs (a) and (b) alone.
 * The first and last lines time a fixed CPU-bound loop: a shared machine's speed moves from hour to hour, and
 * figures from two runs compare only as far as those lines agree.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { percentiles } from '../src/checks/latency.ts';
import { folderBytes, pageTimings, writeSyntheticHistory } from './history-bench.ts';
import { profilesFromCatalog } from '../src/emulator/profile-from-catalog.ts';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { estimateTokens, prose } from '../src/suite/generated.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { loadSuites } from '../src/suite/load-suites.ts';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300);
/** Held back between a stream's first event and its first content, so (e) shows time to first token apart from headers. */
const FIRST_TOKEN_MS = Number(process.env.BENCH_FIRST_TOKEN_MS ?? 150);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const BUILT = join(ROOT, 'dist/cli/bin.js');
const SOURCE = join(ROOT, 'src/cli/bin.ts');
const CHECKOUT = join(ROOT, '.ci/cli.mjs');
const KEY = 'bench-key-0123456789';
/** tsx's loader by absolute URL: the commands run in a temp folder, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Measured {
  code: number;
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Runs the CLI in a child process through bench/measure.mjs: installed (dist/cli/bin.js), `checkout` as `npm run
 * conformance` runs it, or `tsx` from src/ through tsx.
 */
async function measure(dir: string, args: string[], options: { via?: 'checkout' | 'tsx'; env?: NodeJS.ProcessEnv } = {}): Promise<Measured> {
  const out = join(dir, `measure-${Math.random().toString(36).slice(2)}.json`);
  const entry = options.via === 'checkout' ? CHECKOUT : options.via === 'tsx' ? SOURCE : BUILT;
  const node = [...(options.via === 'tsx' ? ['--import', TSX] : []), join(ROOT, 'bench/measure.mjs'), out, entry, ...args];
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, node, { cwd: dir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  const endedAt = performance.now();
  const usage = JSON.parse(await readFile(out, 'utf8')) as { code: number; userMs: number; systemMs: number; maxRssKb: number };
  return { code: usage.code, wallMs: endedAt - startedAt, cpuMs: usage.userMs + usage.systemMs, maxRssMiB: usage.maxRssKb / 1024, startedAt, endedAt };
}

/** The best (lowest wall) of `n` runs: start-up figures are noisy on a shared machine. */
async function best(n: number, run: () => Promise<Measured>): Promise<Measured> {
  let found: Measured | undefined;
  for (let i = 0; i < n; i++) {
    const m = await run();
    if (!found || m.wallMs < found.wallMs) found = m;
  }
  return found!;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (label: string, m: Measured, extra = '') => console.log(`    ${label.padEnd(38)} wall ${s(m.wallMs).padStart(8)}   cpu ${s(m.cpuMs).padStart(8)}   peak ${m.maxRssMiB.toFixed(0).padStart(4)} MiB${extra ? `   ${extra}` : ''}  (exit ${m.code})`);

async function live(dir: string, name: string, extra: string[]): Promise<{ m: Measured; emulator: RunningEmulator; matrix: Matrix }> {
  const catalog = await loadCatalog(join(ROOT, 'suites/models.yaml'), ALL_CHECKS);
  const slowStart = Object.fromEntries(catalog.models.map((m) => [m.id, { stream: { firstTokenDelayMs: FIRST_TOKEN_MS } }]));
  const emulator = await startEmulator({ profiles: profilesFromCatalog(catalog, slowStart), latencyMs: LATENCY_MS, apiKey: KEY });
  try {
    const m = await measure(dir, ['run', '--mode', 'live', '--endpoint', emulator.url, '--api-key-env', 'BENCH_KEY', '--concurrency', String(CONCURRENCY), '--report-dir', join(dir, name), '--quiet', ...extra], {
      env: { BENCH_KEY: KEY },
    });
    const matrix = JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix;
    return { m, emulator, matrix };
  } finally {
    await emulator.close();
  }
}

function liveFigures(label: string, run: { m: Measured; emulator: RunningEmulator }): void {
  const { m, emulator } = run;
  const requests = emulator.stats.requests - 1; // the preflight is sent before the run
  const ideal = (requests * LATENCY_MS) / CONCURRENCY;
  const first = emulator.stats.log[1]?.at ?? m.startedAt;
  const last = emulator.stats.lastResponseAt ?? m.endedAt;
  console.log(`    ${label}: ${requests} requests; ideal ${s(ideal)} (requests x ${LATENCY_MS} ms / ${CONCURRENCY})`);
  console.log(`      whole command ${s(m.wallMs)} = ${(m.wallMs / ideal).toFixed(2)}x ideal; requests phase ${s(last - first)} = ${((last - first) / ideal).toFixed(2)}x ideal`);
  console.log(`      start-up to the first request ${s(first - m.startedAt)}, last answer to exit ${s(m.endedAt - last)}; cpu ${s(m.cpuMs)}, peak ${m.maxRssMiB.toFixed(0)} MiB`);
  console.log(`      peak in flight seen by the server: ${emulator.stats.peakInFlight} (limit ${CONCURRENCY}) (exit ${m.code})`);
}

interface Spend {
  requests: number;
  requested: number;
  unbounded: number;
  input: number;
  output: number;
}

/** Per model: requests, requested max tokens (and requests that state none), tokens used, from the server's log and the matrix. */
function spendOf(run: { emulator: RunningEmulator; matrix: Matrix }): Map<string, Spend> {
  const { emulator, matrix } = run;
  const out = new Map<string, Spend>();
  for (const model of matrix.models) {
    const used = matrix.totals.perModel[`${matrix.targets[0]!.id}/${model.id}`] ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
    out.set(model.id, { requests: used.requests, requested: 0, unbounded: 0, input: used.inputTokens, output: used.outputTokens });
  }
  for (const entry of emulator.stats.log) {
    const seen = entry.model ? out.get(entry.model) : undefined;
    if (!seen) continue;
    if (entry.maxTokens !== undefined) seen.requested += entry.maxTokens;
    else if (entry.method === 'POST' && !entry.path.includes('count_tokens')) seen.unbounded += 1;
  }
  return out;
}

function perModel(once: { emulator: RunningEmulator; matrix: Matrix }, thrice: { emulator: RunningEmulator; matrix: Matrix }): void {
  console.log('(d) requests and tokens per model, full live runs (requested = max tokens asked; unbounded = requests that state none)');
  console.log(`    ${''.padEnd(40)} ${'--repeat 1'.padStart(44)}   ${'--repeat 3'.padStart(22)}`);
  console.log(`    ${'model'.padEnd(40)} ${'requests'.padStart(8)} ${'requested'.padStart(9)} ${'unbounded'.padStart(9)} ${'used in'.padStart(8)} ${'used out'.padStart(8)}   ${'requests'.padStart(8)} ${'requested'.padStart(9)} ${'x'.padStart(4)}`);
  const a = spendOf(once);
  const b = spendOf(thrice);
  const total = { a: { requests: 0, requested: 0, unbounded: 0, input: 0, output: 0 }, b: { requests: 0, requested: 0 } };
  const row = (label: string, x: Spend, y: { requests: number; requested: number }) =>
    console.log(
      `    ${label.padEnd(40)} ${String(x.requests).padStart(8)} ${String(x.requested).padStart(9)} ${String(x.unbounded).padStart(9)} ${String(x.input).padStart(8)} ${String(x.output).padStart(8)}   ${String(y.requests).padStart(8)} ${String(y.requested).padStart(9)} ${(y.requests / Math.max(1, x.requests)).toFixed(2).padStart(4)}`,
    );
  for (const [model, x] of a) {
    const y = b.get(model) ?? { requests: 0, requested: 0, unbounded: 0, input: 0, output: 0 };
    for (const key of ['requests', 'requested', 'unbounded', 'input', 'output'] as const) total.a[key] += x[key];
    total.b.requests += y.requests;
    total.b.requested += y.requested;
    row(model, x, y);
  }
  row('total', total.a, total.b);
}

function latencyFigures(matrix: Matrix): void {
  console.log(`(e) latency measured by the live run (${LATENCY_MS} ms per request, first token held back ${FIRST_TOKEN_MS} ms), p50 / p95 over the models' own p50 and p95`);
  const byApi = new Map<string, { headers: number[]; firstToken: number[]; total: number[]; n: number }>();
  for (const apis of Object.values(matrix.totals.latency ?? {})) {
    for (const [api, l] of Object.entries(apis)) {
      const seen = byApi.get(api) ?? { headers: [], firstToken: [], total: [], n: 0 };
      seen.headers.push(l.headersMs.p50, l.headersMs.p95);
      if (l.firstTokenMs) seen.firstToken.push(l.firstTokenMs.p50, l.firstTokenMs.p95);
      seen.total.push(l.totalMs.p50, l.totalMs.p95);
      seen.n += l.n;
      byApi.set(api, seen);
    }
  }
  const pct = (values: number[]) => {
    const { p50, p95 } = percentiles(values);
    return values.length ? `${String(Math.round(p50)).padStart(5)} / ${String(Math.round(p95)).padStart(5)} ms` : '          -   ';
  };
  console.log(`    ${'api'.padEnd(18)} ${'exchanges'.padStart(9)}   ${'headers'.padStart(15)}   ${'first token'.padStart(15)}   ${'total'.padStart(15)}`);
  for (const [api, l] of byApi) console.log(`    ${api.padEnd(18)} ${String(l.n).padStart(9)}   ${pct(l.headers)}   ${pct(l.firstToken)}   ${pct(l.total)}`);
}

/** The long prompts cases generate ({{generated.prose-N}}): their size, which the emulator's word counts understate. */
async function generatedPrompts(): Promise<void> {
  const suites = await loadSuites(join(ROOT, 'suites'), ALL_CHECKS);
  for (const spec of suites.cases) {
    const sizes = spec.steps.flatMap((step) => [...JSON.stringify(step.request).matchAll(/\{\{generated\.prose-(\d+)\}\}/g)].map((m) => Number(m[1])));
    if (sizes.length === 0) continue;
    const chars = sizes.map((n) => prose(n).length);
    const tokens = chars.reduce((sum, c) => sum + estimateTokens('x'.repeat(c)), 0);
    console.log(`    ${spec.id} (${spec.api}): ${sizes.length} request(s) with a generated prompt of ${chars[0]} characters, about ${tokens} input tokens in all at 4 characters a token`);
  }
}

async function historyFigures(dir: string, matrix: Matrix): Promise<void> {
  const folder = join(dir, 'history');
  const madeAt = performance.now();
  const files = await writeSyntheticHistory(folder, matrix);
  const bytes = await folderBytes(folder);
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(`(f) history: a synthetic year, ${files} run files (365 nights x 3 regions x ${matrix.models.length} models x ${matrix.checks.length} checks), written in ${s(performance.now() - madeAt)}`);
  console.log(`    folder ${mib(bytes)}, ${(bytes / files / 1024).toFixed(1)} KiB per run file (gzip'd)`);
  const out = join(dir, 'history-out');
  const m = await measure(dir, ['history', folder, '--report-dir', out, '--last', '10']);
  line('history over the folder, installed', m);
  const size = async (name: string) => (await stat(join(out, name)).catch(() => ({ size: 0 }))).size;
  console.log(`    history.html ${mib(await size('history.html'))}, history.json ${mib(await size('history.json'))}, history.md ${((await size('history.md')) / 1024).toFixed(1)} KiB`);
  const page = await pageTimings(join(out, 'history.html')).catch((e: Error) => (console.log(`    history.html in Chromium: ${e.message}`), undefined));
  if (!page) return;
  console.log(`    history.html in Chromium: opened (load event) in ${s(page.loadMs)}, ${page.rows} rows drawn at first`);
  for (const f of page.filters) console.log(`      filter ${f.label}: ${f.ms.toFixed(0)} ms to the rows (${f.rows} drawn)`);
}

/** A fixed CPU-bound loop (3e8 additions), timed: the machine's speed at this moment. */
function speedLine(when: string): void {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 3e8; i++) x += i % 7;
  console.log(`machine speed ${when}: a fixed CPU loop took ${(performance.now() - started).toFixed(0)} ms${x > 0 ? '' : '.'}`);
}

/** (c) to (f): live against the emulator, requests and tokens, latency, and the synthetic history. */
async function liveAndHistory(dir: string): Promise<void> {
  console.log(`(c) live against the emulator, ${LATENCY_MS} ms per request, --concurrency ${CONCURRENCY}, installed`);
  const whole = await live(dir, 'live', []);
  liveFigures('every model', whole);
  const repeated = await live(dir, 'live-repeat', ['--repeat', '3']);
  liveFigures('every model, --repeat 3', repeated);
  perModel(whole, repeated);
  await generatedPrompts();
  latencyFigures(whole.matrix);
  await historyFigures(dir, whole.matrix);
}

const dir = await mkdtemp(join(tmpdir(), 'mantle-bench-'));
if (process.env.BENCH_ONLY === 'history') {
  try {
    await measure(dir, ['run', '--quiet', '--report-dir', join(dir, 'replay')]);
    await historyFigures(dir, JSON.parse(await readFile(join(dir, 'replay', 'matrix.json'), 'utf8')) as Matrix);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  const cpu = cpus();
  console.log(`mantle-conformance benchmark on Node ${process.version}, ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} free)`);
  speedLine('at the start');
  console.log('(a) start-up (best of 3)                   installed = node dist/cli/bin.js; checkout = npm run conformance (.ci/cli.mjs)');
  line('--help, installed', await best(3, () => measure(dir, ['--help'])));
  // What the checkout command adds to its first run after a change to src/: one build.
  const building = performance.now();
  await new Promise<void>((resolve, reject) => spawn(process.execPath, [join(ROOT, '.ci/build.mjs'), join(dir, 'build', 'dist')], { stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code})`)))));
  console.log(`    a build after a change to src/ (the checkout command's first run then): wall ${s(performance.now() - building)}`);
  line('--help, checkout', await best(3, () => measure(dir, ['--help'], { via: 'checkout' })));
  line('--help, src/ through tsx', await best(3, () => measure(dir, ['--help'], { via: 'tsx' })));
  line('replay of one model, installed', await best(3, () => measure(dir, ['run', '--models', 'xai.grok-4.3', '--quiet', '--report-dir', join(dir, 'one')])));
  line('replay of one model, checkout', await best(3, () => measure(dir, ['run', '--models', 'xai.grok-4.3', '--quiet', '--report-dir', join(dir, 'one')], { via: 'checkout' })));
  line('replay of one model, src/ through tsx', await best(3, () => measure(dir, ['run', '--models', 'xai.grok-4.3', '--quiet', '--report-dir', join(dir, 'one')], { via: 'tsx' })));
  const one = await live(dir, 'live-one', ['--models', 'xai.grok-4.3']);
  const firstAt = one.emulator.stats.log[1]?.at ?? one.m.startedAt;
  console.log(`    live start-up overhead, one model: ${s(firstAt - one.m.startedAt)} from the command's start to its first request, ${s(one.m.endedAt - (one.emulator.stats.lastResponseAt ?? one.m.endedAt))} from the last answer to exit`);
  console.log('(b) replay of the bundled fixtures (best of 3)');
  const full = await best(3, () => measure(dir, ['run', '--quiet', '--report-dir', join(dir, 'replay')]));
  const matrix = JSON.parse(await readFile(join(dir, 'replay', 'matrix.json'), 'utf8')) as Matrix;
  line('full replay, installed', full, `${matrix.models.length} models x ${matrix.checks.length} checks from ${matrix.totals.usage.requests} recorded exchanges`);
  line('full replay, installed, --threads 2', await best(3, () => measure(dir, ['run', '--quiet', '--threads', '2', '--report-dir', join(dir, 'replay-2')])));
  line('full replay, checkout', await best(3, () => measure(dir, ['run', '--quiet', '--report-dir', join(dir, 'replay-checkout')], { via: 'checkout' })));
  line('full replay, src/ through tsx', await best(1, () => measure(dir, ['run', '--quiet', '--report-dir', join(dir, 'replay-src')], { via: 'tsx' })));
  if (process.env.BENCH_ONLY !== 'replay') await liveAndHistory(dir);
  speedLine('at the end');
} finally {
  await rm(dir, { recursive: true, force: true });
}
