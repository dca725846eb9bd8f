/**
 * @module report/inert-text
 * Endpoint text is data. Every string that came from an endpoint (an error message, a body excerpt, a reason that
 * quotes one) and is written where something else interprets it passes through here: a terminal (escape
 * sequences), a CI log (GitHub workflow commands like `::error::` at the start of a line, and the commands Azure
 * Pipelines, GitHub and TeamCity act on anywhere in a line: `##vso[`, `##[`, `##teamcity[`), a line-oriented report
 * (newlines that forge a line of their own), Markdown (a `|` that breaks a table, markup), XML (characters XML 1.0
 * forbids). One place, so every output is neutralised the same way:
 *
 * - `inertLine` for a console or log line (the runner's progress and summary lines call it too);
 * - `markdownText` for Markdown (matrix.md, the step summary);
 * - `xmlText` for junit.xml;
 * - `htmlText`, `scriptJson` and `cspHash` for the HTML pages (matrix.html, history.html);
 * - `capText` for what the matrix keeps (reasons and excerpts bounded, the cut marked).
 */
import { createHash } from 'node:crypto';
import { nameProblem } from '../names.ts';
import { jsonPieces } from './json-pieces.ts';

/** Console and log lines keep at most this many UTF-8 bytes of one endpoint string. */
export const LINE_TEXT_MAX_BYTES = 400;

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes (never inside a character), with the cut marked as
 * `... (N bytes more)`. Text within the limit is returned as it is.
 */
export function capText(text: string, maxBytes: number): string {
  // No UTF-16 code unit takes more than 3 bytes in UTF-8 (a pair takes 4; a lone surrogate is written as U+FFFD):
  // most texts are short enough not to be counted.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  // Cut by code points so no surrogate pair or multi-byte character is split.
  let kept = '';
  let used = 0;
  // Room for the mark, `... (N bytes more)`: 24 bytes hold it up to a 7-digit N; a longer N takes its own length,
  // so the cut text is within `maxBytes` whatever was cut (read back, it is not cut again: report/over-bounds.ts).
  const room = Math.max(0, maxBytes - Math.max(24, 17 + String(bytes).length));
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > room) break;
    kept += char;
    used += size;
  }
  return `${kept}... (${bytes - used} bytes more)`;
}

/** ANSI/VT escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), DCS/SOS/PM/APC strings, two-byte ESC forms. */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u0098\u009d-\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
/** Line breaks of every kind, including the Unicode separators some renderers honour. */
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
/** Control characters (C0, DEL, C1), bidirectional overrides that reorder what a reader sees, and non-characters. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udfff]/gu;

/**
 * The `#` that opens a CI command read anywhere in a log line: Azure Pipelines' `##vso[` (its agent reads it in any
 * case), GitHub's legacy `##[` and TeamCity's `##teamcity[`. Each output breaks it its own way (breakCommands).
 */
const COMMAND_HASH = /#(?=#(?:vso|teamcity)?\[)/gi;
/** The `:` of GitHub's `::command::` (at a line's start, but a line of endpoint text may become one). */
const COMMAND_COLON = /:(?=:)/g;

/**
 * `text` with every CI command syntax broken: each `:` of a `::` and the `#` that opens `##[`, `##vso[` or
 * `##teamcity[` replaced by `colon` and `hash` (a zero-width space after the character in a line; a character
 * reference in XML and HTML, which a reader reads back as it was). One rule for every output, so none can drift.
 */
function breakCommands(text: string, colon: string, hash: string): string {
  return breakHashCommands(text.replace(COMMAND_COLON, colon), hash);
}

/** `text` with the `#` that opens `##[`, `##vso[` or `##teamcity[` replaced by `hash`: these are read anywhere in a line. */
function breakHashCommands(text: string, hash: string): string {
  return text.replace(COMMAND_HASH, hash);
}

/** Printable ASCII only: nothing for `flatten` to replace (most text is such, and is not scanned four times). */
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** Escape sequences and controls replaced by `�`, line breaks folded to ` ⏎ `, tabs to a space. */
function flatten(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '\ufffd').replace(LINE_BREAKS, ' ⏎ ').replace(/\t/g, ' ').replace(CONTROL, '\ufffd');
}

/**
 * `flatten` as a JavaScript function expression, for the scripts of the HTML pages, which fill a detail panel from
 * the page's data: made from the same expressions (a RegExp in a template is its literal), so the text the script
 * shows is neutralised as the server-rendered grid's is, and the two cannot drift apart.
 */
export const FLATTEN_SCRIPT = `function (s) { s = String(s); return ${PRINTABLE_ASCII}.test(s) ? s : s.replace(${ESCAPE_SEQUENCE}, '\\ufffd').replace(${LINE_BREAKS}, ' \\u23ce ').replace(/\\t/g, ' ').replace(${CONTROL}, '\\ufffd'); }`;

