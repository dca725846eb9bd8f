/**
 * @module transport/joined-secrets
 * A credential an endpoint sends in pieces. Clients and checks join a stream's string fields across its events (a
 * tool call's arguments, a text's deltas), and an answer's parts within one body (a chat message's text parts, a
 * Response's `output_text` parts, a Messages answer's text blocks), so a run's own secret cut in two, each half in
 * its own event or part, is whole again in a reason, a report or a replay of the fixture. Each field is read here as
 * they join it: the strings at one key path (array positions aside) of every event, or of a body's array elements,
 * in order; where one of the run's secrets forms in that joined text, its pieces are cut out of the text's own
 * characters (escapes included), each leaving a placeholder. Only the run's own values: a credential-shaped string
 * a model spells out token by token is not ours.
 */
import { jsonPieces, mergeRanges, rawRange, type Piece } from './json-string-pieces.ts';
import { findCredentials, type RedactRange, type Secret } from './redactor.ts';

/**
 * The ranges of the response `text` (an SSE stream, or a whole JSON body) to redact (the pieces of the run's secrets
 * that form when its fields are joined), and how many secrets they are. Each field is joined several ways: all its
 * pieces in order (as `output_text` joins every message's text), per thing a client joins apart (a call's arguments
 * by its index, a Responses item's deltas by its id), so pieces of other calls or items in between do not hide one,
 * and, in a body, per kind of part (`output_text`, not a reasoning item's text between two messages).
 */
export function joinedSecretRanges(text: string, secrets: readonly Secret[]): { ranges: RedactRange[]; secrets: number } {
  if (secrets.length === 0) return { ranges: [], secrets: 0 };
  // A body is one "event" whose pieces all belong to one text; at one path they can only be an array's elements.
  const body = JSON_START.test(text);
  if (!body && !text.includes('data')) return { ranges: [], secrets: 0 };
  const groups = new Map<string, { pieces: Piece[]; whole?: Piece[] }>();
  const add = (key: string, piece: Piece, whole?: Piece[]): Piece[] => {
    const group = groups.get(key);
    if (group) {
      group.pieces.push(piece);
      return group.pieces;
    }
    const pieces = [piece];
    groups.set(key, whole ? { pieces, whole } : { pieces });
    return pieces;
  };
  for (const piece of body ? jsonPieces(text) : streamPieces(text)) {
    const whole = add(`path ${piece.path}`, piece);
    if (piece.joinKey !== piece.path) add(`join ${piece.joinKey}`, piece, whole);
    if (body && piece.kindKey !== piece.path) add(`kind ${piece.kindKey}`, piece, whole);
  }
  const ranges: RedactRange[] = [];
  let count = 0;
  const seen = new Set<string>();
  for (const { pieces, whole } of groups.values()) {
    // A view that holds every piece of its path (one choice, one call, one kind) is the path's join: read it once.
    if (pieces.length < 2 || whole?.length === pieces.length) continue;
    const joined = pieces.map((p) => p.value).join('');
    // Each view and each net may find the same secret (whole, by its pieces): overlaps are one.
    const own = mergeRanges(findCredentials(joined, secrets).filter((found) => found.own));
    const offsets: number[] = [];
    let length = 0;
    for (const piece of pieces) {
      offsets.push(length);
      length += piece.value.length;
    }
    // The finds are sorted and apart: each walks on from the piece the last one ended in, so a body of a million
    // one-character parts that holds the key many times is read once, not once per find.
    let first = 0;
    for (const found of own) {
      while (first < pieces.length && offsets[first]! + pieces[first]!.value.length <= found.start) first += 1;
      const cut: RedactRange[] = [];
      for (let i = first; i < pieces.length && offsets[i]! < found.end; i += 1) {
        const piece = pieces[i]!;
        const at = offsets[i]!;
        const from = Math.max(found.start, at);
        const to = Math.min(found.end, at + piece.value.length);
        if (from < to) cut.push(rawRange(text, piece, from - at, to - at, found.kind));
      }
      ranges.push(...cut);
      // The same secret found by several joins is one secret: the same text, from the same first to the same last.
      const key = `${cut[0]?.start}-${cut.at(-1)?.end}-${cut.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      count += 1;
    }
  }
  return { ranges: mergeRanges(ranges), secrets: count };
}

/** A JSON object or array, as a body that is not a stream begins (JSON's own whitespace first). */
const JSON_START = /^[ \t\r\n]*[[{]/;

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
