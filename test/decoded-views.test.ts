/**
 * The redactor reads every body an endpoint sends through its decoded views, so a body built to make the escape
 * pattern backtrack must not hang the harness: runs of backslashes are read in linear time (a million of them used
 * to take a quarter of an hour), and what a run of backslashes before an escape decodes to is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { decodedViews } from '../src/transport/decoded-views.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';

const KEY = 'ABSKQmVkcm9ja0FQSUtleS1hYmNkZWZnaGlqa2xtbm9w+/Rr==';
const layers = (text: string) => decodedViews(text).map((view) => view.text);

describe('decoded views of backslash runs', () => {
  it.each([
    { name: 'an escape behind three backslashes is one character', text: 'a\\\\\\u0041b', views: ['a\\\\\\u0041b', 'aAb'] },
    { name: 'an escaped slash behind two', text: 'x\\\\/y', views: ['x\\\\/y', 'x/y'] },
    { name: 'an escape behind a thousand', text: `${'\\'.repeat(1000)}u003d`, views: [`${'\\'.repeat(1000)}u003d`, '='] },
    { name: 'a run with no escape after it is left alone', text: `${'\\'.repeat(1000)}n${'\\'.repeat(5)}`, views: [`${'\\'.repeat(1000)}n${'\\'.repeat(5)}`] },
    { name: 'a run before a percent escape stays', text: '\\\\%41', views: ['\\\\%41', '\\\\A'] },
    { name: 'an escape that decodes to a backslash makes the next layer\'s run', text: '\\u005cu0041', views: ['\\u005cu0041', '\\u0041', 'A'] },
  ])('$name', ({ text, views }) => {
    expect(layers(text)).toEqual(views);
  });

  it('maps a decoded character back to the whole run and escape it came from', () => {
    const view = decodedViews('ab\\\\\\u0041cd')[1]!;
    expect(view.text).toBe('abAcd');
    expect(view.original(2, 3)).toEqual([2, 10]);
    expect(view.original(3, 5)).toEqual([10, 12]);
  });
});

describe('bodies built to backtrack complete (a generous timeout: the quadratic pattern took minutes on these)', () => {
  const bodies: [string, string][] = [
    ['a million backslashes', '\\'.repeat(1_000_000)],
    ['200,000 \\u00 fragments', '\\u00'.repeat(200_000)],
    ['200,000 \\\\u00 fragments', '\\\\u00'.repeat(200_000)],
    ['a thousand runs of a thousand backslashes, each before an unfinished escape', `${'\\'.repeat(1000)}u00`.repeat(1000)],
    ['a million zeros in an HTML reference', `&#x${'0'.repeat(1_000_000)}`],
  ];

  it.each(bodies)('%s: views, redaction and the fixture scan', (_name, body) => {
    expect(layers(body)).toEqual([body]);
    const redactor = new Redactor(() => [{ kind: 'api-key', value: KEY }]);
    expect(redactor.text(body)).toEqual({ value: body, count: 0 });
    expect(scanForSecrets(body, [KEY])).toEqual([]);
  }, 10_000);

  it('a key escaped behind a million backslashes is still found and replaced', () => {
    const body = `{"message":"${'\\'.repeat(1_000_000)}u0041 key ${KEY.replace(/=/g, '\\u003d')}"}`;
    const { value, count } = new Redactor(() => [{ kind: 'api-key', value: KEY }]).text(body);
    expect(count).toBe(1);
    expect(value.endsWith(' key [REDACTED:api-key]"}')).toBe(true);
  }, 10_000);
});
