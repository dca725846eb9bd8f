/**
 * Fault injection: one run with a different fault on each model's streamed chat requests (or, for malformed JSON,
 * one plain one). The run completes; the faulted cell is `error`, or `fail` where the malformed thing is the
 * endpoint's answer, or `pass` where a retry recovered; every other cell equals a clean run's. Then what a proxy or
 * gateway in front of the endpoint says in its place (a 408, an empty, HTML or error-carrying 200, a WAF's page):
 * `error`, never "supported", and a pass where a retry got the answer.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../src/emulator/faults.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { catalogEmulator, cli, projectSuites } from './helpers/harness.ts';
import { startProxy } from './helpers/wire-proxy.ts';

interface Row {
  model: string;
  fault: FaultSpec;
  check: string;
  status: MatrixResult['status'];
  reason: RegExp;
}

const ROWS: Row[] = [
  { model: 'qwen.qwen3-32b', fault: { kind: 'reset-before-headers', stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_CONNECTION: .*\(after 3 attempts\)/ },
  { model: 'qwen.qwen3-coder-next', fault: { kind: 'reset-mid-stream', stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_STREAM_CUT/ },
  { model: 'qwen.qwen3-next-80b-a3b-instruct', fault: { kind: 'slow', delayMs: 6_000, stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_TIMEOUT: no complete answer .* within 2500 ms/ },
  { model: 'mistral.devstral-2-123b', fault: { kind: 'throttle', retryAfterS: 0, stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_THROTTLED: still throttled \(429\) after 3 attempts/ },
  { model: 'mistral.magistral-small-2509', fault: { kind: 'throttle', stream: true, times: 1 }, check: 'stream.chat-completions', status: 'pass', reason: /conformant/ },
  { model: 'mistral.ministral-3-3b-instruct', fault: { kind: 'server-error', status: 500, stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_SERVER_ERROR: the endpoint answered 500 (with the same API error )?on all 3 attempts/ },
  { model: 'mistral.ministral-3-8b-instruct', fault: { kind: 'server-error', status: 503, stream: true, times: 2 }, check: 'stream.chat-completions', status: 'pass', reason: /conformant/ },
  { model: 'nvidia.nemotron-nano-9b-v2', fault: { kind: 'malformed-json', path: /^\/v1\/chat\/completions$/, bodyIncludes: '"content":"Reply with the word OK."}],"max_tokens":16}' }, check: 'created-at.chat', status: 'error', reason: /^could not observe: .*not a JSON object/ },
  { model: 'nvidia.nemotron-nano-12b-v2', fault: { kind: 'truncated-sse', stream: true }, check: 'stream.chat-completions', status: 'fail', reason: /ends inside an unterminated event/ },
  { model: 'nvidia.nemotron-super-3-120b', fault: { kind: 'sse-error-frame', stream: true }, check: 'stream.chat-completions', status: 'fail', reason: /error frame/ },
  { model: 'deepseek.v3.1', fault: { kind: 'oversized', bytes: 4 * 1024 * 1024, stream: true }, check: 'stream.chat-completions', status: 'error', reason: /^HARNESS_BODY_TOO_LARGE: the response body exceeded 1048576 bytes/ },
];

const CLEAN = ['deepseek.v3.2', 'zai.glm-5'];
const MODELS = [...ROWS.map((r) => r.model), ...CLEAN].join(',');
// 2.5 s: a healthy answer on a 2-core machine under a full test run's load took over 800 ms (a flaky timeout).
const FLAGS = ['--timeout', '2500', '--retries', '2', '--retry-delay', '5', '--max-body-bytes', String(1024 * 1024), '--plain', '--concurrency', '16'];

let dir: string;
let clean: Matrix;
let faulty: Matrix;
let faultyRun: { code: number; stderr: string };

async function runAgainst(faults: Record<string, FaultSpec>, reports: string): Promise<{ matrix: Matrix; code: number; stderr: string }> {
  const emulator = await catalogEmulator({}, { faults, apiKey: 'fault-key-0123456789' });
  try {
    const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--models', MODELS, '--report-dir', reports, ...FLAGS], { AWS_BEARER_TOKEN_BEDROCK: 'fault-key-0123456789' });
    return { matrix: JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix, code: run.code, stderr: run.stderr };
  } finally {
    await emulator.close();
  }
}

/** Warnings this process printed during the runs (the emulator serves in it). */
const warnings: string[] = [];

