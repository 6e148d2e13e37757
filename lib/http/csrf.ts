// CSRF protection of the hosted OAuth forms (login, consent, logout confirmation), three checks:
// a secret in a cookie only our origin can set (`__Host-`, SameSite=Strict), a form field that is
// HMAC(secret, what the form is for), so a token for one request cannot answer another, and the
// browser's own word (Origin, Sec-Fetch-Site) when it gives one. RFC 9700 §4.7, OWASP's
// "signed double-submit cookie". A POST without both the cookie and the field is refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { randomSecret } from '../tokens/opaque.ts';
import { csrfCookieName, readCookie, setCookie } from './browser-cookies.ts';
import { header } from './request.ts';
import type { HttpEvent } from './types.ts';

/** The form did not come from our page in this browser (or the page is too old). */
export class CsrfError extends AppError {
  constructor() {
    super('invalid_request', 'This form has expired or was not sent from this site. Reload the page and try again.');
  }
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;
const CSRF_COOKIE_MAX_AGE = 3600;

const tokenFor = (secret: string, purpose: string) => createHmac('sha256', secret).update(purpose).digest('base64url');

/** The token to put in a form for `purpose`, and the Set-Cookie to send when the browser had no secret yet. */
export function csrfForForm(event: HttpEvent, purpose: string, publicUrl: string): { token: string; cookies: string[] } {
  const name = csrfCookieName(publicUrl);
  const existing = readCookie(event, name);
  const secret = existing && SECRET.test(existing) ? existing : randomSecret();
  // Sent again each time, so the cookie lives as long as the newest page needs it.
  return { token: tokenFor(secret, purpose), cookies: [setCookie(name, secret, { publicUrl, maxAgeSeconds: CSRF_COOKIE_MAX_AGE, sameSite: 'Strict' })] };
}

/** Refuses (CsrfError) a form submission that is not our page's, for `purpose`. */
export function checkCsrf(event: HttpEvent, field: unknown, purpose: string, publicUrl: string): void {
  // With our pages' Referrer-Policy no-referrer, browsers send `Origin: null` on form posts (Fetch
  // §3.1); any real origin other than ours is another site's form.
  const origin = header(event, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(publicUrl).origin) throw new CsrfError();
  const site = header(event, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') throw new CsrfError();
  const secret = readCookie(event, csrfCookieName(publicUrl));
  if (!secret || !SECRET.test(secret) || typeof field !== 'string' || field.length === 0) throw new CsrfError();
  const expected = Buffer.from(tokenFor(secret, purpose));
  const presented = Buffer.from(field);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) throw new CsrfError();
}
