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
  /** Offsets of the characters between the quotes in the stream's text. */
  start: number;
  end: number;
  value: string;
}

/**
 * The ranges of the stream `text` to redact (the pieces of the run's secrets that form when its fields are joined),
 * and how many secrets they are.
 */
export function joinedSecretRanges(text: string, secrets: readonly Secret[]): { ranges: RedactRange[]; secrets: number } {
  if (secrets.length === 0 || !text.includes('data')) return { ranges: [], secrets: 0 };
  const byPath = new Map<string, Piece[]>();
  for (const piece of streamPieces(text)) byPath.set(piece.path, [...(byPath.get(piece.path) ?? []), piece]);
  const ranges: RedactRange[] = [];
  let count = 0;
  for (const pieces of byPath.values()) {
    if (pieces.length < 2) continue;
    const joined = pieces.map((p) => p.value).join('');
    for (const found of findCredentials(joined, secrets)) {
      if (!found.own) continue;
      count += 1;
      let at = 0;
      for (const piece of pieces) {
        const from = Math.max(found.start, at);
        const to = Math.min(found.end, at + piece.value.length);
        if (from < to) ranges.push({ ...rawRange(text, piece, from - at, to - at), kind: found.kind });
        at += piece.value.length;
      }
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
  // An event's data is its data lines joined by "\n"; a JSON string cannot hold a raw line break, so each piece lies
  // on one line, and its place in the text is that line's place plus its offset on it.
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

function* eventPieces(lines: readonly { data: string; at: number }[]): Generator<Piece> {
  for (const line of lines) {
    for (const piece of jsonPieces(line.data)) yield { ...piece, start: piece.start + line.at, end: piece.end + line.at };
  }
}

/**
 * The string values of a JSON text with their key paths, read by a tolerant scanner (it never throws: malformed
 * data yields what it can, and an unterminated string ends it). Keys set the path; array positions do not.
 */
function* jsonPieces(data: string): Generator<Piece> {
  const frames: { object: boolean; key: string; expectKey: boolean }[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i];
    const frame = frames.at(-1);
    if (c === '{' || c === '[') frames.push({ object: c === '{', key: '', expectKey: c === '{' });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && frame?.object) frame.expectKey = true;
    else if (c === ':' && frame) frame.expectKey = false;
    else if (c === '"') {
      let end = i + 1;
      while (end < data.length && data[end] !== '"') end += data[end] === '\\' ? 2 : 1;
      if (end >= data.length) return;
      const value = stringValue(data.slice(i, end + 1));
      if (frame?.object && frame.expectKey) frame.key = value ?? '';
      else if (value !== undefined) yield { path: frames.filter((f) => f.object).map((f) => f.key).join('.'), start: i + 1, end, value };
      i = end;
    }
    i += 1;
  }
}

function stringValue(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
