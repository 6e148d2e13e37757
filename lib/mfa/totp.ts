// TOTP (RFC 6238) through the maintained otpauth library: new secrets, the otpauth:// URI an
// authenticator app scans, and checking a code with ±1 time step of drift, answering WHICH step
// matched so the caller can refuse a replay (RFC 6238 §5.2) with one conditional write.
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 §4.1 / §5.2: X = 30 seconds, the value every authenticator app uses. */
export const TOTP_PERIOD_SECONDS = 30;
/** RFC 4226 §5.3: 6 digits, what the apps show by default. */
export const TOTP_DIGITS = 6;
/**
 * RFC 6238 §5.2 recommends at most one time step of network delay and §6 allows a window for
 * clock drift: ±1 step (so a code is good for 90 seconds at most, once).
 */
export const TOTP_WINDOW = 1;
/** RFC 4226 §4 R6: the shared secret SHOULD be 160 bits (HMAC-SHA1's output size). */
const SECRET_BYTES = 20;

/** A fresh shared secret, base32 (RFC 4648), as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ buffer: Uint8Array.from(randomBytes(SECRET_BYTES)).buffer }).base32;
}

function totp(secretBase32: string, issuer = '', label = 'account'): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The Key URI (otpauth://totp/Issuer:label?secret=...&issuer=...) an authenticator app scans or imports. */
export function otpauthUri(secretBase32: string, issuer: string, label: string): string {
  return totp(secretBase32, issuer, label).toString();
}

/** RFC 6238 §4.2: the time step T of an instant (epoch milliseconds). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * A code as a person types it, or undefined when it cannot be one: spaces (apps show "123 456")
 * are dropped; what is left must be exactly TOTP_DIGITS ASCII digits.
 */
export function parseTotpCode(input: string): string | undefined {
  const code = input.replace(/[\s\u00a0]/g, '');
  return code.length === TOTP_DIGITS && /^[0-9]+$/.test(code) ? code : undefined;
}

/**
 * Checks a code (already parsed) against the secret at `nowMs`, within ±TOTP_WINDOW steps.
 * Returns the time step it belongs to, or undefined. Accepting the step ONCE is the caller's job
 * (MfaFactorStore.useTotpStep): a verifier must not accept a second use of a valid code (§5.2).
 */
export function verifyTotp(secretBase32: string, code: string, nowMs: number): number | undefined {
  const delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? undefined : totpStep(nowMs) + delta;
}

/** The code of a step (tests and the local example client compute what an app would show). */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totp(secretBase32).generate({ timestamp: nowMs });
}
