/**
 * The line that updates in place on a terminal never wraps (a wrapped line leaves a row behind at each redraw) and
 * is not redrawn on every result: a 50-model replay on a 100-column terminal left 10,511 rows.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CellResult } from '../src/run/cell-result.ts';
import { DRAW_EVERY_MS, ProgressReporter } from '../src/run/progress-reporter.ts';
import { displayWidth, fitToColumns } from '../src/run/terminal-width.ts';

function terminal(columns: number | undefined) {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  out.isTTY = true;
  out.columns = columns;
  return { out, writes };
}

const STATUSES = ['pass', 'unsupported', 'inconclusive', 'flaky', 'skipped'] as const;
const result = (i: number) =>
  ({ target: 'us-east-1', model: `m${i % 50}`, check: 'x', result: { status: STATUSES[i % STATUSES.length] }, usage: { requests: i, inputTokens: 10 * i, outputTokens: i, wallMs: 0 }, provenance: [] }) as unknown as CellResult;

/** The lines drawn in place (every write but the last line, which ends with a line break and stays). */
const inPlace = (writes: readonly string[]) => writes.filter((w) => !w.endsWith('\n')).map((w) => w.replace(/^\r\x1b\[2K/, ''));

describe('the progress line on a terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is never wider than the terminal, and is not redrawn per result (10,500 results in a burst: a handful of draws)', () => {
    const { out, writes } = terminal(100);
    const reporter = new ProgressReporter({ total: 10500, stream: out, replay: true });
    reporter.start();
    for (let i = 0; i < 10500; i += 1) reporter.result(result(i));
    reporter.end();
    const lines = inPlace(writes);
    // The first result draws; the rest came within DRAW_EVERY_MS and are drawn once at the end, then the last line.
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(99);
    // The counts the throttle held back are drawn before the last line, cut with a marker.
    expect(lines.at(-1)).toMatch(/^10500\/10500 checks · 2100 pass · 0 fail · 0 error · 2100 flaky · 2100 inconclusive · .*\.\.\.$/);
    expect(displayWidth(lines.at(-1)!)).toBe(99);
    expect(writes.at(-1)).toMatch(/^\r\x1b\[2K10500\/10500 checks · \d+ recorded exchanges · \d+ tokens · [\d.]+s\n$/);
  });

  it('draws again once DRAW_EVERY_MS has passed, at the width the terminal has then (resized mid-run)', () => {
    const { out, writes } = terminal(120);
    const reporter = new ProgressReporter({ total: 100, stream: out });
    reporter.start();
    reporter.result(result(0));
    reporter.result(result(1));
    expect(inPlace(writes)).toHaveLength(1);
    vi.setSystemTime(Date.now() + DRAW_EVERY_MS);
    out.columns = 40;
    reporter.result(result(2));
    const lines = inPlace(writes);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^3\/100 checks · /);
    expect(displayWidth(lines[1]!)).toBe(39);
    // The timer's draws are cut too.
    out.columns = 30;
    vi.advanceTimersByTime(250);
    expect(displayWidth(inPlace(writes).at(-1)!)).toBeLessThanOrEqual(29);
    reporter.end();
  });

  it('leaves the line whole when the stream cannot say its width', () => {
    const { out, writes } = terminal(undefined);
    const reporter = new ProgressReporter({ total: 10500, stream: out });
    reporter.start();
    reporter.result(result(0));
    expect(inPlace(writes)[0]).toMatch(/ · 0 requests · 0 tokens · [\d.]+s$/);
    reporter.end();
  });
});

describe('display width', () => {
  it('counts columns, not bytes or code units', () => {
    expect(displayWidth('1 · 2')).toBe(5);
    expect(displayWidth('模型-7b')).toBe(7);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🙂x')).toBe(3);
  });

  it('cuts to the columns less one, on whole characters, with a marker', () => {
    expect(fitToColumns('abcdef', 7)).toBe('abcdef');
    expect(fitToColumns('abcdefgh', 8)).toBe('abcd...');
    // A wide character that would straddle the edge is left out, never split.
    const cut = fitToColumns('ab · 模型模型模型', 12);
    expect(cut).toBe('ab · 模...');
    expect(displayWidth(cut)).toBe(10);
    expect(fitToColumns('abcdef', 3)).toBe('ab');
    expect(fitToColumns('abcdef', 0)).toBe('abcdef');
  });
});
