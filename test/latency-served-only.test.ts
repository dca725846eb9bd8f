/**
 * Latency is the time an API took to serve the model: the refusals of the probes of APIs a model does not serve
 * (Claude on Chat Completions) are not its latency, and a capability table must not print them beside "no".
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-latency-served-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('totals.latency and the capability table time only the APIs that answered the model (2xx)', async () => {
  const reports = join(dir, 'reports');
  expect((await cli(['run', '--quiet', '--targets', 'mantle:emulator', '--models', 'anthropic.claude-opus-4-7', '--checks', 'api.*,answer.non-empty', '--report-dir', reports])).code).toBe(0);
  const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { totals: { latency?: Record<string, Record<string, unknown>> } };
  const apis = Object.keys(matrix.totals.latency?.['emulator/anthropic.claude-opus-4-7'] ?? {});
  expect(apis).toContain('messages');
  expect(apis).not.toContain('chat-completions');
  expect(apis).not.toContain('responses');
  const table = await cli(['table', join(reports, 'matrix.json')]);
  const row = table.stdout.split('\n').find((line) => line.includes('`anthropic.claude-opus-4-7`'));
  expect(row).toBeDefined();
  expect(row).toMatch(/messages \d+\/\d+ ms/);
  expect(row).not.toMatch(/chat-completions \d+/);
});
