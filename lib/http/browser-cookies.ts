// The hosted OAuth pages' cookies: the browser session (single sign-on) and the CSRF secret.
// `__Host-` (RFC 6265bis §4.1.3.2): Secure, Path=/, no Domain, so no sibling subdomain can set or
// shadow them; on plain http://localhost (npm start) the prefix is impossible, so the names drop it.
import { header } from './request.ts';
import type { HttpEvent } from './types.ts';

/** Whether the service is served over https (every deployed stage); false only for local http. */
export const isSecureOrigin = (publicUrl: string) => publicUrl.startsWith('https:');

export const sessionCookieName = (publicUrl: string) => (isSecureOrigin(publicUrl) ? '__Host-auth_session' : 'auth_session');
export const csrfCookieName = (publicUrl: string) => (isSecureOrigin(publicUrl) ? '__Host-auth_csrf' : 'auth_csrf');

/** A cookie's value from the request (HTTP API splits them into event.cookies; a raw header is read too). */
export function readCookie(event: HttpEvent, name: string): string | undefined {
  const pairs = event.cookies ?? header(event, 'cookie')?.split(';') ?? [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * A Set-Cookie value: HttpOnly (no script reads it), Secure unless local http, Path=/. The session
 * is SameSite=Lax so a client's top-level redirect to /oauth/authorize carries it (single sign-on);
 * the CSRF secret is Strict, only ever needed by our own forms.
 */
export function setCookie(name: string, value: string, options: { publicUrl: string; maxAgeSeconds: number; sameSite: 'Lax' | 'Strict' }): string {
  const secure = isSecureOrigin(options.publicUrl) ? '; Secure' : '';
  return `${name}=${value}; Path=/; Max-Age=${options.maxAgeSeconds}; HttpOnly${secure}; SameSite=${options.sameSite}`;
}

/** Removes a cookie (same attributes, Max-Age=0). */
export function clearCookie(name: string, publicUrl: string): string {
  return setCookie(name, '', { publicUrl, maxAgeSeconds: 0, sameSite: 'Lax' });
}
