/**
 * `table` given shards of one run apart names the `merge` command to run first: each path in it is one shell word
 * (src/cli/shell-word.ts), as the emulator and stale-recordings hints write theirs. Unquoted, a path with a space was
 * pasted as two arguments (review r2c, finding 5).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shardsApart } from '../src/cli/same-run-twice.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('shards of one run given apart', () => {
  it('the suggested merge command quotes each path as one shell word', () => {
    const files = ['/tmp/sp a/matrix.json', "/tmp/it's $HOME/matrix.json"];
    const said = shardsApart([smallMatrix([], undefined, undefined, { runId: 'r1', shard: '1/2' }), smallMatrix([], undefined, undefined, { runId: 'r1', shard: '2/2' })], files);
    expect(said).toContain(`mantle-conformance merge '/tmp/sp a/matrix.json' '/tmp/it'\\''s $HOME/matrix.json' --report-dir DIR`);
    // A POSIX shell reads the words back as the two files, whole (nothing split, nothing expanded).
    const words = /mantle-conformance merge (.*) --report-dir DIR/.exec(said!)![1]!;
    const read = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${words}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/nowhere' } });
    expect(read.split('\n').slice(0, -1)).toEqual(files);
  });

  it('a plain path is left as it is', () => {
    const said = shardsApart([smallMatrix([], undefined, undefined, { runId: 'r1', shard: '1/2' }), smallMatrix([], undefined, undefined, { runId: 'r1', shard: '2/2' })], ['s1/matrix.json', 's2/matrix.json']);
    expect(said).toContain('mantle-conformance merge s1/matrix.json s2/matrix.json --report-dir DIR');
  });
});
