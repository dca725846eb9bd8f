/**
 * @module transport/json-string-pieces
 * The string values of a JSON text with where they lie in it and what a client joins them by, for joined-secrets.ts:
 * a tolerant scanner (an SSE event's data or a whole body, malformed or cut off), and the cutting of a value's
 * decoded characters back to the text's own (escapes included).
 */
import type { RedactRange } from './redactor.ts';

/** A JSON string value, where its characters lie in the text it was read from. */
export interface Piece {
  /** The key path (`choices.delta.tool_calls.function.arguments`). */
  path: string;
  /** The path with what tells apart the things a client joins separately (`choices[0]`, a call's index, `item_id`). */
  joinKey: string;
  /**
   * The path with the `type` of each object it lies in: a client joins the text of one kind of part (a message's
   * `output_text`, not a reasoning item's text at the same path between two messages).
   */
  kindKey: string;
  /** Offsets of the characters between the quotes in the text. */
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

interface Frame {
  object: boolean;
  key: string;
  expectKey: boolean;
  /** The nearest object at or above it (itself, when an object). */
  owner: Frame | undefined;
  /** An object's: the nearest object above it, and the key path that leads to it (fixed while it is read). */
  up: Frame | undefined;
  prefix: string | undefined;
  /** `key=value` of the JOIN_KEYS this object holds (known once it is read through). */
  marks: string[];
  /** Its `type`, when a string (known once it is read through). */
  kind: string;
  /** What its pieces are told apart by, from it and the objects above it: set once, when first asked. */
  views?: { marks: string; anyMark: boolean; kinds: string; anyKind: boolean };
}

/**
 * The string values of a JSON text with their key paths, read by a tolerant scanner (it never throws: malformed
 * data yields what it can, and an unterminated string ends it). Keys set the path; array positions do not.
 */
export function jsonPieces(data: string): Piece[] {
  // A body of a million one-character parts is a million pieces: each holds its object, not a copy of its ancestry.
  const pieces: (Piece & { owner: Frame | undefined })[] = [];
  const frames: Frame[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data.charCodeAt(i);
    const frame = frames.at(-1);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const object = c === OPEN_OBJECT;
      const up = frame?.owner;
      // Deeper than MAX_DEPTH nothing is kept: no path is built there (a hostile body nests 50,000 levels).
      const opened: Frame = { object, key: '', expectKey: object, owner: undefined, up, prefix: up && frames.length < MAX_DEPTH ? pathOf(up) : undefined, marks: [], kind: '' };
      opened.owner = object ? opened : up;
      frames.push(opened);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) frames.pop();
    else if (c === COMMA && frame?.object) frame.expectKey = true;
    else if (c === COLON && frame) frame.expectKey = false;
    else if (c === QUOTE) {
      let end = i + 1;
      // Most strings hold no escape and no control character: their value is their text, no parse needed.
      let plain = true;
      for (let at = data.charCodeAt(end); end < data.length && at !== QUOTE; at = data.charCodeAt(end)) {
        if (at === BACKSLASH || at < 0x20) plain = false;
        end += at === BACKSLASH ? 2 : 1;
      }
      if (end >= data.length) break;
      const value = plain ? data.slice(i + 1, end) : stringValue(data.slice(i, end + 1));
      if (frame?.object && frame.expectKey) frame.key = value ?? '';
      else if (value !== undefined && frames.length <= MAX_DEPTH) {
        if (frame?.object && JOIN_KEYS.has(frame.key)) frame.marks.push(`${frame.key}=${value}`);
        if (frame?.object && frame.key === 'type') frame.kind = value;
        const owner = frame?.owner;
        const path = owner ? pathOf(owner) : '';
        pieces.push({ path, joinKey: path, kindKey: path, start: i + 1, end, value, owner });
      }
      i = end;
    } else if (frame?.object && !frame.expectKey && JOIN_KEYS.has(frame.key) && (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9))) {
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
  for (const piece of pieces) {
    const views = piece.owner && viewsOf(piece.owner);
    if (views?.anyMark) piece.joinKey = `${piece.path} ${views.marks}`;
    if (views?.anyKind) piece.kindKey = `${piece.path} ${views.kinds}`;
  }
  return pieces;
}

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The key path of an object's current key: the keys of it and the objects above it. */
function pathOf(object: Frame): string {
  return object.prefix === undefined ? object.key : `${object.prefix}.${object.key}`;
}

/** The marks and types of an object and the objects above it, outermost first, each object's apart by a slash. */
function viewsOf(object: Frame): NonNullable<Frame['views']> {
  if (!object.views) {
    const up = object.up && viewsOf(object.up);
    const marks = object.marks.join(',');
    object.views = {
      marks: up ? `${up.marks}/${marks}` : marks,
      anyMark: (up?.anyMark ?? false) || marks !== '',
      kinds: up ? `${up.kinds}/${object.kind}` : object.kind,
      anyKind: (up?.anyKind ?? false) || object.kind !== '',
    };
  }
  return object.views;
}

function stringValue(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}

/** The offsets in the text of a piece's decoded characters `from` to `to` (escapes read as one), to cut as `kind`. */
export function rawRange(text: string, piece: Piece, from: number, to: number, kind: string): RedactRange {
  let decoded = 0;
  let raw = piece.start;
  let start = from === 0 ? raw : -1;
  while (raw < piece.end && decoded < to) {
    raw += text[raw] !== '\\' ? 1 : text[raw + 1] === 'u' ? 6 : 2;
    decoded += 1;
    if (decoded === from) start = raw;
  }
  return { start, end: raw, kind };
}

const order = (a: RedactRange, b: RedactRange) => a.start - b.start || b.end - a.end;

/** Sorted, overlaps merged (the first range's kind stays). */
export function mergeRanges(ranges: RedactRange[]): RedactRange[] {
  // One view's finds come in order: a million of them need no sort.
  if (ranges.some((range, i) => i > 0 && order(ranges[i - 1]!, range) > 0)) ranges.sort(order);
  const merged: RedactRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
