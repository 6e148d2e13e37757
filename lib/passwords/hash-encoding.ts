// The base64 flavours password hash strings use, decoded strictly: the PHC string format's B64
// (standard alphabet, no padding), base64 with padding (Django, Firebase), and passlib's "adapted
// base64" (`.` for `+`). Node's own decoder skips bad characters silently, so each is checked first.
import { timingSafeEqual } from 'node:crypto';

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard-alphabet base64, padded or not; undefined when it is not one (or decodes to nothing). */
export function decodeBase64(text: string): Buffer | undefined {
  if (!STANDARD.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 ? bytes : undefined;
}

/** passlib's adapted base64 (ab64): `.` instead of `+`, no padding. */
export function decodeAdaptedBase64(text: string): Buffer | undefined {
  return text.includes('+') ? undefined : decodeBase64(text.replaceAll('.', '+'));
}

/** The PHC string format's B64: standard alphabet without padding. */
export function encodePhcBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** Constant-time equality of a computed and a stored digest. */
export function sameBytes(computed: Uint8Array, stored: Uint8Array): boolean {
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}

/** A whole decimal number without sign or leading zeros, or undefined. */
export function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^(0|[1-9]\d{0,9})$/.test(text) ? Number(text) : undefined;
}
