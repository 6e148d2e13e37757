// Property tests (fast-check) of reading what people type: TOTP codes and recovery codes. A code as
// shown always reads back, however it is cased, spaced or dashed; nothing else is ever taken for one,
// and parsing never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatRecoveryCode,
  hashRecoveryCode,
  newRecoveryCode,
  newRecoveryCodes,
  parseRecoveryCode,
  RECOVERY_CODE_LENGTH,
} from '../../../lib/mfa/recovery-codes.ts';
import { parseTotpCode } from '../../../lib/mfa/totp.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const canonical = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: RECOVERY_CODE_LENGTH, maxLength: RECOVERY_CODE_LENGTH });
/** Separators a person may type between characters. */
const separator = fc.constantFrom('', '', '', ' ', '-', '  ', '\u2010', '\u2013', '\u2212', '\t');

/** The code with each character's case chosen at random and separators sprinkled between. */
const typedLoosely = (code: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.array(separator, { minLength: code.length + 1, maxLength: code.length + 1 }),
    )
    .map(([upper, seps]) => seps[0] + [...code].map((char, i) => (upper[i] ? char.toUpperCase() : char) + seps[i + 1]).join(''));

describe('recovery codes (NIST SP 800-63B §5.1.2)', () => {
  it('a shown code reads back to itself however it is cased, spaced or dashed', () => {
    fc.assert(
      fc.property(
        canonical.chain((code) => fc.tuple(fc.constant(code), typedLoosely(formatRecoveryCode(code)))),
        ([code, typed]) => {
          expect(parseRecoveryCode(typed)).toBe(code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("Crockford's look-alikes read as the digit they resemble", () => {
    fc.assert(
      fc.property(canonical, (code) => {
        const lookalikes = code.replace(/1/g, 'l').replace(/0/g, 'O');
        expect(parseRecoveryCode(lookalikes)).toBe(code);
      }),
    );
  });

  it('never throws, and anything it accepts is 24 characters of the alphabet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const parsed = parseRecoveryCode(input);
        if (parsed !== undefined) expect(parsed).toMatch(/^[0-9a-hjkmnp-tv-z]{24}$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a code one character short or long', () => {
    fc.assert(
      fc.property(canonical, fc.constantFrom(...ALPHABET), (code, extra) => {
        expect(parseRecoveryCode(code.slice(1))).toBeUndefined();
        expect(parseRecoveryCode(code + extra)).toBeUndefined();
      }),
    );
  });

  it('new codes: ten, distinct, shown in groups of four, each reading back to its hash', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^([0-9a-hjkmnp-tv-z]{4}-){5}[0-9a-hjkmnp-tv-z]{4}$/);
      expect(hashRecoveryCode('u1', code.toUpperCase().replace(/-/g, ' '))).toBe(hashRecoveryCode('u1', code));
    }
  });

  it('hashes per user: the same code gives different hashes for two accounts', () => {
    const code = newRecoveryCode();
    expect(hashRecoveryCode('user-a', code)).not.toBe(hashRecoveryCode('user-b', code));
  });

  it('uses all 120 bits: every position takes every character of the alphabet over many codes', () => {
    const seen = Array.from({ length: RECOVERY_CODE_LENGTH }, () => new Set<string>());
    for (let i = 0; i < 3000; i += 1) {
      for (const [at, char] of [...parseRecoveryCode(newRecoveryCode())!].entries()) seen[at]!.add(char);
    }
    for (const position of seen) expect(position.size).toBe(32);
  });
});

describe('TOTP codes as typed', () => {
  it('six digits with any spaces read back; anything else with a non-digit does not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6}$/), fc.array(fc.constantFrom('', ' ', '\u00a0'), { minLength: 7, maxLength: 7 }), (digits, spaces) => {
        const typed = spaces[0] + [...digits].map((d, i) => d + spaces[i + 1]).join('');
        expect(parseTotpCode(typed)).toBe(digits);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (input) => {
        const parsed = parseTotpCode(input);
        if (parsed !== undefined) expect(parsed).toMatch(/^[0-9]{6}$/);
      }),
      { numRuns: 5000 },
    );
  });
});
