// lib/mfa/totp.ts against RFC 6238's own test vectors (Appendix B) and its window and replay rules.
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, otpauthUri, parseTotpCode, TOTP_PERIOD_SECONDS, totpCodeAt, totpStep, verifyTotp } from '../../../lib/mfa/totp.ts';

/** RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" (ASCII), here in base32. */
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;

describe('TOTP (RFC 6238)', () => {
  // Appendix B's 8-digit values, of which a 6-digit code is the last six digits (RFC 4226 §5.3).
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at T=%is the code is the last six digits of %s (Appendix B)', (seconds, eightDigits) => {
    expect(totpCodeAt(RFC_SECRET, seconds * 1000)).toBe(eightDigits.slice(2));
    expect(verifyTotp(RFC_SECRET, eightDigits.slice(2), seconds * 1000)).toBe(Math.floor(seconds / 30));
  });

  it('accepts the previous and the next step (±1, §5.2 and §6) and nothing further, answering the matched step', () => {
    const now = 1_700_000_015_000;
    const step = totpStep(now);
    expect(verifyTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 30_000), now)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now), now)).toBe(step);
    expect(verifyTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 30_000), now)).toBe(step + 1);
    expect(verifyTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 60_000), now)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 60_000), now)).toBeUndefined();
  });

  it('refuses a code of another secret', () => {
    const now = Date.now();
    expect(verifyTotp(newTotpSecret(), totpCodeAt(RFC_SECRET, now), now)).toBeUndefined();
  });

  it('makes 160-bit secrets (RFC 4226 §4 R6), each different', () => {
    const secrets = new Set(Array.from({ length: 50 }, newTotpSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
  });

  it('writes the Key URI with the issuer and the label, escaped', () => {
    const uri = otpauthUri(RFC_SECRET, 'Acme Auth', 'jane doe');
    expect(uri).toBe(`otpauth://totp/Acme%20Auth:jane%20doe?issuer=Acme%20Auth&secret=${RFC_SECRET}&algorithm=SHA1&digits=6&period=${TOTP_PERIOD_SECONDS}`);
  });

  it('reads codes as typed: spaces dropped, exactly six ASCII digits', () => {
    expect(parseTotpCode('123456')).toBe('123456');
    expect(parseTotpCode(' 123 456 ')).toBe('123456');
    for (const bad of ['12345', '1234567', '12a456', '١٢٣٤٥٦', '', '123-456', '12345６']) expect(parseTotpCode(bad), bad).toBeUndefined();
  });
});