beforeAll(async () => {
  const warned = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', warned);
  try {
    dir = await mkdtemp(join(tmpdir(), 'faults-'));
    clean = (await runAgainst({}, join(dir, 'clean'))).matrix;
    const result = await runAgainst(Object.fromEntries(ROWS.map((r) => [r.model, r.fault])), join(dir, 'faulty'));
    faulty = result.matrix;
    faultyRun = result;
  } finally {
    process.off('warning', warned);
  }
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const find = (matrix: Matrix, model: string, check: string) => matrix.results.find((r) => r.model === model && r.check === check)!;

describe('faults', () => {
  it('the clean run passes everywhere', () => {
    expect(clean.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
  });

  it('the faulty run completes and writes a whole matrix', () => {
    expect(faulty.run.partial).toBe(false);
    expect(faulty.results).toHaveLength(clean.results.length);
    expect(faultyRun.code).toBe(1);
  });

  it('the emulator sends an oversized body without piling listeners on the response (one per full buffer leaked)', () => {
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it.each(ROWS)('$fault.kind on $model: $check is $status', ({ model, check, status, reason }) => {
    const result = find(faulty, model, check);
    expect(result.status, result.reason).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it('leaves every other cell as the clean run had it', async () => {
    // The faulted case's own checks, and the schema checks that read every case, may change; nothing else.
    const { suites } = await projectSuites();
    const caseOf = (check: string) => suites.cases.find((c) => c.checks.includes(check))!;
    // A fault on streamed requests hits every case that streams on that API (streamed tool calls, reasoning).
    const faultedCases = (row: Row) => {
      const own = caseOf(row.check);
      if (row.fault.stream) return suites.cases.filter((c) => c.api === own.api && c.steps.some((step) => step.request.body?.stream === true));
      // A fault on a request body hits every case that sends that body (the OpenAI-Project case sends the probe's).
      const body = 'bodyIncludes' in row.fault ? row.fault.bodyIncludes : undefined;
      return body ? suites.cases.filter((c) => c === own || c.steps.some((step) => JSON.stringify(step.request.body ?? {}).includes(body))) : [own];
    };
    const readers = (row: Row) => [...faultedCases(row).flatMap((c) => c.checks), ...faulty.checks.filter((c) => c.id.startsWith('schema.')).map((c) => c.id)];
    const faultedCells = new Set(ROWS.flatMap((r) => readers(r).map((check) => `${r.model} ${check}`)));
    const changed = faulty.results
      .filter((r) => !faultedCells.has(`${r.model} ${r.check}`))
      .filter((r) => {
        const before = find(clean, r.model, r.check);
        return before.status !== r.status || before.observed !== r.observed;
      })
      .map((r) => `${r.model} ${r.check}: ${r.status} ${String(r.observed)} (${r.reason})`);
    expect(changed).toEqual([]);
  });
});

interface StandIn {
  model: string;
  status: number;
  type: string;
  body: string;
  /** Answer only the first `times` requests of the model so, then pass them through. @default every one */
  times?: number;
  result: MatrixResult['status'];
  reason: RegExp;
}

const STAND_INS: StandIn[] = [
  { model: 'qwen.qwen3-32b', status: 408, type: 'text/plain', body: 'Request Timeout', result: 'error', reason: /HARNESS_TIMEOUT: the endpoint answered 408 .*\(after 3 attempts\)/ },
  { model: 'qwen.qwen3-coder-next', status: 408, type: 'text/plain', body: 'Request Timeout', times: 1, result: 'pass', reason: /supported/ },
  { model: 'deepseek.v3.1', status: 200, type: 'text/html', body: '<html><body><h1>Down for maintenance</h1></body></html>', result: 'error', reason: /HARNESS_SERVER_ERROR: the endpoint answered 200 with an HTML page \(Down for maintenance\).*\(after 3 attempts\)/ },
  { model: 'deepseek.v3.2', status: 200, type: 'application/json', body: '', times: 2, result: 'pass', reason: /supported/ },
  { model: 'zai.glm-5', status: 200, type: 'application/json', body: '{"error":{"message":"upstream connect error or disconnect/reset before headers","type":"server_error"}}', result: 'error', reason: /HARNESS_SERVER_ERROR: .*an error and no completion \(upstream connect error/ },
  { model: 'mistral.devstral-2-123b', status: 403, type: 'text/html', body: '<html><body>Request blocked by WAF. Reference #18.abc</body></html>', result: 'error', reason: /HARNESS_NOT_AN_ANSWER: the endpoint answered 403 with an HTML page/ },
  { model: 'mistral.magistral-small-2509', status: 413, type: 'text/html', body: '<html>413 Request Entity Too Large</html>', result: 'error', reason: /HARNESS_NOT_AN_ANSWER: the endpoint answered 413 with an HTML page/ },
  // AWS's own answer for no access: still the endpoint's answer (forbidden), which no check reads a value from; every
  // probe so answered is the model's access denied.
  { model: 'mistral.ministral-3-3b-instruct', status: 403, type: 'application/json', body: '{"message":"Forbidden"}', result: 'error', reason: /HARNESS_ACCESS_DENIED: every request for mistral\.ministral-3-3b-instruct was refused 403 \("Forbidden"\)/ },
];

describe('stand-ins from a proxy in front of the endpoint', () => {
  let matrix: Matrix;
  let code: number;
  beforeAll(async () => {
    const reports = await mkdtemp(join(tmpdir(), 'stand-ins-'));
    const emulator = await catalogEmulator();
    const left = new Map(STAND_INS.map((s) => [s.model, s.times ?? Infinity]));
    const proxy = await startProxy(emulator.url, {
      answer: (request) => {
        const model = /"model":"([^"]+)"/.exec(request.body)?.[1];
        const stand = STAND_INS.find((s) => s.model === model);
        if (!stand || request.path.endsWith('/models') || left.get(stand.model)! <= 0) return undefined;
        left.set(stand.model, left.get(stand.model)! - 1);
        return { status: stand.status, headers: { 'content-type': stand.type }, body: stand.body };
      },
    });
    try {
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', proxy.url, '--models', STAND_INS.map((s) => s.model).join(','), '--checks', 'api.chat-completions,created-at.chat', '--report-dir', reports, '--retries', '2', '--retry-delay', '1', '--plain']);
      code = run.code;
      matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    } finally {
      await proxy.close();
      await emulator.close();
      await rm(reports, { recursive: true, force: true });
    }
  }, 120_000);

  it('the run fails its gate: nothing a stand-in said passes', () => {
    expect(code).toBe(1);
  });

  it.each(STAND_INS)('$status $type on $model: api.chat-completions is $result', ({ model, result, reason }) => {
    const cell = find(matrix, model, 'api.chat-completions');
    expect(cell.status, cell.reason).toBe(result);
    expect(cell.reason).toMatch(reason);
    if (result === 'error') expect(find(matrix, model, 'created-at.chat').status).toBe('error');
  });
});
