/**
 * The reports take shortcuts for the common case (text with nothing to escape is returned as it is; a pair's
 * results listed together are grouped without a key per result): whatever the input, what they give is what the
 * plain way gives, written out here as the reports did it before the shortcuts.
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { capText, htmlText, inertLine, markdownText, xmlAttribute, xmlText } from '../src/report/inert-text.ts';
import { pairKey, resultsByCell, type MatrixResult } from '../src/report/matrix.ts';

// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
/** The `#` of a CI command read anywhere in a line: `##[` (GitHub), `##vso[` (Azure Pipelines, any case), `##teamcity[`. */
const COMMAND_HASH = /#(?=#(?:vso|teamcity)?\[)/gi;
/** xmlText without its shortcut: markup escaped; C1 controls, direction marks, `::` and `##[` (`##vso[`, `##teamcity[`) as character references. */
const plainXmlText = (text: string) =>
  text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)
    .replace(/:(?=:)/g, '&#58;')
    .replace(COMMAND_HASH, '&#35;');
const plainXmlAttribute = (text: string) => plainXmlText(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** htmlText without its shortcut: every text flattened as an inert line is, its markup escaped, `::` and `##[` as references. */
const plainHtmlText = (value: unknown) =>
  inertLine(String(value), Number.POSITIVE_INFINITY).replace(/:\u200b(?=:)/g, ':').replace(/#\u200b(?=#(?:vso|teamcity)?\[)/gi, '#').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(/:(?=:)/g, '&#58;').replace(COMMAND_HASH, '&#35;');

/** Mostly printable ASCII (the shortcut's case), with what each escape is for mixed in: controls, markup, lone surrogates, astral characters. */
const text = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', ' ', ':', '#', '[', 'vso', 'VsO', 'teamcity', '|', '`', '&', '<', '>', '"', "'", '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u00a0', '\u061c', '\u200d', '\u200e', '\u2028', '\u202e', '\u202f', '\u2066', '\u206a', '\ufffe', '\uffff', '\ud800', '\udc00', '😀', 'é', '⏎'), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

describe('escapes with a shortcut for text with nothing to escape', () => {
  property.prop([text], { numRuns: 2000 })('xmlText and xmlAttribute', (t) => {
    expect(xmlText(t)).toBe(plainXmlText(t));
    expect(xmlAttribute(t)).toBe(plainXmlAttribute(t));
  });

  property.prop([text], { numRuns: 2000 })('htmlText', (t) => {
    expect(htmlText(t)).toBe(plainHtmlText(t));
  });

  // For printable ASCII, folding changes nothing: the line is the text cut, with commands broken.
  const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
  property.prop([fc.oneof(printable, fc.constantFrom('a::b', '##[error]', 'a ##vso[task.setvariable variable=X]y', '##TEAMCITY[x]', '::', 'a|b*c`d', '&#x202E;x', 'https://a.b www.c.d')), fc.integer({ min: 0, max: 80 })], { numRuns: 1000 })(
    'inertLine and markdownText of printable ASCII',
    (t, max) => {
      const line = capText(t, max).replace(/:(?=:)/g, ':\u200b').replace(COMMAND_HASH, '#\u200b');
      expect(inertLine(t, max)).toBe(line);
      expect(markdownText(t, max)).toBe(line.replace(/[\\`*[\]<>|&]/g, (c) => `\\${c}`).replace(/:\/\//g, ':\u200b//').replace(/(www)\./gi, '$1\u200b.').replace(/@/g, '@\u2060'));
    },
  );
});

describe('resultsByCell', () => {
  const result = fc.record({ target: fc.constantFrom('a', 'b'), model: fc.constantFrom('m', 'n', 'm\u0000n'), check: fc.constantFrom('x', 'y') });
  property.prop([fc.array(result, { maxLength: 30 }), fc.boolean()])('groups as a key per result does, in any order, with results left out', (rows, skipSome) => {
    const results = rows.map((r, i) => ({ ...r, i }) as unknown as MatrixResult & { i: number });
    const keep = (r: MatrixResult) => !skipSome || (r as MatrixResult & { i: number }).i % 3 !== 0;
    const plain = new Map<string, MatrixResult[]>();
    for (const r of results) if (keep(r)) plain.set(pairKey(r.target, r.model), [...(plain.get(pairKey(r.target, r.model)) ?? []), r]);
    const grouped = resultsByCell(results, keep);
    expect([...grouped.keys()]).toEqual([...plain.keys()]);
    for (const [key, list] of plain) expect(grouped.get(key)).toEqual(list);
  });
});

describe('htmlText keeps what a page looks cells up by', () => {
  /** What a browser reads back from an attribute value: the character references htmlText writes. */
  const decoded = (html: string) => html.replace(/&#58;/g, ':').replace(/&#35;/g, '#').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  it("a key holding an ARN's :: reads back as it was (a zero-width space in it left the cell's drawer empty)", () => {
    const key = 'emulator|arn:aws:bedrock:us-east-1::foundation-model/xai.grok-4.3|path-prefix';
    expect(htmlText(key)).not.toContain('::');
    expect(decoded(htmlText(key))).toBe(key);
  });
});