/**
 * One inert console or log line from endpoint text: no escape sequence reaches the terminal, no line break starts a
 * line of its own, no CI command (GitHub's `::error::`, `::add-mask::`, legacy `##[error]`; Azure Pipelines'
 * `##vso[task.setvariable]`; TeamCity's `##teamcity[`) can be formed anywhere in it, and it is at most `maxBytes` long.
 */
export function inertLine(text: unknown, maxBytes = LINE_TEXT_MAX_BYTES): string {
  const flat = flatten(String(text));
  // A zero-width space between the two characters breaks the command syntax and reads the same.
  return breakCommands(capText(flat, maxBytes), ':\u200b', '#\u200b');
}

/**
 * How long a printed path may be: a path is the user's own (or an artifact folder's name) and is printed to be copied,
 * so it is bounded only against a runaway, far above what a file system takes in one path (Linux's PATH_MAX, 4096).
 */
export const PATH_LINE_MAX_BYTES = 16_384;

/** A `::` at a line's start (after spaces), where GitHub reads a workflow command; one mid-line starts none. */
const LEADING_COMMAND = /^(\s*):(?=:)/;

/**
 * A path as a console line prints it, still a path to copy: no escape sequence, control or line break (folded as
 * inertLine folds them, so no `::` can reach a line's start), the `##[`, `##vso[` and `##teamcity[` read anywhere in a
 * line broken, and a leading `::` broken; any other `::` is kept (an ARN-like folder name copied from the log is the
 * folder). Past `maxBytes` it is cut in its middle, so the file name at its end still says which file it is.
 */
export function inertPath(path: string, maxBytes = PATH_LINE_MAX_BYTES): string {
  const kept = capMiddle(flatten(path), maxBytes);
  return breakHashCommands(kept, '#\u200b').replace(LEADING_COMMAND, '$1:\u200b');
}

/** `text` cut in its middle to at most about `maxBytes` UTF-8 bytes (never inside a character), the cut marked. */
function capMiddle(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const chars = [...text];
  const half = Math.floor((maxBytes - 40) / 2);
  const take = (from: string[]) => {
    const out: string[] = [];
    let used = 0;
    for (const char of from) {
      const size = Buffer.byteLength(char, 'utf8');
      if (used + size > half) break;
      out.push(char);
      used += size;
    }
    return out;
  };
  const head = take(chars);
  const tail = take([...chars].reverse()).reverse();
  const left = Buffer.byteLength(chars.slice(head.length, chars.length - tail.length).join(''), 'utf8');
  return `${head.join('')}... (${left} bytes left out) ...${tail.join('')}`;
}

/**
 * A model id in a console line (the run's progress, the gating lines): an id the model-id rule allows (src/names.ts)
 * as it is, since it can hold no control, line break or `#` and starts with no `:` (an ARN's `::` is copied from the
 * log whole, and given back to --models it is the same id); any other id (an endpoint's list) as an inert line.
 */
export function modelIdLine(id: string): string {
  return nameProblem(id, 'model id') === undefined ? id : inertLine(id, 200);
}

/**
 * Endpoint text as Markdown text: one inert line (as `inertLine`), with the characters that would close a table
 * cell, open markup or a link escaped, so it renders as the text it is in a table cell, a list item or a paragraph.
 * `&` too: a character reference (`&#x202E;`) would render as the character it names, a bidi override included. A
 * bare URL or `www.` gets a zero-width space that keeps GitHub from making it a link the endpoint chose, and `@` a
 * word joiner (U+2060): GitHub finds mentions in the rendered text (a backslash or `&#64;` still renders `@team` and
 * pings the team), and `@` followed by anything but a name character is no mention.
 */
