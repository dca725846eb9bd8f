/**
 * @module run/terminal-width
 * How many terminal columns a line takes, and the line cut to fit a terminal's width. A line that updates in place
 * must never wrap: `\r` and the erase-line after it reach only the last row a wrapped line took, so every redraw of a
 * wrapped line leaves the rows above it behind (one stale row per redraw).
 */

/** Zero width: combining marks, format characters (ZWJ, variation selectors are marks) and controls. */
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

/** Two columns: pictographs shown as emoji, and the East Asian wide and fullwidth blocks (CJK, Hangul, kana). */
const WIDE = /^(?:\p{Emoji_Presentation}|[\u1100-\u115f\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}])/u;

/** The marker of a cut line: ASCII, so that no terminal shows it wider than counted (`…` is ambiguous width). */
const CUT = '...';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The columns one grapheme takes: its first code point decides (what follows it, a mark or a joined emoji, draws in
 * the same cells). Ambiguous-width characters, such as the `·` of the progress line, count as one, as in every
 * terminal not set to a CJK locale's wide ambiguous characters.
 */
function graphemeWidth(grapheme: string): number {
  if (ZERO.test(grapheme)) return 0;
  return WIDE.test(grapheme) ? 2 : 1;
}

/** The columns a line takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/**
 * `text` as it fits in a terminal `columns` wide, cut with `...` when it is wider. The last column stays free: a line
 * that fills it leaves some terminals about to wrap, and the next character (the `\r` of the next redraw excepted)
 * would start a row. `columns` unknown (not a number, or 0: a stream that says it is a TTY and cannot say its width)
 * leaves the line whole, there being no width to cut to.
 */
export function fitToColumns(text: string, columns: number | undefined): string {
  if (typeof columns !== 'number' || !Number.isFinite(columns) || columns < 1) return text;
  const room = Math.floor(columns) - 1;
  if (displayWidth(text) <= room) return text;
  // Too narrow for the marker too: what fits, unmarked.
  const marker = room > CUT.length ? CUT : '';
  const keep = room - marker.length;
  let width = 0;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    const w = graphemeWidth(segment);
    if (width + w > keep) break;
    width += w;
    out += segment;
  }
  return `${out}${marker}`;
}
