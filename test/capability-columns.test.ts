/**
 * A capability table a docs team can publish (issue 10 item 6): the route column names the route that serves each
 * model (/anthropic/v1 included), tool calling, streamed tool calls, structured output, images, caching and
 * service tiers have columns filled for Claude too, "n/a" where the model does not serve the API a capability
 * needs, and "?" only where nothing was measured.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableCsv, tableMarkdown } from '../src/report/capability-formats.ts';
import { buildCapabilityTable, type CapabilityTable } from '../src/report/capability-table.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const CLAUDE = ['anthropic.claude-opus-4-7', 'anthropic.claude-opus-4-8'];

describe('the capability table of the bundled run', () => {
  let dir: string;
  let table: CapabilityTable;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capabilities-'));
    const run = await cli(['run', '--models', [...CLAUDE, 'xai.grok-4.3', 'openai.gpt-oss-20b', 'qwen.qwen3-vl-235b-a22b-instruct'].join(','), '--report-dir', dir, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    table = buildCapabilityTable([JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const cell = (model: string, capability: string) => table.rows.find((r) => r.model === model)!.cells[capability]!;

  it('has the agentic columns', () => {
    expect(table.capabilities).toEqual(expect.arrayContaining(['Route prefix', 'Tool calling', 'Streaming tool calls', 'Structured output', 'Images', 'Prompt caching', 'Service tiers']));
  });

  it.each(CLAUDE)('has no "?" for %s, and its route is /anthropic/v1', (model) => {
    for (const capability of table.capabilities) expect(cell(model, capability).value, `${model} ${capability}`).not.toBe('unknown');
    expect(cell(model, 'Route prefix')).toMatchObject({ value: 'yes', notes: ['/anthropic/v1'] });
    for (const capability of ['Tool calling', 'Streaming tool calls', 'Structured output', 'Images', 'Prompt caching']) expect(cell(model, capability).value, capability).toBe('yes');
    // Chat-only capabilities are not "?" for a model that serves no chat: the API is not there.
    expect(cell(model, 'n, logprobs, stop').value).toBe('n/a');
    expect(cell(model, 'Service tiers').value).toBe('n/a');
    expect(tableMarkdown(table)).toContain('"n/a" means the model does not serve the API');
  });

  it('reads images and service tiers for the models that have them, and says what the others do', () => {
    expect(cell('xai.grok-4.3', 'Images').value).toBe('yes');
    expect(cell('xai.grok-4.3', 'Service tiers')).toMatchObject({ value: 'yes', notes: ['priority, flex'] });
    expect(cell('qwen.qwen3-vl-235b-a22b-instruct', 'Images').value).toBe('yes');
    expect(cell('openai.gpt-oss-20b', 'Images')).toMatchObject({ value: 'no', notes: ['rejected on chat, Responses'] });
    expect(cell('openai.gpt-oss-20b', 'Service tiers')).toMatchObject({ value: 'no', notes: ['priority, flex ignored on chat, Responses'] });
    expect(cell('openai.gpt-oss-20b', 'Route prefix')).toMatchObject({ value: 'yes', notes: ['/v1'] });
    expect(cell('openai.gpt-oss-20b', 'Prompt caching').value).toBe('n/a');
  });
});

describe('capability columns read the results', () => {
  /** A one-model matrix with these results added (the small matrix holds only three checks of its own). */
  const table = (cells: { check: string; status: MatrixResult['status']; observed: MatrixResult['observed'] }[]) => {
    const matrix = smallMatrix([], ['m.one']);
    matrix.results = [...matrix.results.filter((r) => r.check !== 'path-prefix'), ...cells.map((c) => ({ ...matrix.results[0]!, ...c, expected: null, expectedSource: null }))];
    return buildCapabilityTable([matrix]).rows[0]!.cells;
  };

  it('a feature not measured at all is "?", one whose API is not served is "n/a"', () => {
    expect(table([])['Tool calling']!.value).toBe('unknown');
    const tools = ['chat', 'responses', 'messages'].flatMap((api) => [`tools.${api}.forced-call`, `tools.${api}.result-turn`]);
    // One of them not run (filtered out): nothing can be said.
    expect(table(tools.slice(1).map((check) => ({ check, status: 'unsupported' as const, observed: null })))['Tool calling']!.value).toBe('unknown');
    const unserved = table(tools.map((check) => ({ check, status: 'unsupported', observed: null })));
    expect(unserved['Tool calling']!.value).toBe('n/a');
    expect(tableCsv({ capabilities: ['Tool calling'], rows: [{ model: 'm.one', family: null, surface: 'mantle', cells: unserved }] })).toContain('m.one,,mantle,n/a,');
  });

  it('CSV: a cell a spreadsheet would read as a formula, after a line break too, starts with a quote (OWASP)', () => {
    const cells = (notes: string) => ({ 'Tool calling': { value: 'partial' as const, notes: [], provenance: [notes] } });
    const csv = (first: string) => tableCsv({ capabilities: ['Tool calling'], rows: [{ model: 'm.one', family: null, surface: 'mantle', cells: cells(first) }] }, { long: true });
    for (const start of ['=', '+', '-', '@', '\t', '\r', '\n', '\r\n']) expect(csv(`${start}=cmd|' /C calc'!A0`)).toContain(`,"'${start}=cmd|' /C calc'!A0"\n`);
    expect(csv('emulator, 2026-11-24 (replay)')).toContain(',"emulator, 2026-11-24 (replay)"\n');
  });

  it('a streamed call that breaks a rule makes the column partial, naming the check', () => {
    const cells = table([
      { check: 'tools.chat.stream-call', status: 'pass', observed: 'conformant' },
      { check: 'tools.responses.stream-call', status: 'fail', observed: 'bad-stream' },
    ]);
    expect(cells['Streaming tool calls']).toMatchObject({ value: 'partial', notes: ['tools.responses.stream-call: bad-stream'] });
  });

  it('the route column lists every prefix that serves the model, /anthropic/v1 too', () => {
    const cells = table([
      { check: 'path-prefix', status: 'pass', observed: 'both' },
      { check: 'api.messages', status: 'pass', observed: 'supported' },
    ]);
    expect(cells['Route prefix']).toMatchObject({ value: 'yes', notes: ['/v1', '/openai/v1', '/anthropic/v1'] });
    const none = { check: 'path-prefix', status: 'pass' as const, observed: 'none' };
    expect(table([none, { check: 'api.messages', status: 'pass', observed: 'unsupported' }])['Route prefix']!.value).toBe('no');
    // /anthropic/v1 never probed (or the probe errored): nothing says no prefix serves it.
    expect(table([none])['Route prefix']).toMatchObject({ value: 'unknown', notes: expect.arrayContaining(['api.messages: not run']) });
  });

  it('prompt caching and images say what was seen', () => {
    expect(table([{ check: 'prompt-cache.messages', status: 'fail', observed: 'not-cached' }])['Prompt caching']!.value).toBe('no');
    const images = table([
      { check: 'images.chat', status: 'pass', observed: 'accepted' },
      { check: 'images.seen.chat', status: 'fail', observed: 'not-seen' },
      { check: 'images.responses', status: 'pass', observed: 'accepted' },
      { check: 'images.seen.responses', status: 'pass', observed: 'seen' },
    ]);
    expect(images.Images).toMatchObject({ value: 'partial', notes: ['taken but not seen on chat'] });
  });
});
