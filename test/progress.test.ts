/**
 * The progress reporter: on a terminal one line rewritten in place; in CI plain lines, one per finished model, and
 * a last line that counts only what ran (interrupted, never "done", after Ctrl-C).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../src/run/cell-result.ts';
import { ProgressReporter } from '../src/run/progress-reporter.ts';

function stream(tty: boolean) {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  out.isTTY = tty;
  return { out, text: () => text };
}

const result = (status: 'pass' | 'fail' | 'skipped' | 'flaky' | 'inconclusive', model: string) =>
  ({ target: 'us-east-1', model, check: 'x', result: { status }, usage: { requests: 3, inputTokens: 10, outputTokens: 5, wallMs: 0 }, provenance: [] }) as unknown as CellResult;

describe('ProgressReporter', () => {
  it('rewrites one line on a terminal', () => {
    const { out, text } = stream(true);
    const reporter = new ProgressReporter({ total: 2, stream: out });
    reporter.start();
    reporter.result(result('pass', 'a'));
    reporter.result(result('fail', 'b'));
    reporter.end();
    expect(text()).toContain('\r\x1b[2K1/2 checks · 1 pass · 0 fail');
    expect(text()).toContain('\r\x1b[2K2/2 checks · 1 pass · 1 fail · 0 error · 0 unsupported · 0 skipped · 6 requests');
    // The last line leaves the counts to the summary (the gate knows which cells observed nothing of their model).
    expect(text()).toMatch(/\r\x1b\[2K2\/2 checks · 6 requests · 30 tokens · [\d.]+s\n$/);
  });

  it('counts each model\'s largest usage, whatever order its results come in (a replay thread hands them back in plan order)', () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 2, stream: out, replay: true });
    const at = (requests: number) => ({ ...result('pass', 'a'), usage: { requests, inputTokens: requests * 10, outputTokens: requests, wallMs: 0 } }) as CellResult;
    reporter.start();
    // The check that finished last (9 exchanges read by then) comes first; the last one in is an earlier snapshot.
    reporter.result(at(9));
    reporter.result(at(4));
    reporter.end();
    expect(text()).toMatch(/2\/2 checks · 9 recorded exchanges · 99 tokens · [\d.]+s\n$/);
  });

  it('prints plain lines in CI, one per model, never control characters', () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 1, stream: out, figures: () => ({ requests: 7, inputTokens: 1, outputTokens: 2 }) });
    reporter.start();
    reporter.result(result('pass', 'a'));
    reporter.cellEnd({ target: 'us-east-1', model: 'a' }, [result('pass', 'a')], 1);
    reporter.end();
    expect(text()).not.toContain('\x1b');
    expect(text()).toContain('  a (us-east-1): 1 checks, 0 fail, 0 error\n');
    expect(text()).toMatch(/^done: 1\/1 checks · 7 requests · 3 tokens · [\d.]+s\n$/m);
  });

  it("a model's line names its flaky and inconclusive checks: they are not clean", () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 4, stream: out });
    reporter.start();
    const results = [result('pass', 'a'), result('flaky', 'a'), result('inconclusive', 'a'), result('inconclusive', 'a')];
    for (const r of results) reporter.result(r);
    reporter.cellEnd({ target: 'us-east-1', model: 'a' }, results, 4);
    reporter.end();
    expect(text()).toContain('  a (us-east-1): 4 checks, 0 fail, 0 error, 1 flaky, 2 inconclusive\n');
  });

  it('after Ctrl-C says interrupted and counts only what ran, per model too', () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 68, stream: out });
    reporter.start();
    reporter.result(result('pass', 'a'));
    reporter.cellEnd({ target: 'us-east-1', model: 'a' }, [result('pass', 'a')], 34);
    reporter.end({ interrupted: true });
    expect(text()).toContain('  a (us-east-1): 1 of 34 checks ran (the run was stopped), 0 fail, 0 error\n');
    expect(text()).toMatch(/^interrupted: 1\/68 checks ran · 3 requests/m);
    expect(text()).not.toMatch(/^done:/m);
  });

  it('says recorded exchanges, not requests, in replay', () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 1, stream: out, replay: true });
    reporter.start();
    reporter.result(result('pass', 'a'));
    reporter.end();
    expect(text()).toContain('· 3 recorded exchanges ·');
    expect(text()).not.toContain('requests');
  });
});
