// CORS over HTTP, through serverless-offline as npm start runs it: only an origin in CORS_ORIGINS
// (https://app.example.com in the test stack) may read answers, never with credentials, and a
// preflight from it gets 204. Other origins get no CORS header at all, as with API Gateway, which
// adds none: serverless-offline's own permissive CORS headers are left out
// (scripts/offline/without-own-cors.cjs); without that, the second test fails.
import { describe, expect, it } from 'vitest';
import { api, expectSecurityHeaders, newUser, registerUser } from './helpers.ts';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example';

describe('CORS over HTTP', () => {
  it('lets the allowed origin read answers, errors included, without credentials', async () => {
    const ok = await api('/.well-known/jwks.json', { headers: { origin: ALLOWED } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('vary')).toMatch(/\bOrigin\b/i);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await api('/me', { headers: { origin: ALLOWED } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    // So the page can read why, and when to retry.
    expect(refused.headers.get('access-control-expose-headers')).toMatch(/www-authenticate/);
  });

  it('gives any other origin no CORS header, on answers and on preflights', async () => {
    const { user } = await registerUser(newUser('cors'));
    const login = await api('/login', { method: 'POST', headers: { origin: OTHER }, json: { username: user.username, password: user.password } });
    expect(login.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
    expect(login.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await api('/login', { method: 'OPTIONS', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('answers a preflight from the allowed origin with 204 and what the route accepts', async () => {
    const preflight = await api('/login', {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expectSecurityHeaders(preflight);
  });
});
