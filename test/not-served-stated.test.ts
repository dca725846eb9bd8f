/**
 * A value the expectations file states for a check whose API the model does not serve here (the cell reads n/a,
 * `unsupported`) was never observed: it gates, as an error does, and every report says so; bless does not call it a
 * match. The catalog's and the reference's values on n/a cells stay informational.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGating } from '../src/report/build-matrix.ts';
import { gateLine } from '../src/report/gate-line.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-not-served-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const NOT_SERVED = { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'unsupported' as const, observed: null, reason: 'the model does not serve this API (404 route-unsupported)' };

describe('an n/a cell with a stated expectation', () => {
  it('gates against an entry of the expectations file (model-wide or a target\'s), never against the catalog or the reference', () => {
    expect(isGating({ status: 'unsupported', expected: 'conformant', expectedSource: 'expectations: clients depend on it' })).toBe(true);
    expect(isGating({ status: 'unsupported', expected: 'conformant', expectedSource: 'expectations (us-west-2): accepted' })).toBe(true);
    expect(isGating({ status: 'unsupported', expected: 'integer', expectedSource: 'openai-reference: created is Unix seconds' })).toBe(false);
    expect(isGating({ status: 'unsupported', expected: 'rejected', expectedSource: 'catalog: mantle-md/api-table' })).toBe(false);
    expect(isGating({ status: 'unsupported', expected: null, expectedSource: null })).toBe(false);
  });

  it('fails the gate, says why in its reason, the gate line and junit.xml', () => {
    const matrix = smallMatrix([{ ...NOT_SERVED, expected: 'integer', expectedSource: 'expectations: our gateway serves chat' }]);
    expect(matrix.gate.verdict).toBe('fail');
    expect(matrix.gate.exitCode).toBe(1);
    const cell = matrix.results.find((r) => r.model === NOT_SERVED.model && r.check === NOT_SERVED.check)!;
    expect(cell.gating).toBe(true);
    expect(cell.status).toBe('unsupported');
    expect(cell.reason).toBe('not observed: the expectations file states "integer", and the model does not serve this check\'s API here (the model does not serve this API (404 route-unsupported))');
    expect(gateLine(matrix.gate)).toBe('fail (exit 1): 1 result(s) do not meet their stated expectation: 1 not observed (n/a: the model does not serve the API the expectations file states a value for)');
    const junit = renderJunit(matrix);
    expect(junit).toMatch(/<testcase classname="emulator\.xai\.grok-4\.3" name="created-at\.chat" time="0">\s*<error /);
  });

  it('of the reference alone stays informational: the gate passes, the reason is the check\'s', () => {
    const matrix = smallMatrix([{ ...NOT_SERVED, expected: 'integer', expectedSource: 'openai-reference: x' }]);
    expect(matrix.gate.verdict).toBe('pass');
    expect(matrix.results.find((r) => r.check === NOT_SERVED.check && r.model === NOT_SERVED.model)!.reason).toBe(NOT_SERVED.reason);
  });

  it('is not blessed, and bless does not call the file a match of every observation', async () => {
    const input = join(dir, 'matrix.json');
    await writeFile(input, JSON.stringify(smallMatrix([{ ...NOT_SERVED, expected: 'integer', expectedSource: 'expectations: our gateway serves chat' }])));
    const file = join(dir, 'expectations.yaml');
    const text = 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: { observed: integer, reason: our gateway serves chat }\n';
    await writeFile(file, text);
    const bless = await cli(['bless', input, '--expectations', file]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).not.toContain('every observation');
    expect(bless.stdout).toContain('but not every cell was observed');
    expect(bless.stdout).toContain('not blessed: 1 cell(s) the expectations file states a value for, whose API the model does not serve here (n/a: nothing was observed, so the stated value neither holds nor changes): xai.grok-4.3 created-at.chat (emulator)');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('a replay run with an expectations entry on an API the catalog says the model does not serve', () => {
  it('fails the gate (exit 1) where it passed, naming the cell', async () => {
    const file = join(dir, 'uns.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    stream.messages: { observed: conformant, reason: we think it streams messages }\n');
    const run = await cli(['run', '--models', 'openai.gpt-oss-20b', '--checks', 'stream.messages', '--targets', 'mantle:emulator', '--expectations', file, '--report-dir', join(dir, 'r-uns'), '--plain']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain('gating: openai.gpt-oss-20b stream.messages (emulator): not observed: the expectations file states "conformant"');
    const matrix = JSON.parse(await readFile(join(dir, 'r-uns', 'matrix.json'), 'utf8')) as { gate: { gating: { check: string; status: string }[] } };
    expect(matrix.gate.gating).toEqual([expect.objectContaining({ check: 'stream.messages', status: 'unsupported' })]);
  });
});
