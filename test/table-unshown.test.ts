/**
 * What the capability table did not say of what a run observed (review rvc, findings 2, 4 and 5): a stream an API
 * refused or cut off (`stream.*` `rejected`, `stalled`) left its column a plain `yes` or a "schema not measured"
 * note; the ids a model list held that no row shows (no usable model id) were in no note; and two shards of one run
 * given apart each said "the other shards' models are not here", a target of no cell dated `?`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardsApart } from '../src/cli/same-run-twice.ts';
import { tableMarkdown } from '../src/report/capability-formats.ts';
import { buildCapabilityTable } from '../src/report/capability-table.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { startListingServer, type ListingServer } from './helpers/listing-server.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-table-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an API whose stream check observed something other than conformant', () => {
  type Cell = { check: string; status: MatrixResult['status']; observed: MatrixResult['observed'] };
  /** One model's cells of the table, from a matrix holding these results (as capability-columns.test.ts builds it). */
  const cells = (results: Cell[]) => {
    const matrix = smallMatrix([], ['m.one']);
    matrix.results = [...matrix.results.filter((r) => r.check !== 'path-prefix'), ...results.map((c) => ({ ...matrix.results[0]!, ...c, expected: null, expectedSource: null }))];
    return buildCapabilityTable([matrix]).rows[0]!.cells;
  };
  const ok = (check: string, observed: string): Cell => ({ check, status: 'pass', observed });
  // Each API served with its own shape as it should be: only the stream check is left to say something.
  const APIS = [
    { column: 'Chat Completions', stream: 'stream.chat-completions', served: [ok('api.chat-completions', 'supported'), ok('schema.chat-completion', 'valid'), ok('schema.chat-completion-chunk', 'valid')] },
    { column: 'Responses', stream: 'stream.responses', served: [ok('api.responses', 'supported'), ok('schema.response', 'valid'), ok('schema.response-event', 'valid')] },
    {
      column: 'Messages',
      stream: 'stream.messages',
      served: [ok('api.messages', 'supported'), ok('messages.basic', 'conformant'), ok('messages.error-shape', 'anthropic'), ok('schema.anthropic-message', 'valid'), ok('schema.anthropic-event', 'valid')],
    },
  ];

  it.each(APIS)('$column: a conformant stream stays yes; refused, stalled or not conformant is partial and named', ({ column, stream, served }) => {
    expect(cells([...served, ok(stream, 'conformant')])[column]).toMatchObject({ value: 'yes', notes: [] });
    for (const [observed, note] of [['rejected', 'stream refused'], ['stalled', 'stream stalled'], ['nonconformant', 'stream not conformant']] as const) {
      expect(cells([...served, { check: stream, status: 'fail', observed }])[column], observed).toMatchObject({ value: 'partial', notes: [note] });
    }
  });

  it('a refused stream is said beside the stream schema it left unmeasured, not as that alone', () => {
    const chat = APIS[0]!;
    const cell = cells([...chat.served.slice(0, 2), { check: 'schema.chat-completion-chunk', status: 'skipped', observed: null }, { check: chat.stream, status: 'fail', observed: 'rejected' }])[chat.column]!;
    expect(cell.value).toBe('partial');
    expect(cell.notes).toEqual(['stream refused', 'schema.chat-completion-chunk: skipped, not measured']);
  });
});

