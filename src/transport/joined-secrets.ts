/**
 * @module transport/joined-secrets
 * A credential an endpoint streams in pieces. Clients and checks join a stream's string fields across its events (a
 * tool call's arguments, a text's deltas), so a run's own secret cut in two, each half in its own event, is whole
 * again in a reason, a report or a replay of the fixture. Each field is read here as they join it: the strings at
 * one key path (array positions aside) of every event, in order; where one of the run's secrets forms in that
 * joined text, its pieces are cut out of the stream's own characters (escapes included), each leaving a
 * placeholder. Only the run's own values: a credential-shaped string a model spells out token by token is not ours.
 */
import { findCredentials, type RedactRange, type Secret } from './redactor.ts';

/** A JSON string value of one event, where its characters lie in the stream's text. */
interface Piece {
  /** The key path (`choices.delta.tool_calls.function.arguments`). */
  path: string;
  /** The path with what tells apart the things a client joins separately (`choices[0]`, a call's index, `item_id`). */
  joinKey: string;
  /** Offsets of the characters between the quotes in the stream's text. */
  start: number;
  end: number;
  value: string;
}

/**
 * Keys whose value tells apart what clients join separately: a choice's or a call's `index`, a Responses item's
 * `item_id`/`output_index`/`content_index`, a Messages block's `index`. Not `id`: a call's comes on its first piece only.
 */
const JOIN_KEYS = new Set(['index', 'item_id', 'output_index', 'content_index']);

/** Real payloads nest a few levels; strings deeper than this are no field a client joins (and cost grows with depth). */
const MAX_DEPTH = 16;

/**
 * The ranges of the stream `text` to redact (the pieces of the run's secrets that form when its fields are joined),
 * and how many secrets they are. Each field is joined two ways: all its pieces in order (as `output_text` joins every
 * message's text), and per thing a client joins apart (a call's arguments by its index, a Responses item's deltas by
 * its id), so pieces of other calls or items in between do not hide one.
 */
export function joinedSecretRanges(text: string, secrets: readonly Secret[]): { ranges: RedactRange[]; secrets: number } {
  if (secrets.length === 0 || !text.includes('data')) return { ranges: [], secrets: 0 };
  const groups = new Map<string, Piece[]>();
  const add = (key: string, piece: Piece) => {
    const group = groups.get(key);
    if (group) group.push(piece);
    else groups.set(key, [piece]);
  };
  for (const piece of streamPieces(text)) {
    add(`path ${piece.path}`, piece);
    if (piece.joinKey !== piece.path) add(`join ${piece.joinKey}`, piece);
  }
  const ranges: RedactRange[] = [];
  let count = 0;
  const seen = new Set<string>();
  for (const pieces of groups.values()) {
    if (pieces.length < 2) continue;
    const joined = pieces.map((p) => p.value).join('');
    // Each view and each net may find the same secret (whole, by its pieces): overlaps are one.
    const own = mergeRanges(findCredentials(joined, secrets).filter((found) => found.own));
    for (const found of own) {
      const cut: RedactRange[] = [];
      let at = 0;
      for (const piece of pieces) {
        const from = Math.max(found.start, at);
        const to = Math.min(found.end, at + piece.value.length);
        if (from < to) cut.push({ ...rawRange(text, piece, from - at, to - at), kind: found.kind });
        at += piece.value.length;
      }
      // The same secret found by both joins is one secret.
      const key = cut.map((r) => `${r.start}-${r.end}`).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      count += 1;
      ranges.push(...cut);
    }
  }
  return { ranges: mergeRanges(ranges), secrets: count };
}

