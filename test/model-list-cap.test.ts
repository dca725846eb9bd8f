/**
 * Ids past the 2000-id cap are valid ids the harness did not read, not ids it refused as model ids: `catalog diff`
 * filed them under "refused (not a usable model id)" while `--json` said `unusable: 0`. They are said apart, in the
 * text and in `--json` alike, and in every report's model-list line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED } from '../src/cli/model-list-pages.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { modelListLines, refusedListing, pastCapProblem } from '../src/report/model-lists.ts';
import { cli } from './helpers/harness.ts';
import { startListingServer, type ListingServer } from './helpers/listing-server.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const OVER = 120;
/** MAX_LISTED + OVER valid ids, and two the harness cannot use as model ids. */
const LISTED = [...Array.from({ length: MAX_LISTED + OVER }, (_, i) => `acme.model-${i}`), 'bad id', '../x'];

let server: ListingServer;
beforeAll(async () => {
  server = await startListingServer(() => LISTED);
});
afterAll(() => server.close());

const diff = (...more: string[]) => cli(['catalog', 'diff', '--endpoint', server.url, '--surface', 'custom', '--auth', 'none', ...more]);

describe('catalog diff on a list past the cap', () => {
  it('text: the refused line names only the unusable ids; the ids past the cap are said not read', async () => {
    const result = await diff();
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stdout.split('\n');
    const refused = lines.filter((l) => l.startsWith('  refused (not a usable model id): '));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^ {2}refused \(not a usable model id\): "bad id" \([^)]*is not a model id[^]*\), "\.\.\/x" \([^)]*is not a model id[^]*\)$/);
    expect(result.stdout).not.toContain('more than 2000 ids listed');
    expect(lines).toContain(`  not read: ${OVER} id(s) past the ${MAX_LISTED}-id cap (valid ids, not used: a new model may be among them)`);
  });

  it('--json: refused holds the unusable ids alone, unusable counts them, pastCap counts the ids not read', async () => {
    const result = await diff('--json');
    expect(result.code, result.stderr).toBe(1);
    const target = (JSON.parse(result.stdout) as { targets: { refused: { id: string; problem: string }[]; unusable: number; pastCap: number; complete: boolean; listed: number }[] }).targets[0]!;
    expect(target.refused.map((r) => r.id)).toEqual(['bad id', '../x']);
    expect([target.unusable, target.pastCap, target.complete, target.listed]).toEqual([2, OVER, false, MAX_LISTED]);
  });
});

describe('the reports\' model-list line', () => {
  const withList = (modelList: NonNullable<Matrix['targets'][number]['modelList']>): Matrix => {
    const m = smallMatrix();
    return { ...m, targets: [{ ...m.targets[0]!, modelList }] };
  };
  const base = { source: 'GET /v1/models; not read whole: 48000 id(s) past the 2000-id cap not used', listed: 2000, new: [], notListed: [] };
  const pastCap = Array.from({ length: 48_000 }, (_, i) => ({ id: `huge.model-${2000 + i}`, problem: pastCapProblem(2000) }));

  it('past the cap alone: no refused part, the count not read', () => {
    const [line] = modelListLines(withList({ ...base, ...refusedListing([], pastCap) }));
    expect(line).not.toContain('refused');
    expect(line).toContain('; not read: 48000 id(s) past the 2000-id cap (valid ids, not used: a new model may be among them)');
  });

  it('both, past what a listing names one by one: each counted apart', () => {
    const unusable = Array.from({ length: 60 }, (_, i) => ({ id: `bad ${i}`, problem: 'spaces' }));
    const [line] = modelListLines(withList({ ...base, ...refusedListing(unusable, pastCap) }));
    expect(line).toContain('refused (not a usable model id): "bad 0" (spaces), ');
    expect(line).toContain('"bad 48" (spaces), "..." (and 11 more id(s) refused, not named one by one); not read: 48000 id(s) past the cap');
  });
});
