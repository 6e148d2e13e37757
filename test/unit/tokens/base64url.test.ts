// The hot path's base64url decoder must accept and refuse exactly what jose's does (atob's
// forgiving base64 on Node), and decode to the same bytes: checked against jose with fast-check.
import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../../lib/tokens/jwt-verify.ts';

const outcome = (decode: (s: string) => Uint8Array, input: string) => {
  try {
    return Buffer.from(decode(input)).toString('hex');
  } catch {
    return 'refused';
  }
};

describe('decodeBase64url', () => {
  it('agrees with jose on arbitrary strings over a base64-ish alphabet', () => {
    const alphabet = fc.constantFrom(...'AZaz09-_+/= \t\n\r\f.!é'.split(''), 'Q', 'w');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')),
        (input) => {
          expect(outcome(decodeBase64url, input)).toBe(outcome(base64url.decode, input));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with jose on real encodings and their paddings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('', '=', '==', ' ', '\n'), (bytes, suffix) => {
        const input = Buffer.from(bytes).toString('base64url') + suffix;
        expect(outcome(decodeBase64url, input)).toBe(outcome(base64url.decode, input));
      }),
      { numRuns: 2000 },
    );
  });
});
