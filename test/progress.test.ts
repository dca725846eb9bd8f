/**
 * The progress reporter: on a terminal one line rewritten in place; in CI plain lines, with the final totals.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressReporter } from '../src/run/progress-reporter.ts';

function stream(tty: boolean) {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  (out as { isTTY?: boolean }).isTTY = tty;
  return { out, text: () => text };
}

const testCase = (status: 'pass' | 'fail', model: string) =>
  ({ meta: () => ({ mantle: { target: 'us-east-1', model, check: 'x', result: { status }, usage: { requests: 3, inputTokens: 10, outputTokens: 5, wallMs: 0 } } }) }) as never;

describe('ProgressReporter', () => {
  it('rewrites one line on a terminal', () => {
    const { out, text } = stream(true);
    const reporter = new ProgressReporter({ total: 2, stream: out });
    reporter.onTestRunStart([]);
    reporter.onTestCaseResult(testCase('pass', 'a'));
    reporter.onTestCaseResult(testCase('fail', 'b'));
    reporter.onTestRunEnd();
    expect(text()).toContain('\r\x1b[2K1/2 checks · 1 pass · 0 fail');
    expect(text()).toMatch(/\r\x1b\[2K2\/2 checks · 1 pass · 1 fail · 0 error · 0 unsupported · 0 skipped · 6 requests · 30 tokens · [\d.]+s\n$/);
  });

  it('prints plain lines in CI, never control characters', () => {
    const { out, text } = stream(false);
    const reporter = new ProgressReporter({ total: 1, stream: out, figures: () => ({ requests: 7, inputTokens: 1, outputTokens: 2 }) });
    reporter.onTestRunStart([]);
    reporter.onTestCaseResult(testCase('pass', 'a'));
    reporter.onTestRunEnd();
    expect(text()).not.toContain('\x1b');
    expect(text()).toMatch(/^done: 1\/1 checks · 1 pass · 0 fail · 0 error · 0 unsupported · 0 skipped · 7 requests · 3 tokens · [\d.]+s\n$/m);
  });
});
