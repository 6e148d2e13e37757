// Recovery codes: NIST SP 800-63B §5.1.2 look-up secrets. Ten single-use codes, shown once, kept
// only as hashes. Each has 120 random bits: §5.1.2.2 lets look-up secrets of at least 112 bits be
// stored under a plain approved hash (SHA-256) without a salted key-derivation function. They are
// written in Crockford's base32 (no i, l, o, u: nothing to confuse), in groups of four, and read
// back forgivingly: any case, spaces and dashes anywhere, i/l read as 1 and o as 0.
import { createHash, randomBytes } from 'node:crypto';
import { RECOVERY_CODE_COUNT } from '../domain/mfa.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 24 characters of 5 bits: 120 bits of entropy (>= 112, NIST SP 800-63B §5.1.2.2). */
export const RECOVERY_CODE_LENGTH = 24;
const GROUP = 4;

/** One new code, e.g. `7kq2-m9xd-h4ta-0c3v-pn8e-w1yr`. */
export function newRecoveryCode(): string {
  // 15 bytes = 120 bits, read five bits at a time: no modulo bias.
  const bytes = randomBytes((RECOVERY_CODE_LENGTH * 5) / 8);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let chars = '';
  for (let i = RECOVERY_CODE_LENGTH - 1; i >= 0; i -= 1) chars += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return (chars.match(/.{4}/g) as string[]).join('-');
}

/** RECOVERY_CODE_COUNT new codes, as the user sees them once. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, newRecoveryCode);
}

/** Dashes a person may type or paste (hyphen-minus, the Unicode hyphens and dashes, minus sign). */
const DASHES = /[-\u2010-\u2015\u2212]/g;

/**
 * The canonical form of a typed code (24 lower-case characters of the alphabet), or undefined
 * when it cannot be one.
 */
export function parseRecoveryCode(input: string): string | undefined {
  const compact = input.replace(/\s/g, '').replace(DASHES, '').toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
  if (compact.length !== RECOVERY_CODE_LENGTH) return undefined;
  for (const char of compact) if (!ALPHABET.includes(char)) return undefined;
  return compact;
}

/** The code as shown: groups of four joined by dashes. */
export function formatRecoveryCode(canonical: string): string {
  return (canonical.match(new RegExp(`.{1,${GROUP}}`, 'g')) as string[]).join('-');
}

/**
 * The stored form of a code (canonical or as typed): SHA-256, base64url, of the user id and the
 * canonical code, so two accounts never share a hash.
 */
export function hashRecoveryCode(userId: string, code: string): string {
  const canonical = parseRecoveryCode(code);
  if (canonical === undefined) throw new RangeError('not a recovery code');
  return createHash('sha256').update(`${userId}:${canonical}`, 'utf8').digest('base64url');
}
