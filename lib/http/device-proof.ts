// How a device proof (lib/tokens/device-proofs.ts) travels: to browsers as a cookie they keep
// out of reach of scripts, to API clients as the Device-Proof response header, which they send
// back as a Device-Proof request header. Every login route answers with both; the compatibility
// dialects' bodies stay exactly as their documents say, so the header and cookie are all they add.
import { header } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** The request and response header (lower-case, as API Gateway hands headers to us). */
export const DEVICE_PROOF_HEADER = 'device-proof';
/** `__Secure-`: browsers keep it only if it was set with Secure over HTTPS (RFC 6265bis §4.1.3.1). */
export const DEVICE_PROOF_COOKIE = '__Secure-device_proof';

/** A cookie value as our proofs are written (base64url and dots); anything else is not one. */
const PROOF_TEXT = /^[A-Za-z0-9_.-]+$/;

function cookieValue(event: HttpEvent): string | undefined {
  // HTTP API (payload 2.0) splits cookies into event.cookies; a raw Cookie header is read as well.
  const pairs = event.cookies ?? header(event, 'cookie')?.split(';') ?? [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === DEVICE_PROOF_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The proof the client showed: the Device-Proof header, else the cookie; unchecked. */
export function shownDeviceProof(event: HttpEvent): string | undefined {
  const shown = header(event, DEVICE_PROOF_HEADER)?.trim() || cookieValue(event);
  return shown && PROOF_TEXT.test(shown) ? shown : undefined;
}

/**
 * Adds a new proof to a login's answer: the header, and a cookie that is HttpOnly (no script reads
 * it), Secure, SameSite=Strict (never sent by another site's request) and limited to the path of
 * the login route that set it (sent to no other route).
 */
export function withDeviceProof(result: HttpResult, event: HttpEvent, proof: string, maxAgeSeconds: number): HttpResult {
  const path = event.rawPath && /^\/[A-Za-z0-9/_.~-]*$/.test(event.rawPath) ? event.rawPath : '/';
  const cookie = `${DEVICE_PROOF_COOKIE}=${proof}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
  return { ...result, headers: { ...result.headers, [DEVICE_PROOF_HEADER]: proof }, cookies: [...(result.cookies ?? []), cookie] };
}
