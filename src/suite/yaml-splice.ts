/**
 * @module suite/yaml-splice
 * Writes an edited YAML document back into its file's own text, changing only the entries of one top-level map
 * (an expectations file's `models`) that the edit changed. yaml can only print a whole document, and its printer
 * re-spaces what nobody touched (`{observed: x}` becomes `{ observed: x }`, folded text is re-flowed, 4-space
 * indentation becomes 2, comments move), so a bless's review diff would show lines that did not change. Here the
 * edited document is printed in the file's indentation, each changed entry's printed text replaces that entry's
 * bytes in the original, and a new entry goes after the last one; every other byte (comments, blank lines, quoting,
 * CRLF, a BOM) is kept. Whenever that might not say what the whole print says, the caller prints the whole document.
 */
import { isDeepStrictEqual } from 'node:util';
import { Lexer, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';

/** Where one entry of the map is in a text: from its key to the end of its value, without the last line break. */
interface Entry {
  start: number;
  end: number;
}

interface Entries {
  /** Entry id -> where it is, in the order of the file. */
  byId: Map<string, Entry>;
  /** The column of the entries' keys (the map is under a key at column 0, so this is the indentation step). */
  column: number;
}

/**
 * The text of `original` with the entries of the top-level `key` map that `edited` changed (or added) written in,
 * and nothing else of it changed; undefined when splicing is not safe (the map is in flow style, absent, empty or
 * indented oddly; an entry went; or the spliced text would not parse to the values printing `edited` whole gives,
 * or would not hold the same comments). `edited` is the document parsed from `original` with the edits made to it.
 */
export function spliceEntries(original: string, edited: Document, key: string): string | undefined {
  const before = entriesOf(original, key);
  if (!before) return undefined;
  const options = { lineWidth: 0, indent: before.column };
  let unedited: string;
  let whole: string;
  try {
    unedited = parseDocument(original).toString(options);
    whole = edited.toString(options);
  } catch {
    return undefined;
  }
  const was = entriesOf(unedited, key)?.byId;
  const now = entriesOf(whole, key)?.byId;
  if (!was || !now || [...before.byId.keys()].some((id) => !now.has(id))) return undefined;
  const eol = /\r\n/.test(original.slice(0, original.indexOf('\n') + 1)) ? '\r\n' : '\n';
  const textOf = (text: string, at: Entry) => text.slice(at.start, at.end);
  // yaml keeps a CRLF file's CR in a comment's text, so its print can end a comment line in CR LF: one line end.
  const own = (at: Entry) => textOf(whole, at).replace(/\r*\n/g, eol);
  const edits: { start: number; end: number; text: string }[] = [];
  const added: string[] = [];
  for (const [id, at] of now) {
    const old = before.byId.get(id);
    const last = was.get(id);
    if (!old) added.push(`${eol}${' '.repeat(before.column)}${own(at)}`);
    else if (!last || textOf(unedited, last) !== textOf(whole, at)) edits.push({ ...old, text: keepKeyLine(textOf(original, old), own(at), eol) });
  }
  if (added.length) {
    const at = afterLast(original, Math.max(...[...before.byId.values()].map((entry) => entry.end)), before.column);
    edits.push({ start: at, end: at, text: added.join('') });
  }
  let out = original;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return sameAsWhole(out, whole) ? out : undefined;
}

/**
 * Whether `spliced` says what `whole` says: the same values, and the same comments (none lost, none doubled). Where
 * a comment sits may differ: one the user placed outside the changed entries stays where it was, while yaml would
 * file it under the entry before it (a closing comment after the last entry, a comment after a flow map).
 */
function sameAsWhole(spliced: string, whole: string): boolean {
  const comments = (text: string) => [...new Lexer().lex(text)].filter((token) => token.startsWith('#')).map((c) => c.trimEnd()).sort();
  try {
    const mine = parseDocument(spliced);
    const theirs = parseDocument(whole);
    if (mine.errors.length || theirs.errors.length) return false;
    return isDeepStrictEqual(mine.toJS(), theirs.toJS()) && isDeepStrictEqual(comments(spliced), comments(whole));
  } catch {
    return false;
  }
}

/**
 * The entries of the top-level `key` map in `text`, when it is a block map under a key at column 0 whose entries
 * each start a line; otherwise undefined (a flow map is one piece of text: it is printed whole).
 */
function entriesOf(text: string, key: string): Entries | undefined {
  const doc = parseDocument(text);
  const root = doc.contents;
  if (doc.errors.length || !isMap(root) || root.flow) return undefined;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
  const map = pair?.value;
  if (!pair || !isNode(pair.key) || !isMap(map) || map.flow || map.items.length === 0) return undefined;
  if (!/^\uFEFF?$/.test(linePrefix(text, pair.key.range?.[0] ?? -1))) return undefined;
  const byId = new Map<string, Entry>();
  let column: number | undefined;
  for (const item of map.items) {
    const start = isScalar(item.key) ? item.key.range?.[0] : undefined;
    const valueEnd = isNode(item.value) ? item.value.range?.[1] : isScalar(item.key) ? item.key.range?.[1] : undefined;
    if (!isScalar(item.key) || typeof item.key.value !== 'string' || start === undefined || valueEnd === undefined) return undefined;
    const prefix = linePrefix(text, start);
    if (!/^ +$/.test(prefix) || (column !== undefined && prefix.length !== column)) return undefined;
    column = prefix.length;
    // A block value's range takes its last line break; the entry ends before it, so the next line is not its text.
    let end = valueEnd;
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    byId.set(item.key.value, { start, end });
  }
  return column === undefined ? undefined : { byId, column };
}

/**
 * Where a new entry goes: yaml appends it to the map, so after the last entry and the comments it prints with that
 * entry (one on its last line, and lines indented deeper than the entries), before what follows the map.
 */
function afterLast(text: string, end: number, column: number): number {
  const lineEnd = (from: number) => {
    const at = text.indexOf('\n', from);
    return at < 0 ? text.length : text[at - 1] === '\r' ? at - 1 : at;
  };
  let at = lineEnd(end);
  for (let next = at; next < text.length; ) {
    const start = text.indexOf('\n', next) + 1;
    if (start === 0) break;
    next = lineEnd(start);
    const line = text.slice(start, next);
    if (line.trim() !== '' && !new RegExp(`^ {${column + 1},}#`).test(line)) break;
    // A blank line goes with the entry only when a comment of the entry follows it.
    if (line.trim() !== '') at = next;
  }
  return at;
}

/**
 * `printed` with the entry's own key line back when that line holds a comment (`model:   # note`): yaml prints
 * such a comment on a line of its own below the key, which would show the key line as changed in the review diff.
 */
function keepKeyLine(original: string, printed: string, eol: string): string {
  const firstLine = (text: string) => text.split(/\r?\n/, 1)[0] ?? '';
  const first = firstLine(original);
  const inline = /^(.*:)[ \t]+(#.*?)\r?$/.exec(first);
  const lines = printed.split(eol);
  if (!inline || lines[0] !== inline[1] || lines[1]?.trim() !== inline[2]!.trimEnd()) return printed;
  return [first, ...lines.slice(2)].join(eol);
}

/** What is on `offset`'s line before it. */
function linePrefix(text: string, offset: number): string {
  return offset < 0 ? '\0' : text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}
