// The hosted OAuth forms' CSRF check (lib/http/csrf.ts, RFC 9700 §4.7) and cookie attributes
// (lib/http/browser-cookies.ts): every way a form can fail to be ours is refused.
import { describe, expect, it } from 'vitest';
import { csrfCookieName, sessionCookieName, setCookie } from '../../../lib/http/browser-cookies.ts';
import { CsrfError, checkCsrf, csrfForForm } from '../../../lib/http/csrf.ts';
import type { HttpEvent } from '../../../lib/http/types.ts';

const HTTPS = 'https://auth.example.com';
const event = (headers: Record<string, string> = {}, cookies?: string[]) => ({ headers, ...(cookies ? { cookies } : {}) }) as unknown as HttpEvent;

/** A form as our page gives it: the cookie it set, and the token in the form. */
function issued(purpose = 'login:r1') {
  const { token, cookies } = csrfForForm(event(), purpose, HTTPS);
  const cookie = cookies[0]!.split(';')[0]!;
  return { token, cookie };
}

describe('CSRF on the hosted forms', () => {
  it('accepts the form our page gave, with its cookie', () => {
    const { token, cookie } = issued();
    expect(() => checkCsrf(event({ origin: 'null', 'sec-fetch-site': 'same-origin' }, [cookie]), token, 'login:r1', HTTPS)).not.toThrow();
    expect(() => checkCsrf(event({ origin: HTTPS }, [cookie]), token, 'login:r1', HTTPS)).not.toThrow();
  });

  it.each([
    ['without the cookie', (t: string) => [event(), t]],
    ['without the field', (_: string, c: string) => [event({}, [c]), undefined]],
    ['with another token', (_: string, c: string) => [event({}, [c]), 'A'.repeat(43)]],
    ['from another origin', (t: string, c: string) => [event({ origin: 'https://evil.example' }, [c]), t]],
    ['cross-site by Sec-Fetch-Site', (t: string, c: string) => [event({ 'sec-fetch-site': 'cross-site' }, [c]), t]],
    ['same-site (a sibling subdomain)', (t: string, c: string) => [event({ 'sec-fetch-site': 'same-site' }, [c]), t]],
  ] as const)('refuses a form %s', (_, build) => {
    const { token, cookie } = issued();
    const [request, field] = build(token, cookie) as [HttpEvent, string | undefined];
    expect(() => checkCsrf(request, field, 'login:r1', HTTPS)).toThrow(CsrfError);
  });

  it('refuses the token of one request for another', () => {
    const { token, cookie } = issued('login:r1');
    expect(() => checkCsrf(event({}, [cookie]), token, 'login:r2', HTTPS)).toThrow(CsrfError);
  });

  it('keeps the secret the browser already has', () => {
    const { cookie } = issued();
    const again = csrfForForm(event({}, [cookie]), 'login:r1', HTTPS);
    expect(again.cookies[0]!.startsWith(`${cookie};`)).toBe(true);
  });
});

describe('cookie names and attributes', () => {
  it('uses the __Host- prefix with Secure over https, and plain names on http://localhost', () => {
    expect(sessionCookieName(HTTPS)).toBe('__Host-auth_session');
    expect(csrfCookieName(HTTPS)).toBe('__Host-auth_csrf');
    expect(sessionCookieName('http://localhost:3000')).toBe('auth_session');
    expect(setCookie('__Host-auth_session', 'v', { publicUrl: HTTPS, maxAgeSeconds: 60, sameSite: 'Lax' })).toBe(
      '__Host-auth_session=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
    );
    expect(setCookie('auth_session', 'v', { publicUrl: 'http://localhost:3000', maxAgeSeconds: 60, sameSite: 'Lax' })).not.toMatch(/Secure/);
  });
});