describe('the ids a model list held that the harness cannot use as model ids', () => {
  let server: ListingServer;
  beforeAll(async () => {
    server = await startListingServer(() => ['ok-model', 'bad id', 'x\u001b[2Jy', '::error::pwned', 'a|b<i>c', '../up']);
  });
  afterAll(() => server.close());

  it('are a note of the table: counted, a few named, inert', async () => {
    const reports = join(dir, 'listed');
    const run = await cli(['run', '--mode', 'live', '--endpoint', server.url, '--auth', 'none', '--models', 'listed', '--checks', 'api.chat-completions', '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.targets[0]!.modelList!.unusable).toBe(5);
    const target = matrix.targets[0]!.id;
    const notes = buildCapabilityTable([matrix]).notes ?? [];
    const said = notes.filter((n) => n.includes('cannot use as model ids'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`: target ${target} listed 5 id\\(s\\) the harness cannot use as model ids \\("bad id", "x\\\\u001b\\[2Jy", ":\u200b:error:\u200b:pwned", and 2 more\\): they were not tested, not in the table$`));
    // The table's own output: in a Note line, with no raw escape and no workflow command of its own.
    const markdown = await cli(['table', join(reports, 'matrix.json')]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^Note: .*listed 5 id\(s\) the harness cannot use as model ids .*not in the table$/m);
    expect(markdown.stdout).not.toContain('\u001b');
    expect(markdown.stdout).not.toMatch(/^\s*::/m);
    const json = await cli(['table', join(reports, 'matrix.json'), '--format', 'json']);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes.filter((n) => n.includes('listed 5 id(s)'))).toHaveLength(1);
  }, 60_000);

  it('a list whose ids were all usable says nothing of them', () => {
    const matrix = smallMatrix();
    matrix.targets[0]!.modelList = { source: 'GET /v1/models', listed: 2, new: [], notListed: [], refused: [], unusable: 0 };
    expect((buildCapabilityTable([matrix]).notes ?? []).join('\n')).not.toContain('cannot use');
  });
});

describe('shards of one run given to the table apart', () => {
  const shard = (i: number) => join(dir, `shard${i}`, 'matrix.json');
  beforeAll(async () => {
    for (const i of [1, 2]) {
      const run = await cli(['run', '--shard', `${i}/2`, '--run-id', 'tableshards', '--checks', 'api.*,path-prefix', '--report-dir', join(dir, `shard${i}`), '--quiet', 'openai.gpt-oss-20b', 'google.gemma-4-31b']);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 120_000);

  it('are refused, naming both files and merge as the fix', async () => {
    const both = await cli(['table', shard(1), shard(2)]);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toContain('HARNESS_USAGE');
    expect(both.stderr).toContain(`${shard(1)} (shard 1/2), ${shard(2)} (shard 2/2) are shards of one run, tableshards`);
    expect(both.stderr).toContain(`mantle-conformance merge ${shard(1)} ${shard(2)} --report-dir DIR`);
    expect(both.stderr).not.toContain("the other shards' models are not here");
  });

  it('their merge makes a table with no shard note; a lone shard says it is one, and no target is dated "?"', async () => {
    const merged = join(dir, 'merged');
    const merge = await cli(['merge', shard(1), shard(2), '--report-dir', merged]);
    expect(merge.code, merge.stderr).toBe(0);
    const whole = await cli(['table', join(merged, 'matrix.json')]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).not.toMatch(/shard/);
    for (const i of [1, 2]) {
      const matrix = JSON.parse(await readFile(shard(i), 'utf8')) as Matrix;
      // The shard that holds no model of a target has no recording of it to date it by.
      const undated = matrix.targets.filter((t) => !t.provenance.recordedTo);
      expect(undated.length, `shard ${i}`).toBeGreaterThan(0);
      const table = buildCapabilityTable([matrix]);
      const notes = (table.notes ?? []).join('\n');
      expect(notes).toMatch(new RegExp(`shard ${i}/2 of a run`));
      expect(notes).not.toMatch(/ \? /);
      for (const t of undated) expect(notes).toMatch(new RegExp(`(^|, )${t.id.replace(/\./g, '\\.')} replay[,:]`));
      expect(tableMarkdown(table)).not.toMatch(/ \? replay/);
    }
  });

  it('shards of two runs, or of one run id on two targets (two regions under one --run-id), are not refused', () => {
    const a = smallMatrix([], undefined, undefined, { runId: 'r1', shard: '1/2' });
    expect(shardsApart([a, smallMatrix([], undefined, undefined, { runId: 'r2', shard: '2/2' })], ['a', 'b'])).toBeUndefined();
    expect(shardsApart([a, smallMatrix([], undefined, undefined, { runId: 'r1', target: 'west', shard: '2/2' })], ['a', 'b'])).toBeUndefined();
    expect(shardsApart([a, smallMatrix([], undefined, undefined, { runId: 'r1', shard: '2/2' })], ['a', 'b'])).toMatch(/^a \(shard 1\/2\), b \(shard 2\/2\) are shards of one run, r1, given apart/);
    expect(shardsApart([a, smallMatrix([], undefined, undefined, { runId: 'r1' })], ['a', 'b'])).toBeUndefined();
  });
});
