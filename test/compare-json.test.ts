/**
 * `compare --json` and `compare --by surface --json` print reasons that quote an endpoint's error body: printed into an
 * Azure Pipelines or TeamCity log, a raw `##vso[` or `##teamcity[` would be acted on anywhere in a line, and a C1
 * control or a direction override would run or reorder. Both write through `printedJson`, as `catalog diff --json`
 * and `table --format json` do; JSON reads the text back as the endpoint's. Hermetic: matrices built in memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';
import { surfaceRun } from './helpers/surface-run.ts';

const EVIL = "HTTP 400: ##vso[task.setvariable variable=PATH]/tmp/evil ##teamcity[buildStatus status='SUCCESS'] ##[error]x \u009b31m \u202eosrever";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-compare-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, matrix: Matrix): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(matrix));
  return path;
}

/** Nothing an agent or a terminal acts on: no CI command's `##`, no C1 control, no direction override. */
function expectInert(stdout: string): void {
  expect(stdout).not.toMatch(/##(vso|teamcity)?\[/i);
  expect(stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
}

/** Every string in `value`, for finding the endpoint's reason read back whole. */
const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : []);

describe('JSON that compare prints to stdout carries no CI command from the endpoint', () => {
  it('compare --json: the newer run\'s reason is escaped, and reads back as the endpoint wrote it', async () => {
    const before = smallMatrix([], undefined, undefined, { runId: 'r1' });
    const after = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'exponent', reason: EVIL }], undefined, undefined, { runId: 'r2' });
    after.run.startedAt = '2026-11-25T08:00:00.000Z';
    after.run.finishedAt = '2026-11-25T08:00:10.000Z';
    const result = await cli(['compare', await file('before', before), await file('after', after), '--json']);
    expect(result.code, result.stderr).toBe(1);
    expectInert(result.stdout);
    expect(result.stdout).toContain('\\u0023#vso[task.setvariable');
    expect(strings(JSON.parse(result.stdout)).some((s) => s.includes(EVIL))).toBe(true);
  });

  it('compare --by surface --json: the reason and evidence excerpt of a cell that differs are escaped, and read back whole', async () => {
    // created-at.chat observes `exponent` on runtime (surfaceRun): a difference the view shows with both cells.
    const evidence = [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 400, excerpt: EVIL }];
    const run = surfaceRun({ cells: [{ target: 'runtime.east', model: 'm1', check: 'created-at.chat', reason: EVIL, evidence }] });
    const result = await cli(['compare', '--by', 'surface', await file('surfaces', run), '--json']);
    expect(result.code, result.stderr).toBe(0);
    expectInert(result.stdout);
    expect(result.stdout).toContain('\\u0023#teamcity[');
    expect(strings(JSON.parse(result.stdout)).some((s) => s.includes(EVIL))).toBe(true);
  });

  it('checks --format json, which holds no endpoint text, is unchanged: every check, parseable', async () => {
    const result = await cli(['checks', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as { id: string }[];
    expect(listed.length).toBeGreaterThan(50);
    expect(result.stdout).toBe(`${JSON.stringify(listed, null, 2)}\n`);
  });
});
