/**
 * The parsing every target shares: SSE from reads (any line ending, any split), and number lexemes that JSON.parse
 * would erase.
 */
import { describe, expect, it } from 'vitest';
import { lexemeKind } from '../src/checks/lexeme.ts';
import { losslessBody } from '../src/transport/body.ts';
import { parseSseChunks } from '../src/transport/sse.ts';

const chunks = (...data: string[]) => data.map((d, t) => ({ t, data: d }));

describe('parseSseChunks', () => {
  it('parses LF, CRLF and CR line endings alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const stream = parseSseChunks(chunks(`event: a${eol}data: 1${eol}${eol}data: 2${eol}${eol}`));
      expect(stream.events.map((e) => [e.event, e.data])).toEqual([['a', '1'], [undefined, '2']]);
      expect(stream.trailing).toBe('');
    }
    expect(parseSseChunks(chunks('data: 1\r\n\r\n')).lineEndings).toBe('crlf');
  });

  it('joins an event split across reads, at any byte', () => {
    const text = 'data: {"a":1}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const stream = parseSseChunks(chunks(text.slice(0, cut), text.slice(cut)));
      expect(stream.events.map((e) => e.data)).toEqual(['{"a":1}', '[DONE]']);
    }
  });

  it('reports an unterminated last event as trailing text', () => {
    expect(parseSseChunks(chunks('data: 1\n\ndata: {"cut')).trailing).toBe('data: {"cut');
  });

  it('keeps comments apart from events', () => {
    const stream = parseSseChunks(chunks(': ping\n\ndata: x\n\n'));
    expect(stream.comments).toEqual(['ping']);
    expect(stream.events).toHaveLength(1);
  });
});

describe('lexemeKind', () => {
  const kindOf = (json: string) => {
    const parsed = losslessBody({ status: 200, headers: {}, chunks: [{ t: 0, data: json }] });
    return lexemeKind((parsed as { ok: true; value: Record<string, unknown> }).value.created);
  };
  it.each([
    ['{"created":1790166400}', 'integer'],
    ['{"created":1790166400.25}', 'float'],
    ['{"created":1.7635E9}', 'exponent'],
    ['{"created":1.772195752e+09}', 'exponent'],
    ['{"created":"2026-09-23T12:00:00Z"}', 'string'],
    ['{"created":null}', 'missing'],
    ['{}', 'missing'],
    ['{"created":true}', 'other'],
    ['{"created":{}}', 'other'],
    ['{"created":[1790166400]}', 'other'],
  ])('%s is %s', (json, kind) => {
    expect(kindOf(json).kind).toBe(kind);
  });

  it('reads a boolean or object as no number (other), never as a float; a plain number by its value', () => {
    expect(lexemeKind(true)).toEqual({ kind: 'other', lexeme: 'true' });
    expect(lexemeKind({})).toEqual({ kind: 'other', lexeme: '{}' });
    expect(lexemeKind(1.5)).toEqual({ kind: 'float', lexeme: '1.5' });
    expect(lexemeKind(2)).toEqual({ kind: 'integer', lexeme: '2' });
  });

  it('sees what JSON.parse hides', () => {
    expect(Number.isInteger(JSON.parse('{"created":1.7635E9}').created)).toBe(true);
    expect(kindOf('{"created":1.7635E9}').lexeme).toBe('1.7635E9');
  });
});
