// The hot path's base64url decoder accepts exactly the canonical encodings (RFC 7515 §2: the
// URL-safe alphabet, no padding or whitespace, zero unused bits) and decodes them to the bytes jose does.
import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, isCanonicalBase64url } from '../../../lib/tokens/jwt-verify.ts';

const outcome = (decode: (s: string) => Uint8Array, input: string) => {
  try {
    return Buffer.from(decode(input)).toString('hex');
  } catch {
    return 'refused';
  }
};

/** The one canonical spelling of some bytes is what encoding them gives back. */
const canonical = (input: string) => {
  const decoded = outcome(base64url.decode, input);
  return decoded !== 'refused' && Buffer.from(decoded, 'hex').toString('base64url') === input;
};

describe('decodeBase64url', () => {
  it('accepts a string exactly when it is the canonical encoding of what jose decodes it to', () => {
    const alphabet = fc.constantFrom(...'AZaz09-_+/= \t\n\r\f.!é'.split(''), 'Q', 'w', 'B', 'x');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')),
        (input) => {
          expect(isCanonicalBase64url(input)).toBe(canonical(input));
          expect(outcome(decodeBase64url, input)).toBe(canonical(input) ? outcome(base64url.decode, input) : 'refused');
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('decodes real encodings as jose does and refuses their padded and spaced spellings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('=', '==', ' ', '\n'), (bytes, suffix) => {
        const input = Buffer.from(bytes).toString('base64url');
        expect(outcome(decodeBase64url, input)).toBe(outcome(base64url.decode, input));
        expect(outcome(decodeBase64url, input + suffix)).toBe('refused');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a last character with non-zero unused bits', () => {
    // "QQ" is the one spelling of the byte 0x41; "QR" to "QZ" decode to it too, with junk in the low bits.
    expect(outcome(decodeBase64url, 'QQ')).toBe('41');
    for (const junk of ['QR', 'QX', 'Qf']) expect(outcome(decodeBase64url, junk)).toBe('refused');
    expect(outcome(base64url.decode, 'QR')).toBe('41');
  });
});