export function markdownText(text: unknown, maxBytes = LINE_TEXT_MAX_BYTES): string {
  return inertLine(text, maxBytes)
    .replace(/[\\`*[\]<>|&]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, ':\u200b//')
    .replace(/(www)\./gi, '$1\u200b.')
    .replace(/@/g, '@\u2060');
}

/**
 * What `visibleControls` writes as its `\uXXXX` escape: C0 controls but tab and line breaks, DEL, C1, direction
 * marks and overrides, the Unicode line separators, non-characters and lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufffe\uffff]|\p{Cs}/gu;

/**
 * Text for a data format that keeps its line breaks (a CSV cell, JSON from JSON.stringify, where every such
 * character can only be inside a string): each control and direction override written as its visible `\u202e`, so
 * nothing runs or reorders in a terminal and the reader still sees which character was there, and the `#` that opens
 * a CI command read anywhere in a line (`##vso[`, `##[`, `##teamcity[`) as `\u0023`, since such a file is printed
 * into CI logs (`catalog diff --json`, `table --format csv`). JSON reads each escape back as the character. Tab, CR
 * and LF are left to the format (CSV quotes them; JSON has escaped them already).
 */
export function visibleControls(text: string): string {
  if (PRINTABLE_ASCII.test(text) && !text.includes('##')) return text;
  return breakHashCommands(text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), '\\u0023');
}

/**
 * `value` as JSON printed to stdout (`compare --json`, `catalog diff --json`, `table --format json`, `checks --format
 * json`), two-space indented with a final newline: through `visibleControls`, since such output is printed into CI
 * logs and terminals, where a `##vso[` or a direction override quoted from an endpoint would act. One function, so no
 * JSON printed to stdout can leave it out.
 */
export function printedJson(value: unknown): string {
  return `${visibleControls(JSON.stringify(value, null, 2))}\n`;
}

/** Characters XML 1.0 does not allow anywhere: most C0 controls, lone surrogates, U+FFFE and U+FFFF. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/**
 * What `xmlText` changes: a character XML 1.0 forbids, `&`, `<`, `>` or `"`, a C1 control or direction mark, and a
 * CI command's `::` or `##` (most text has none; `breakCommands` says which `##` opens one).
 */
const XML_TEXT_CHANGES = /[^\t\n\r\u0020\u0021\u0023-\u0025\u0027-\u003b\u003d\u003f-\u007e\u00a0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|::|##/u;
/** What `xmlAttribute` changes: as `xmlText`, and line breaks and tabs. */
const XML_ATTRIBUTE_CHANGES = /[^\u0020\u0021\u0023-\u0025\u0027-\u003b\u003d\u003f-\u007e\u00a0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|::|##/u;
/** C1 controls and direction marks: allowed in XML, but run or reorder text in a terminal showing the file. */
const XML_VISIBLE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for an XML text node or a double-quoted attribute: forbidden characters dropped, markup escaped. A junit.xml
 * is printed into CI logs (`cat`, a JUnit action echoing a failure's body), so the characters a terminal acts on
 * and a CI command's `::` and `##[` (`##vso[`, `##teamcity[`) are written as character references, which an XML
 * reader reads back as they were: the endpoint's text stays whole, and a line of it cannot become `::error::`,
 * `::add-mask::` or `##vso[task.setvariable]`.
 */
export function xmlText(text: string): string {
  if (!XML_TEXT_CHANGES.test(text)) return text;
  const escaped = text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(XML_VISIBLE, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
  return breakCommands(escaped, '&#58;', '&#35;');
}

/** As `xmlText`, and line breaks and tabs kept as character references (an attribute value would fold them). */
export function xmlAttribute(text: string): string {
  if (!XML_ATTRIBUTE_CHANGES.test(text)) return text;
  return xmlText(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** An id as Markdown code when it is a plain id, else as escaped text (a backtick would close the code span). */
export function markdownCode(id: unknown): string {
  const text = String(id);
  return /^[A-Za-z0-9._:/@+-]{1,200}$/.test(text) ? `\`${text}\`` : markdownText(text, 200);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_MARKUP_ALL = /[&<>"']/g;
/**
 * What `htmlText` changes: markup, what `flatten` changes (controls, escape sequences, line breaks), and a CI
 * command's `::` or `##` (breakCommands); most text has none.
 */
// eslint-disable-next-line no-control-regex
const HTML_CHANGES = /[&<>"'\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff\ud800-\udfff]|::|##/;

/**
 * Text for an HTML text node or a double- or single-quoted attribute value. Endpoint text is made inert as a line
 * (`flatten`: no escape sequence, no line break), so a page shown in a CI log (`cat matrix.html`) starts no line of
 * its own; a CI command's `::` and `##[` (`##vso[`, `##teamcity[`) are written as character references, which a
 * browser reads back as they were: a `data-key` holding an ARN's `::` still names its cell.
 */
export function htmlText(value: unknown): string {
  const text = String(value);
  // Most text has nothing to change: it is only scanned, not rebuilt.
  if (!HTML_CHANGES.test(text)) return text;
  return breakCommands(flatten(text).replace(HTML_MARKUP_ALL, (c) => HTML_ESCAPES[c]!), '&#58;', '&#35;');
}

const SCRIPT_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '#': '\\u0023', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON inside a script element: nothing in it can close the element or start markup, nor form a `##[` (`##vso[`) command. */
export function scriptJson(value: unknown): string {
  return [...scriptJsonPieces(value)].join('');
}

/**
 * What JSON.stringify leaves raw and a page's source must not show raw: markup, and the C1 controls and direction
 * marks an endpoint's text may carry (`cat matrix.html` in a terminal or a CI log would run or reorder them). Each
 * is written as its `\uXXXX` escape, which reads back as the same character.
 */
const SCRIPT_UNSAFE = /[<>&#\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/** `scriptJson` in pieces (jsonPieces), for what may be megabytes of JSON. */
export function* scriptJsonPieces(value: unknown): Generator<string> {
  for (const piece of jsonPieces(value)) yield piece.replace(SCRIPT_UNSAFE, (c) => SCRIPT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A CSP source for one inline element: a page runs its own script and style, nothing else (no inline handlers). */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
