/**
 * Any 12 characters of the run's own values in a row are looked up by their first 4 (secret-pieces.ts piecesOf), not
 * compared with every piece that starts with the same character: with a SigV4 session token of ~900 characters,
 * that was ~900 pieces, and a review measured 1.65 s to redact a 6 MB base64 body (85% of it there), against 0.36 s
 * with a bearer key. The cost no longer grows with the length of the values (README, Secrets, has the figures; timing
 * is measured, not asserted); every piece is still found.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redactor, type Secret } from '../src/transport/redactor.ts';

const TOKEN = `IQoJb3JpZ2luX2VjE${randomBytes(660).toString('base64').replace(/=+$/, '')}`;
const SIGV4: Secret[] = [{ kind: 'aws-access-key-id', value: 'ASIAQWERTYUIOPASDFGH' }, { kind: 'aws-secret-access-key', value: randomBytes(30).toString('base64') }, { kind: 'aws-session-token', value: TOKEN }];

describe('pieces of a long value', () => {
  it('are found at every offset, in either letter case, and only there', () => {
    const redactor = new Redactor(() => SIGV4);
    for (let at = 0; at + 12 <= TOKEN.length; at += 37) {
      const piece = TOKEN.slice(at, at + 12);
      expect(redactor.text(`x ${piece} y`).value, piece).toBe('x [REDACTED:aws-session-token] y');
      expect(redactor.text(`x ${piece.toUpperCase()} y`).value, piece).toBe('x [REDACTED:aws-session-token] y');
      // 11 characters are no piece.
      expect(redactor.text(`x ${piece.slice(1)} y`).value).toBe(`x ${piece.slice(1)} y`);
    }
  });

});
