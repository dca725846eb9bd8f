/**
 * The scripts of matrix.html and history.html fill their detail panels from the page's data: endpoint text there is
 * neutralised as the server-rendered grid's (htmlText): no bidi override, isolate or mark reorders what a reader
 * sees, no control character or line break survives, markup is escaped. The `esc` of each generated script is run
 * here, in node, against htmlText.
 */
import { describe, expect, it } from 'vitest';
import { HISTORY_SCRIPT } from '../src/history/history-script.ts';
import { HTML_SCRIPT } from '../src/report/html-script.ts';
import { htmlText } from '../src/report/inert-text.ts';

/** The script's `esc`, with whatever it calls that the script defines on a line of its own (`flat`). */
function scriptEsc(script: string): (s: unknown) => string {
  const lines = script.split('\n').filter((line) => /^\s*(const|var) (flat|esc) = /.test(line));
  expect(lines.some((line) => /(const|var) esc = /.test(line))).toBe(true);
  return new Function(`${lines.join('\n')}\nreturn esc;`)() as (s: unknown) => string;
}

const HOSTILE = [
  'model \u202Eliaf\u202C is fine',
  '\u2066x\u2069 \u2067y\u2068',
  'a\u061Cb\u200Ec\u200Fd\u202A\u202B\u202D',
  'nul\u0000 bel\u0007 del\u007f c1\u0085\u009b31m',
  '\u001b[31mred\u001b]8;;http://x\u0007link',
  'two\nlines\r\nand\u2028more\u2029\ttab',
  'lone \ud800 surrogate \uffff',
  '<img src=x onerror=alert(1)> & "quotes" \'single\'',
  'plain text, 😀 and é',
];
/** What the server-rendered page leaves visible as such: nothing of it reorders or controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]|[\ud800-\udfff]/u;

describe.each([
  ['matrix.html', HTML_SCRIPT],
  ['history.html', HISTORY_SCRIPT],
])('the script of %s escapes as the server renders', (_page, script) => {
  const esc = scriptEsc(script);
  it.each(HOSTILE)('%j', (text) => {
    expect(esc(text)).toBe(htmlText(text));
    expect(esc(text)).not.toMatch(UNSAFE);
    expect(esc(text)).not.toMatch(/[<>"']/);
  });
  it('a value that is not a string (an observed number, null) is shown as its text', () => {
    expect(esc(42)).toBe('42');
    expect(esc(null)).toBe('null');
  });
});

// history.html counted a change only when the state it left was truthy: a cell leaving the first interned state
// (index 0: in a real folder the first cell's first state, shared by many) never showed a change, gating
// regressions included (review of 2026-12-05).
describe('history.html change points', () => {
  const lines = HISTORY_SCRIPT.split('\n');
  const start = lines.findIndex((line) => /^\s*function changePoints\(/.test(line));
  const indent = /^\s*/.exec(lines[start]!)![0];
  const end = lines.findIndex((line, i) => i > start && line === `${indent}}`);
  const changePoints = new Function(`${lines.slice(start, end + 1).join('\n')}\nreturn changePoints;`)() as (segs: number[], states: unknown[][]) => { run: number; from: unknown[]; to: unknown[] }[];
  const states = [['pass', 'none'], ['fail', '/v1'], ['absent']];

  it('a cell leaving state 0 changed', () => {
    expect(changePoints([0, 1, 0, 1, 2, 1], states)).toEqual([{ run: 1, from: ['pass', 'none'], to: ['fail', '/v1'] }]);
  });

  it('absent runs are no change, and a cell that stays has none', () => {
    expect(changePoints([0, 1, 1, 1, 2, 2, 2, 3, 1], states)).toEqual([]);
    expect(changePoints([0, 1, 1, 1, 2, 2, 2, 3, 0], states)).toEqual([{ run: 2, from: ['fail', '/v1'], to: ['pass', 'none'] }]);
  });
});

// After a run that selected part of the catalog (`run grok`), every other cell read "not run" now, and the status
// filter lost the last full run's failures (review of 2026-12-05). A run that did not finish still reads "not run".
describe('history.html now', () => {
  const lines = HISTORY_SCRIPT.split('\n');
  const start = lines.findIndex((line) => /^\s*function nowState\(/.test(line));
  const indent = /^\s*/.exec(lines[start]!)![0];
  const end = lines.findIndex((line, i) => i > start && line === `${indent}}`);
  const nowState = new Function(`${lines.slice(start, end + 1).join('\n')}\nreturn nowState;`)() as (segs: number[], states: unknown[][], filtered: boolean) => unknown[] | null;
  const states = [['fail', '/v1'], ['absent']];

  it('after a filtered run that finished, the last state seen; after one that did not finish, not run', () => {
    expect(nowState([0, 3, 0, 4, 4, 1], states, true)).toEqual(['fail', '/v1']);
    expect(nowState([0, 3, 0, 4, 4, 1], states, false)).toEqual(['absent']);
    expect(nowState([0, 4, 0], states, true)).toEqual(['fail', '/v1']);
  });
});
