/**
 * Reports written in pieces (report/json-pieces.ts) are the text JSON.stringify gives, whatever the value, indent,
 * depth and run length: matrix.json and the page's embedded JSON did not change by being streamed.
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { scriptJson } from '../src/report/inert-text.ts';
import { jsonPieces } from '../src/report/json-pieces.ts';

/** JSON values, and what JSON.stringify treats specially: undefined, functions, symbols, toJSON, a Date, -0, NaN. */
const odd = fc.constantFrom<unknown>(
  undefined,
  () => 1,
  Symbol('s'),
  { toJSON: () => ['from toJSON'] },
  // toJSON is called with the key or index it is found at, and may leave the value out.
  { toJSON: (key: string) => `at ${key}` },
  { toJSON: () => undefined },
  Object.assign([1, 2], { toJSON: () => 'an array with its own toJSON' }),
  new Date(0),
  -0,
  Number.NaN,
  Infinity,
  Object.create(null) as object,
  Object('boxed') as object,
  '</script><!--\u2028',
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), odd, fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 })),
}));

describe('jsonPieces', () => {
  // Indents as JSON.stringify reads them (fractions cut, at most 10, nothing below 1); runs of any length.
  const indents = fc.constantFrom(0, 1, 2, 4, 2.5, -1, 12, Number.NaN, Infinity);
  property.prop([value, indents, fc.integer({ min: 0, max: 4 }), fc.integer({ min: -2, max: 4 })], { numRuns: 500 })(
    'joined, is what JSON.stringify gives',
    (v, indent, depth, batch) => {
      const pieces = [...jsonPieces(v, { indent, depth, batch })];
      expect(pieces.every((p) => typeof p === 'string')).toBe(true);
      expect(pieces.join('')).toBe(JSON.stringify(v, null, indent) ?? '');
    },
  );

  it('splits a long array into runs, and never one string for all of it', () => {
    const results = Array.from({ length: 1000 }, (_, i) => ({ i, reason: `cell ${i}`, evidence: [{ nested: { deep: [i] } }] }));
    const pieces = [...jsonPieces({ format: 'x', results }, { indent: 2, batch: 100 })];
    expect(pieces.join('')).toBe(JSON.stringify({ format: 'x', results }, null, 2));
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(JSON.stringify(results, null, 2).length / 5);
  });

  property.prop([value])('escaped for a script element, is the escape of the whole text', (v) => {
    const whole = (JSON.stringify(v) ?? '').replace(/[<>&#\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(scriptJson(v)).toBe(whole);
  });

  it('writes direction marks and C1 controls as escapes that read back as themselves (a page shown in a terminal)', () => {
    const v = { reason: 'model \u202eliaf\u202c is fine \u0085\u061c\u2066\u200f' };
    const text = scriptJson(v);
    expect(text).not.toMatch(/[\u0085\u061c\u200f\u202c\u202e\u2066]/);
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(v);
  });
});
