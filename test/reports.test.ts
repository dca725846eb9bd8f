/**
 * The report formats from real runs: JUnit XML parses and has one testcase per model x check; several regions in
 * one run get a column set each; the capability table carries provenance per cell and notes where regions differ.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapabilityTable } from '../src/report/capability-table.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reports-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('JUnit XML', () => {
  it('parses, with one testcase per model x check', async () => {
    const reports = join(dir, 'junit');
    // A model of each API family, one whose trials disagree (flaky) and ones whose cells are inconclusive: every kind
    // of JUnit testcase, without replaying the whole catalog.
    const models = 'anthropic.claude-opus-4-7,openai.gpt-oss-20b,openai.gpt-5.6-sol,google.gemma-4-31b,qwen.qwen3-32b,xai.grok-4.3';
    expect((await cli(['run', '--models', models, '--report-dir', reports, '--quiet'])).code).toBe(0);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const xml = await readFile(join(reports, 'junit.xml'), 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: Record<string, unknown> & { testsuite: { testcase: unknown }[] } };
    const cases = parsed.testsuites.testsuite.flatMap((s) => [s.testcase].flat()) as Record<string, unknown>[];
    expect(cases).toHaveLength(matrix.targets.length * matrix.models.length * matrix.checks.length);
    expect(new Set(cases.map((c) => `${String(c['@_classname'])}/${String(c['@_name'])}`)).size).toBe(cases.length);
    expect(Number(parsed.testsuites['@_tests'])).toBe(cases.length);
    // Inconclusive cells (a model that did not reason where a stream check looks for reasoning) are skipped too, and so
    // are flaky or failing cells that do not gate (gpt-oss-20b's trials disagree): only a pass is a passing testcase.
    const notGating = matrix.results.filter((r) => (r.status === 'flaky' || r.status === 'fail') && !r.gating).length;
    expect(notGating).toBeGreaterThan(0);
    expect(Number(parsed.testsuites['@_skipped'])).toBe(matrix.totals.byStatus.unsupported + matrix.totals.byStatus.skipped + matrix.totals.byStatus.inconclusive + notGating);
  });
});

describe('several regions', () => {
  const MODELS = ['xai.grok-4.3', 'qwen.qwen3-32b'];
  let fixtures: string;
  beforeAll(async () => {
    fixtures = join(dir, 'fixtures');
    // Only the two models these runs name: the whole target is 2,500 files a copy.
    for (const region of ['us-east-1', 'us-west-2']) {
      for (const model of MODELS) await cp(join(ROOT, 'fixtures', 'emulator', model), join(fixtures, region, model), { recursive: true });
    }
  });

  it('--region a,b runs each region as its own column set', async () => {
    const reports = join(dir, 'regions');
    const result = await cli(['run', '--fixtures', fixtures, '--region', 'us-east-1,us-west-2', '--models', MODELS.join(','), '--report-dir', reports, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.targets.map((t) => [t.id, t.region])).toEqual([['us-east-1', 'us-east-1'], ['us-west-2', 'us-west-2']]);
    expect(matrix.results).toHaveLength(2 * 2 * matrix.checks.length);
    const markdown = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(markdown).toContain('## us-east-1');
    expect(markdown).toContain('## us-west-2');
    expect(await readFile(join(reports, 'matrix.html'), 'utf8')).toContain('<select id="f-target">');
  });

  it('the capability table merges regions, with provenance per cell and notes where they differ', async () => {
    const east = join(dir, 'east');
    const west = join(dir, 'west');
    expect((await cli(['run', '--fixtures', fixtures, '--region', 'us-east-1', '--models', MODELS.join(','), '--report-dir', east, '--quiet'])).code).toBe(0);
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { apis: ['responses'] } }, { apiKey: 'tab-key-0123456789' });
    try {
      const result = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--region', 'us-west-2', '--models', MODELS.join(','), '--report-dir', west, '--quiet'], {
        AWS_BEARER_TOKEN_BEDROCK: 'tab-key-0123456789',
      });
      expect(result.code).toBe(1);
    } finally {
      await emulator.close();
    }
    const json = await cli(['table', join(east, 'matrix.json'), join(west, 'matrix.json'), '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const table = JSON.parse(json.stdout) as CapabilityTable;
    const grok = table.rows.find((r) => r.model === 'xai.grok-4.3')!;
    expect(grok.cells['Chat Completions']).toMatchObject({ value: 'partial', notes: expect.arrayContaining(['yes in us-east-1', 'no in us-west-2']) });
    expect(grok.cells['Chat Completions']!.provenance).toEqual([expect.stringMatching(/^us-east-1 \d{4}-\d\d-\d\d emulator$/), expect.stringMatching(/^us-west-2 \d{4}-\d\d-\d\d live$/)]);
    // A cell measured in both regions carries both provenances.
    expect(grok.cells.Messages!.provenance).toHaveLength(2);
    expect(grok.cells.Responses).toMatchObject({ value: 'partial', notes: expect.arrayContaining(['no input_items']) });
    expect(table.rows.find((r) => r.model === 'qwen.qwen3-32b')!.cells['Chat Completions']!.value).toBe('yes');
    const markdown = await cli(['table', join(east, 'matrix.json'), join(west, 'matrix.json')]);
    expect(markdown.stdout).toMatch(/^\| model \| surface \| Route prefix \| Chat Completions \|/);
    // The usual provenance (both regions) is said once, under the table; only a cell measured in one region only
    // (not conclusive in the other) carries a footnote.
    expect(markdown.stdout).toMatch(/(Unless marked, every|Every) cell comes from: us-east-1 \d{4}-\d\d-\d\d emulator \+ us-west-2 \d{4}-\d\d-\d\d live\./);
    const marks = markdown.stdout.split('\n').filter((l) => l.startsWith('| `')).join('').match(/<sup>/g) ?? [];
    expect(marks.length).toBeLessThan(4);
    for (const note of markdown.stdout.match(/^<sup>\w+<\/sup> .*$/gm) ?? []) expect(note).toMatch(/^<sup>\w+<\/sup> us-(east-1|west-2) \d{4}-\d\d-\d\d (emulator|live)$/);
    const csv = await cli(['table', join(east, 'matrix.json'), '--format', 'csv']);
    const rows = csv.stdout.trim().split('\n');
    // The run now measures latency (totals.latency, here the recording's), so the grid has its column.
    expect(rows[0]).toBe('model,family,surface,Route prefix,Chat Completions,Responses,Messages,count_tokens,Tool calling,Streaming tool calls,Structured output,Images,Prompt caching,Service tiers,Reasoning effort,"n, logprobs, stop","Strict SDKs (.NET, Go)",latency p50/p95,provenance');
    expect(rows).toHaveLength(3);
    expect(csv.stdout).toMatch(/^qwen\.qwen3-32b,qwen,mantle,yes: \/v1,yes,no,no,no,.*,us-east-1 \d{4}-\d\d-\d\d emulator$/m);
    const long = await cli(['table', join(east, 'matrix.json'), '--format', 'csv', '--long']);
    expect(long.stdout.split('\n')[0]).toBe('model,surface,capability,value,notes,provenance');
    expect(long.stdout).toMatch(/^qwen\.qwen3-32b,mantle,Chat Completions,yes,,us-east-1 \d{4}-\d\d-\d\d emulator$/m);
  });
});

describe('capability table provenance', () => {
  it('marks a row from another run once, on its surface, and names a place without repeating its source', async () => {
    const { tableMarkdown } = await import('../src/report/capability-formats.ts');
    const { provenanceOf } = await import('../src/report/capability-table.ts');
    const target = (id: string, date: string) => ({ id, mode: 'replay', provenance: { recordedTo: `${date}T10:00:00Z`, sources: ['emulator'] } });
    const matrix = { run: { finishedAt: '2026-12-03T12:00:00Z' }, targets: [target('emulator', '2026-12-01'), target('runtime.emulator', '2026-12-02')] } as unknown as Matrix;
    expect(provenanceOf(matrix, 'emulator')).toBe('emulator 2026-12-01');
    expect(provenanceOf(matrix, 'runtime.emulator')).toBe('runtime.emulator 2026-12-02');
    const cell = (provenance: string[]) => ({ value: 'yes' as const, notes: [], provenance });
    const mantle = ['emulator 2026-12-01'];
    const runtime = ['runtime.emulator 2026-12-02'];
    const table: CapabilityTable = {
      capabilities: ['A', 'B'],
      rows: [
        { model: 'm1', family: null, surface: 'mantle', cells: { A: cell(mantle), B: cell(mantle) } },
        { model: 'm2', family: null, surface: 'mantle', cells: { A: cell(mantle), B: cell(mantle) } },
        { model: 'm1', family: null, surface: 'runtime', cells: { A: cell(runtime), B: cell(runtime) } },
        { model: 'm3', family: null, surface: 'mantle', cells: { A: cell(mantle), B: cell(runtime) } },
      ],
    };
    const lines = tableMarkdown(table).split('\n');
    expect(lines.find((l) => l.startsWith('| `m1` | runtime'))).toBe('| `m1` | runtime <sup>a</sup> | yes | yes |');
    expect(lines.find((l) => l.startsWith('| `m3`'))).toBe('| `m3` | mantle | yes | yes <sup>a</sup> |');
    expect(lines).toContain('Unless marked, every cell comes from: emulator 2026-12-01.');
    expect(lines).toContain('<sup>a</sup> runtime.emulator 2026-12-02');
  });
});
