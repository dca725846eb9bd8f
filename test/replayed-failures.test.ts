/**
 * A failure a recording holds (a record run keeps the outage of a case it had no recording of, so that replay shows
 * the same error) replays with the live run's advice in its message: "raise that budget ... or use another key",
 * "raise --timeout". A replay cannot change it: the cell and the gate say the recording holds it, and to record again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateOf } from '../src/report/gate.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const SPENT = JSON.stringify({ error: { message: 'Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', type: 'budget_exceeded', param: null, code: '400' } });

let dir: string;
let gateway: Server;
let url: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replayed-failures-'));
  // A LiteLLM-like gateway whose key's budget is spent: every model request is refused.
  gateway = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(SPENT);
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => gateway.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const read = async (folder: string) => JSON.parse(await readFile(join(dir, folder, 'matrix.json'), 'utf8')) as Matrix;

describe('a recorded failure, replayed', () => {
  it('keeps its code, says the recording holds it, and the gate says to record again, not to raise the budget', async () => {
    const fixtures = join(dir, 'fixtures');
    const env = { AWS_BEARER_TOKEN_BEDROCK: 'replayed-failures-key-0123' };
    const recorded = await cli(['run', '--mode', 'record', '--endpoint', url, '--target-name', 'gw', '--models', 'm1', '--checks', 'path-prefix,created-at.chat', '--fixtures', fixtures, '--report-dir', join(dir, 'record'), '--quiet'], env);
    expect(recorded.code, recorded.stderr).toBe(1);
    const live = await read('record');
    expect(live.gate!.problems.find((p) => p.kind === 'budget-exceeded')!.message).toMatch(/raise it or wait for its reset, or use another key, and run again$/);
    expect(live.results.every((r) => !r.reason.includes('[replayed'))).toBe(true);

    const replayed = await cli(['run', '--fixtures', fixtures, '--models', 'm1', '--checks', 'path-prefix,created-at.chat', '--report-dir', join(dir, 'replay'), '--quiet']);
    expect(replayed.code, replayed.stderr).toBe(1);
    const matrix = await read('replay');
    const cell = matrix.results.find((r) => r.check === 'created-at.chat')!;
    expect(cell.status).toBe('error');
    // The note first: a long message is cut in the reports, and the note is what the cell is read by.
    expect(cell.reason).toMatch(/^HARNESS_BUDGET_EXCEEDED: \[replayed: the recording of \d{4}-\d{2}-\d{2} holds this failure; record the case again with --mode record to observe it\] POST /);
    const problem = matrix.gate!.problems.find((p) => p.kind === 'budget-exceeded')!;
    expect(problem.message).toMatch(/: the recordings hold the refusal: record them again \(--mode record\) once the budget allows$/);
    expect(replayed.stdout + replayed.stderr).not.toContain('and run again');
  });

  it('a spent budget an older version recorded as the gateway\'s answer replays as this version reads it live', async () => {
    // What an older version wrote: the gateway's 400 as the answer, with no error of its own; or its 429 (LiteLLM
    // answers a budget so too) retried as a throttle, with the error of that reading over it.
    for (const status of [400, 429]) {
      const older = join(dir, `older-${status}`);
      await cp(join(dir, 'fixtures'), older, { recursive: true });
      for (const entry of await readdir(older, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
        const file = join(entry.parentPath, entry.name);
        const fixture = JSON.parse(await readFile(file, 'utf8')) as { exchanges: { error: unknown; response: { status: number } }[] };
        for (const exchange of fixture.exchanges) {
          expect(exchange.response).not.toBeNull();
          exchange.response.status = status;
          exchange.error = status === 429 ? { code: 'HARNESS_THROTTLED', message: 'still throttled (429) after 2 attempt(s); lower --concurrency or set --tpm' } : null;
        }
        await writeFile(file, JSON.stringify(fixture, null, 2));
      }
      const replayed = await cli(['run', '--fixtures', older, '--models', 'm1', '--checks', 'path-prefix,created-at.chat', '--report-dir', join(dir, `older-replay-${status}`), '--quiet']);
      expect(replayed.code, replayed.stderr).toBe(1);
      const matrix = await read(`older-replay-${status}`);
      const cell = matrix.results.find((r) => r.check === 'created-at.chat')!;
      expect(cell.reason).toMatch(new RegExp(`^HARNESS_BUDGET_EXCEEDED: POST /v1/chat/completions answered ${status}: .*the recording holds the refusal: record the case again with --mode record once the budget allows$`));
      expect(matrix.gate!.problems.map((p) => p.kind)).toContain('budget-exceeded');
    }
  });

  it('the gate keeps the live advice on a live target', () => {
    const cells = [
      { model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error' as const, observed: null, reason: 'HARNESS_BUDGET_EXCEEDED: spent' },
      { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'error' as const, observed: null, reason: 'HARNESS_BUDGET_EXCEEDED: spent' },
    ];
    const replay = smallMatrix(cells);
    expect(gateOf(replay).problems[0]!.message).toContain('record them again');
    const live = smallMatrix(cells);
    live.targets[0]!.mode = 'live';
    expect(gateOf(live).problems[0]!.message).toContain('and run again');
  });
});
