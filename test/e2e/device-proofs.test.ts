// Device proofs over HTTP, as clients see them: every login route answers with a Device-Proof
// header and an HttpOnly, Secure, SameSite=Strict cookie limited to its own path (the dialects'
// bodies unchanged); an attacker locks out every client without a proof (429), while the owner,
// showing the proof from an earlier login as a header or as the cookie, still logs in.
import { describe, expect, it } from 'vitest';
import { api, decodeJwtParts, newUser, registerUser } from './helpers.ts';

/** A Set-Cookie's name=value and its attributes, lower-cased (serverless-offline re-serialises them in its own order). */
function parseSetCookie(setCookie: string) {
  const [pair, ...attributes] = setCookie.split(';').map((part) => part.trim());
  const at = pair!.indexOf('=');
  const attrs = Object.fromEntries(attributes.map((a) => [a.split('=')[0]!.toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : true]));
  return { name: pair!.slice(0, at), value: pair!.slice(at + 1), attrs };
}

/** What every device-proof cookie must say: kept from scripts, HTTPS only, never sent by another site. */
function expectProofCookie(setCookie: string | undefined, proof: string, path: string) {
  const cookie = parseSetCookie(setCookie ?? '');
  expect(cookie).toMatchObject({ name: '__Secure-device_proof', value: proof });
  expect(cookie.attrs).toMatchObject({ httponly: true, secure: true, samesite: 'Strict', 'max-age': '15552000' });
  // The route's own path (serverless-offline drops a trailing slash; either way the route matches it).
  expect(String(cookie.attrs.path).replace(/(.)\/$/, '$1')).toBe(path);
}

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

async function lockedOutWithProof() {
  const { user } = await registerUser(newUser('dev'));
  const first = await api('/login', { method: 'POST', json: { username: user.username, password: user.password } });
  expect(first.status).toBe(200);
  const proof = first.headers.get('device-proof')!;
  // The attacker, without the proof.
  for (let i = 0; i < 5; i++) {
    expect((await api('/login', { method: 'POST', json: { username: user.username, password: `guess ${i}` } })).status).toBe(401);
  }
  return { user, proof, cookie: first.headers.getSetCookie()[0]! };
}

describe('device proofs over HTTP', () => {
  it('/login gives a proof as the Device-Proof header and a cookie only the login route gets back', async () => {
    const { user } = await registerUser(newUser('dev'));
    const res = await api('/login', { method: 'POST', json: { username: user.username, password: user.password } });
    expect(res.status).toBe(200);
    const proof = res.headers.get('device-proof')!;
    expect(decodeJwtParts(proof).header).toMatchObject({ typ: 'device-proof+jwt' });
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expectProofCookie(cookies[0], proof, '/login');
    // Not a field of the body: the body is as before.
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'user']);
  });

  it('lets the owner in with the proof while an attacker has locked out every client without it', async () => {
    const { user, proof, cookie } = await lockedOutWithProof();
    const without = await api('/login', { method: 'POST', json: { username: user.username, password: user.password } });
    expect(without.status).toBe(429);
    expect(without.headers.get('retry-after')).toMatch(/^\d+$/);

    const withHeader = await api('/login', { method: 'POST', json: { username: user.username, password: user.password }, headers: { 'device-proof': proof } });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body.access_token).toEqual(expect.any(String));
    // A browser sends the cookie back (name=value, as browsers do).
    const withCookie = await api('/login', {
      method: 'POST',
      json: { username: user.username, password: user.password },
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(withCookie.status).toBe(200);
    // HTTP Basic too.
    const withBasic = await api('/login', { method: 'POST', headers: { authorization: basic(user.username, user.password), 'device-proof': proof } });
    expect(withBasic.status).toBe(200);
    // The attacker is still locked out, with or without a made-up proof.
    for (const headers of [{}, { 'device-proof': `${proof.slice(0, -4)}AAAA` }] as Record<string, string>[]) {
      expect((await api('/login', { method: 'POST', json: { username: user.username, password: user.password }, headers })).status).toBe(429);
    }
  });

  it('works on /service-token and the dialects, which keep their documented bodies and add only the header and cookie', async () => {
    const { user, proof } = await lockedOutWithProof();
    const headers = { 'device-proof': proof };
    // One after another: each attempt is reserved against the trusted device's budget before its
    // password is checked (lib/abuse/login-throttle.ts), so six at once could exceed that budget.
    const requests = [
      () =>
        api('/service-token', { method: 'POST', json: { username: user.username, password: user.password, requested_service: 'Hash Verification' }, headers }),
      () =>
        api('/token-auth/api/login', {
          method: 'POST',
          json: { username: user.username, password: user.password, requested_service: 'Hash Verification' },
          headers,
        }),
      () => api('/token-auth/tcap/', { method: 'POST', json: { username: user.username, password: user.password }, headers }),
      () => api('/auth', { method: 'POST', json: { username: user.username, password: user.password }, headers }),
      () => api('/rest/auth', { headers: { ...headers, authorization: basic(user.username, user.password) } }),
      () => api('/authentication/api/token', { method: 'POST', json: { username: user.username, password: user.password }, headers }),
    ];
    const answers = [];
    for (const request of requests) answers.push(await request());
    const paths = ['/service-token', '/token-auth/api/login', '/token-auth/tcap', '/auth', '/rest/auth', '/authentication/api/token'];
    for (const [i, res] of answers.entries()) {
      expect(res.status, res.text).toBe(200);
      const proof = res.headers.get('device-proof')!;
      expect(decodeJwtParts(proof).header.typ).toBe('device-proof+jwt');
      expectProofCookie(res.headers.getSetCookie()[0], proof, paths[i]!);
    }
    expect(Object.keys(answers[1]!.body)).toEqual(['service_token']);
    expect(Object.keys(answers[3]!.body).sort()).toEqual(['expires_at', 'token']);
    expect(Object.keys(answers[5]!.body).sort()).toEqual(['access', 'refresh']);
    // Without the proof, each of them is refused.
    const refused = await api('/authentication/api/token', { method: 'POST', json: { username: user.username, password: user.password } });
    expect(refused.status).toBe(429);
  });

  it('a device proof is not an access token', async () => {
    const { user } = await registerUser(newUser('dev'));
    const res = await api('/login', { method: 'POST', json: { username: user.username, password: user.password } });
    const me = await api('/me', { headers: { authorization: `Bearer ${res.headers.get('device-proof')}` } });
    expect(me.status).toBe(401);
  });
});
