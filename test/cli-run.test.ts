/**
 * The whole pipeline through the CLI, as a user runs it: replay of the bundled recordings, live against any
 * OpenAI-compatible server on loopback (models the harness has never seen), record with a planted key, the gate,
 * and a bad key stopping the run with exit 2.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { MATRIX_FORMAT, type Matrix } from '../src/report/matrix.ts';
import { expiringProxy } from './helpers/expiring-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const ISSUE_CHECKS = [
  'path-prefix', 'api.chat-completions', 'api.responses', 'api.messages', 'api.count-tokens', 'created-at.chat', 'created-at.responses',
  'content.array.chat', 'content.array.responses', 'defaults.temperature', 'defaults.top-p', 'defaults.max-output-tokens',
  'stream.chat-completions', 'stream.responses', 'stream.messages',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function matrixIn(reportDir: string): Promise<Matrix> {
  return JSON.parse(await readFile(join(reportDir, 'matrix.json'), 'utf8')) as Matrix;
}

const result = (matrix: Matrix, model: string, check: string) => matrix.results.find((r) => r.model === model && r.check === check)!;

describe('replay (the default)', () => {
  it('replays the bundled recordings into matrix.json and matrix.md and exits 0', async () => {
    const reports = join(dir, 'replay');
    const run = await cli(['run', '--models', 'xai.grok-4.3,openai.gpt-oss-120b,anthropic.claude-opus-4-7', '--report-dir', reports, '--plain']);
    expect(run.code, run.stderr).toBe(0);
    const matrix = await matrixIn(reports);
    expect(matrix.format).toBe(MATRIX_FORMAT);
    expect(matrix.targets[0]).toMatchObject({ id: 'emulator', mode: 'replay', provenance: { sources: ['emulator'] } });
    expect(matrix.checks.map((c) => c.id)).toEqual(expect.arrayContaining(ISSUE_CHECKS));
    expect(result(matrix, 'openai.gpt-oss-120b', 'created-at.responses')).toMatchObject({ status: 'pass', observed: 'exponent', expected: 'exponent' });
    expect(result(matrix, 'xai.grok-4.3', 'created-at.responses')).toMatchObject({ status: 'pass', observed: 'integer' });
    expect(result(matrix, 'xai.grok-4.3', 'path-prefix')).toMatchObject({ status: 'pass', observed: '/openai/v1' });
    expect(result(matrix, 'anthropic.claude-opus-4-7', 'created-at.chat')).toMatchObject({ status: 'unsupported' });
    const markdown = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(markdown).toContain('replay of recordings of the local Mantle emulator');
    expect(markdown).toContain('**runtime.emulator**: replay of recordings of the local emulator of bedrock-runtime');
    expect(markdown).toMatch(/\| `xai\.grok-4\.3` \| ✓ \/openai\/v1 \|/);
    expect(run.stdout).toContain('gate: pass (exit 0)');
  });

  it.each([['errors.*'], ['models.*,headers.*'], ['api.responses-compact'], ['api.messages']])('a replay filtered to %s passes the gate: what it observed is what was asked', async (checks) => {
    const reports = join(dir, `filtered-${checks.replace(/[^a-z]/g, '')}`);
    const run = await cli(['run', '--models', 'openai.gpt-oss-120b,anthropic.claude-opus-4-7', '--checks', checks, '--report-dir', reports, '--plain']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('gate: pass (exit 0)');
  });
});

describe('live against a local OpenAI-compatible server', () => {
  let server: RunningEmulator;
  const KEY = 'bedrock-api-key-PLANTEDcanary0123456789';
  beforeAll(async () => {
    server = await catalogEmulator(
      { 'acme.widget-1': { createdAt: { chat: 'exponent' } }, 'acme.gadget-2': { prefixes: ['/openai/v1'], apis: ['responses'] } },
      { apiKey: KEY, unknownModels: 'generic' },
    );
  });
  afterAll(() => server.close());

  it('observes models it has never seen, with the key from AWS_BEARER_TOKEN_BEDROCK', async () => {
    const reports = join(dir, 'live');
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'acme.widget-1,acme.gadget-2', '--report-dir', reports, '--plain'], { AWS_BEARER_TOKEN_BEDROCK: KEY });
    expect(run.code, run.stderr).toBe(0);
    const matrix = await matrixIn(reports);
    expect(matrix.models.map((m) => [m.id, m.inCatalog])).toEqual([['acme.widget-1', false], ['acme.gadget-2', false]]);
    expect(result(matrix, 'acme.widget-1', 'path-prefix').observed).toBe('/v1');
    expect(result(matrix, 'acme.widget-1', 'api.responses').observed).toBe('supported');
    expect(result(matrix, 'acme.widget-1', 'api.messages').observed).toBe('unsupported');
    expect(result(matrix, 'acme.widget-1', 'created-at.chat')).toMatchObject({ observed: 'exponent', status: 'fail', expected: null, gating: false });
    expect(result(matrix, 'acme.widget-1', 'defaults.temperature')).toMatchObject({ observed: 1, expected: null, status: 'pass' });
    expect(result(matrix, 'acme.gadget-2', 'path-prefix').observed).toBe('/openai/v1');
    expect(result(matrix, 'acme.gadget-2', 'api.chat-completions').observed).toBe('unsupported');
    expect(result(matrix, 'acme.gadget-2', 'created-at.responses').observed).toBe('integer');
    expect(result(matrix, 'acme.gadget-2', 'stream.chat-completions').status).toBe('unsupported');
    expect(JSON.stringify(matrix)).not.toContain(KEY);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('records fixtures that never contain the planted key', async () => {
    const fixtures = join(dir, 'recorded');
    const run = await cli(
      ['run', '--mode', 'record', '--endpoint', server.url, '--target-name', 'local', '--models', 'acme.widget-1', '--fixtures', fixtures, '--report-dir', join(dir, 'rec-reports'), '--plain'],
      { AWS_BEARER_TOKEN_BEDROCK: KEY },
    );
    expect(run.code, run.stderr).toBe(0);
    const files = await readdir(join(fixtures, 'local', 'acme.widget-1'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(join(fixtures, 'local', 'acme.widget-1', file), 'utf8');
      expect(text).not.toContain(KEY);
      expect(text).not.toMatch(/authorization/i);
    }
    const replay = await cli(['run', '--fixtures', fixtures, '--target-name', 'local', '--models', 'acme.widget-1', '--report-dir', join(dir, 'rep-reports'), '--plain']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(result(await matrixIn(join(dir, 'rep-reports')), 'acme.widget-1', 'created-at.chat').observed).toBe('exponent');
  });

  it('stops with exit 2 and a clear message on a bad key, sending nothing else', async () => {
    const before = server.stats.requests;
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'acme.widget-1', '--report-dir', join(dir, 'bad-key')], { AWS_BEARER_TOKEN_BEDROCK: 'wrong-key-123456789' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED: .* rejected the credentials: GET \/v1\/models answered 401 Invalid API key provided\..*AWS_BEARER_TOKEN_BEDROCK/);
    expect(server.stats.requests - before).toBe(1);
  });
});

describe('a job summary file that cannot be written', () => {
  it("is a warning naming it, and the exit code stays the gate's (it was exit 3, a bug)", async () => {
    const run = await cli(['run', '--models', 'xai.grok-4.3', '--checks', 'path-prefix', '--report-dir', join(dir, 'summary-blocked'), '--quiet'], { GITHUB_STEP_SUMMARY: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: cannot write the GITHUB_STEP_SUMMARY file ${dir} (EISDIR)`);
  });
});

describe('credentials rejected in the middle of a run', () => {
  it('stops with exit 2 and still writes the job summary, saying the run stopped', async () => {
    const upstream = await catalogEmulator({}, { apiKey: 'k-0123456789' });
    const proxy = await expiringProxy(upstream.url);
    try {
      const summary = join(dir, 'mid-run-summary.md');
      const run = await cli(['run', '--mode', 'live', '--endpoint', proxy.url, '--models', 'xai.grok-4.3', '--retries', '0', '--report-dir', join(dir, 'mid-run'), '--plain'], { AWS_BEARER_TOKEN_BEDROCK: 'k-0123456789', GITHUB_STEP_SUMMARY: summary });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('HARNESS_AUTH_REJECTED');
      const written = await readFile(summary, 'utf8');
      expect(written).toMatch(/fail \(exit 1\)|partial/);
      expect(written).toContain('security token included in the request is expired');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('the gate', () => {
  it('exits 1 when a catalog model deviates from its stated expectation, and names it', async () => {
    const server = await catalogEmulator({ 'xai.grok-4.3': { defaults: { temperature: 1 } } }, { apiKey: 'k-0123456789' });
    try {
      const reports = join(dir, 'gate');
      const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--models', 'xai.grok-4.3', '--report-dir', reports, '--plain'], { AWS_BEARER_TOKEN_BEDROCK: 'k-0123456789' });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/gating: xai\.grok-4\.3 defaults\.temperature .*expected 0\.7, got 1/);
      expect(run.stdout).toMatch(/^gate: fail \(exit 1\): 1 result\(s\) do not meet their stated expectation: 1 fail$/m);
      const matrix = await matrixIn(reports);
      expect(matrix.gate.exitCode).toBe(1);
      expect(matrix.gate.gating.map((g) => g.check)).toEqual(['defaults.temperature']);
    } finally {
      await server.close();
    }
  });
});
