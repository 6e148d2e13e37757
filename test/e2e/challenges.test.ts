// Issue 15, finding 11, over HTTP: `WWW-Authenticate: Basic` only where the request sent Basic
// credentials to a route that reads them; a wrong password sent any other way (JSON, form) is a
// 401 without a challenge on every login route, native and compatibility; a refused bearer token
// keeps its RFC 6750 challenge.
import { beforeEach, describe, expect, it } from 'vitest';
import { api, type NewUser, newUser, registerUser } from './helpers.ts';

const BASIC = 'Basic realm="auth", charset="UTF-8"';

describe('WWW-Authenticate challenges', () => {
  let user: NewUser;

  // A user per test: five wrong passwords lock an account (the login throttle), and these tests send many.
  beforeEach(async () => {
    ({ user } = await registerUser(newUser('chal')));
  });

  const wrong = () => `${user.password}-wrong`;
  const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

  // Every route that checks a password sent in the body: path and the body with a wrong password.
  const bodyLogins: [string, () => Record<string, unknown>][] = [
    ['/login', () => ({ email: user.email, password: wrong() })],
    ['/service-token', () => ({ username: user.username, password: wrong(), requested_service: 'hash-verification' })],
    ['/token-auth/tcap', () => ({ username: user.username, password: wrong() })],
    ['/token-auth/api/login', () => ({ username: user.username, password: wrong(), requested_service: 'hash-verification' })],
    ['/auth', () => ({ username: user.username, password: wrong() })],
    ['/api/auth', () => ({ username: user.username, password: wrong() })],
    ['/authentication/api/login', () => ({ email: user.email, password: wrong() })],
    ['/authentication/api/token', () => ({ username: user.username, password: wrong() })],
  ];

  it.each(bodyLogins)('POST %s with a wrong password in the body: 401, no challenge', async (path, body) => {
    const res = await api(path, { json: body() });
    expect(res.status, res.text).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('a JSON login that also carries a Basic header is judged by its body, so it gets no Basic challenge', async () => {
    const res = await api('/login', { json: { email: user.email, password: wrong() }, headers: { authorization: basic(user.email, wrong()) } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('a wrong password sent with HTTP Basic gets the Basic challenge, on /login and Opentact’s /rest/auth', async () => {
    const login = await api('/login', { method: 'POST', headers: { authorization: basic(user.email, wrong()) } });
    expect(login.status).toBe(401);
    expect(login.headers.get('www-authenticate')).toBe(BASIC);
    const opentact = await api('/rest/auth', { headers: { authorization: basic(user.email, wrong()) } });
    expect(opentact.status).toBe(401);
    expect(opentact.headers.get('www-authenticate')).toBe(BASIC);
  });

  it('a refused bearer token keeps its RFC 6750 challenge, also on the route that accepts Basic', async () => {
    const res = await api('/rest/auth', { headers: { 'x-auth-token': 'not-a-token' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });
});
