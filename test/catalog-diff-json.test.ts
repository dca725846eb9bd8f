/**
 * `catalog diff --json` writes the endpoint's model ids as `table --format json` writes endpoint text: a C1 escape
 * (8-bit CSI), a direction override and U+2028 are valid JSON, but run or reorder in the terminal or CI log that
 * prints it, so each is its visible `\u009b` escape, which JSON reads back as the character (review r2c, finding 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';
import { startListingServer, type ListingServer } from './helpers/listing-server.ts';

const HOSTILE = ['x\u009b2J\u009b31mRED', 'rtl\u202egnp.exe', 'new\u2028::error::pwn'];

describe('catalog diff --json with hostile ids in the model list', () => {
  let server: ListingServer;
  beforeAll(async () => {
    server = await startListingServer(() => ['openai.gpt-oss-20b', ...HOSTILE, 'ok.new']);
  });
  afterAll(() => server.close());

  it('writes no raw C1 control, direction override or line separator, and JSON reads the ids back whole', async () => {
    const result = await cli(['catalog', 'diff', '--endpoint', server.url, '--auth', 'none', '--surface', 'custom', '--json']);
    expect(result.code, result.stderr).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(result.stdout).toContain('x\\u009b2J\\u009b31mRED');
    expect(result.stdout).toContain('rtl\\u202egnp.exe');
    expect(result.stdout).toContain('new\\u2028::error::pwn');
    const parsed = JSON.parse(result.stdout) as { targets: { new: string[]; refused: { id: string; problem: string }[] }[] };
    const [target] = parsed.targets;
    expect(target!.new).toEqual(['ok.new']);
    // What JSON reads is the endpoint's id as it was, in the id and in the problem that quotes it.
    expect(target!.refused.map((r) => r.id).sort()).toEqual([...HOSTILE].sort());
    // The problem quotes the id it refuses (2028 and 202e are no control to JSON.stringify): read back whole too.
    const problems = target!.refused.map((r) => r.problem).join('\n');
    expect(problems).toContain('rtl\u202egnp.exe');
    expect(problems).toContain('new\u2028::error::pwn');
  });
});
