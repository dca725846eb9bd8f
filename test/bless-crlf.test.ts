/**
 * bless on a CRLF expectations file keeps CRLF (no bare CR from a comment's line end) and keeps a comment on a
 * model's key line where it was.
 */
import { describe, expect, it } from 'vitest';
import { blessedText } from '../src/suite/load-expectations.ts';

describe('bless re-prints a CRLF file in CRLF', () => {
  const text = [
    'expectations: mantle',
    'models:',
    '  openai.gpt-oss-20b:   # model comment',
    '    # about created-at',
    '    created-at.chat: exponent',
    '    path-prefix: /v1',
    '  xai.grok-4.3:',
    '    created-at.chat: integer',
    '',
  ].join('\r\n');

  it('no bare CR, and the key-line comment stays on the key line', () => {
    const out = blessedText(text, 'e.yaml', [{ model: 'openai.gpt-oss-20b', check: 'created-at.chat', from: 'exponent', to: 'integer' }], 'blessed');
    expect(out).not.toMatch(/\r(?!\n)/);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toBe(text.replace('created-at.chat: exponent', 'created-at.chat: integer'));
  });

  // A guard: the whole print never had the bare CR (only the splice did).
  it('the whole-document print (when splicing is not safe) has no bare CR either', () => {
    const out = blessedText(text, 'e.yaml', [{ model: 'openai.gpt-oss-20b', check: 'created-at.chat', from: 'exponent', to: 'integer' }], 'blessed', { whole: true });
    expect(out).not.toMatch(/\r(?!\n)/);
    expect(out).toContain('created-at.chat: integer\r\n');
  });
});