/** Sorted, overlaps merged (the first range's kind stays). */
function mergeRanges(ranges: RedactRange[]): RedactRange[] {
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: RedactRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** The offsets in the stream's text of a piece's decoded characters `from` to `to` (escapes read as one). */
function rawRange(text: string, piece: Piece, from: number, to: number): { start: number; end: number } {
  let decoded = 0;
  let raw = piece.start;
  let start = from === 0 ? raw : -1;
  while (raw < piece.end && decoded < to) {
    raw += text[raw] !== '\\' ? 1 : text[raw + 1] === 'u' ? 6 : 2;
    decoded += 1;
    if (decoded === from) start = raw;
  }
  return { start, end: raw };
}

/** Every JSON string value in the data of the stream's events, with its key path and place. */
function* streamPieces(text: string): Generator<Piece> {
  let lines: { data: string; at: number }[] = [];
  const line = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let match = line.exec(text); match; match = line.exec(text)) {
    const [whole, content = ''] = match;
    if (content === '') {
      if (lines.length) yield* eventPieces(lines);
      lines = [];
    } else if (content.startsWith('data:')) {
      const skip = content.startsWith('data: ') ? 6 : 5;
      lines.push({ data: content.slice(skip), at: match.index + skip });
    }
    if (whole === '') break;
  }
  if (lines.length) yield* eventPieces(lines);
}

/**
 * The pieces of one event, whose data is its data lines joined by "\n" (as the parser joins them). A JSON string
 * cannot hold a raw line break, so each piece lies on one line: its place in the text is that line's plus its offset.
 */
function* eventPieces(lines: readonly { data: string; at: number }[]): Generator<Piece> {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.data.length + 1;
  }
  const data = lines.map((l) => l.data).join('\n');
  let index = 0;
  for (const piece of jsonPieces(data)) {
    while (index + 1 < starts.length && starts[index + 1]! <= piece.start) index += 1;
    const shift = lines[index]!.at - starts[index]!;
    yield { ...piece, start: piece.start + shift, end: piece.end + shift };
  }
}

interface Frame {
  object: boolean;
  key: string;
  expectKey: boolean;
  /** `key=value` of the JOIN_KEYS this object holds (known once it is read through). */
  marks: string[];
}

/**
 * The string values of a JSON text with their key paths, read by a tolerant scanner (it never throws: malformed
 * data yields what it can, and an unterminated string ends it). Keys set the path; array positions do not.
 */
function jsonPieces(data: string): Piece[] {
  const pieces: (Piece & { owners: Frame[] })[] = [];
  const frames: Frame[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i];
    const frame = frames.at(-1);
    if (c === '{' || c === '[') frames.push({ object: c === '{', key: '', expectKey: c === '{', marks: [] });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && frame?.object) frame.expectKey = true;
    else if (c === ':' && frame) frame.expectKey = false;
    else if (c === '"') {
      let end = i + 1;
      while (end < data.length && data[end] !== '"') end += data[end] === '\\' ? 2 : 1;
      if (end >= data.length) break;
      const value = stringValue(data.slice(i, end + 1));
      if (frame?.object && frame.expectKey) frame.key = value ?? '';
      else if (value !== undefined && frames.length <= MAX_DEPTH) {
        if (frame?.object && JOIN_KEYS.has(frame.key)) frame.marks.push(`${frame.key}=${value}`);
        const owners = frames.filter((f) => f.object);
        pieces.push({ path: owners.map((f) => f.key).join('.'), joinKey: '', start: i + 1, end, value, owners });
      }
      i = end;
    } else if (frame?.object && !frame.expectKey && JOIN_KEYS.has(frame.key) && /[-0-9]/.test(c ?? '')) {
      // A number (an index): read whole, so that 12 is not read as 1 and 2.
      const match = /^-?[0-9][0-9.eE+-]*/.exec(data.slice(i, i + 32));
      if (match) {
        frame.marks.push(`${frame.key}=${match[0]}`);
        i += match[0].length - 1;
      }
    }
    i += 1;
  }
  // The marks of an object are known once it is read through: what tells its pieces apart is set now.
  return pieces.map(({ owners, ...piece }) => {
    const marks = owners.map((f) => f.marks.join(',')).join('/');
    return { ...piece, joinKey: marks.replace(/\//g, '') === '' ? piece.path : `${piece.path} ${marks}` };
  });
}

function stringValue(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
