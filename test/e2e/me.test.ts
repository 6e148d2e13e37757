// GET /me over HTTP: the caller's account for a valid token (Bearer or X-Auth-Token), and a terse
// 401 for every kind of missing, forged, tampered, mis-addressed or expired token (RFC 8725 attacks).
import { createHmac, createPublicKey } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import {
  type ApiResponse,
  api,
  b64url,
  decodeJwtParts,
  encodeJson,
  expectProblem,
  expectSecurityHeaders,
  jwks,
  loggedInUser,
  type Session,
} from './helpers.ts';

const EXPIRED_DETAIL = 'Authentication error: Token has expired. Please refresh.';

const me = (token: string, header: 'bearer' | 'x-auth-token' = 'bearer', path = '/me'): Promise<ApiResponse> =>
  api(path, { headers: header === 'bearer' ? { authorization: `Bearer ${token}` } : { 'x-auth-token': token } });

/** 401 problem+json with the RFC 6750 invalid_token challenge, and nothing about the user. */
function expectInvalidToken(res: ApiResponse, session?: Session): any {
  const problem = expectProblem(res, 401);
  expect(res.headers.get('www-authenticate')).toContain('Bearer error="invalid_token"');
  expectSecurityHeaders(res);
  expect(res.body.user).toBeUndefined();
  expect(res.body.is_authenticated).toBeUndefined();
  if (session) expect(res.text).not.toContain(session.user.username);
  return problem;
}

/** Signs `header.payload` with HMAC-SHA256 under `secret`, by hand (no library refuses the key). */
function hs256(header: object, payload: object, secret: Buffer | string): string {
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${signingInput}.${b64url(createHmac('sha256', secret).update(signingInput).digest())}`;
}

describe('GET /me', () => {
  let session: Session;
  let claims: Record<string, any>;
  let header: Record<string, any>;

  beforeAll(async () => {
    session = await loggedInUser('me');
    ({ payload: claims, header } = decodeJwtParts(session.accessToken));
  });

  describe('200 for a valid token', () => {
    it('with Authorization: Bearer', async () => {
      const res = await me(session.accessToken);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
      expectSecurityHeaders(res);
      expect(res.body.is_authenticated).toBe(true);
      expect(res.body.user.id).toBe(claims.sub);
      expect(res.body.user.username).toBe(session.user.username);
      expect(res.body.user.email).toBe(session.user.email);
      expect(res.body.user).toEqual(session.body.user);
      expect(JSON.stringify(res.body)).not.toMatch(/pass|hash|argon/i);
    });

    it('with X-Auth-Token', async () => {
      const res = await me(session.accessToken, 'x-auth-token');
      expect(res.status, res.text).toBe(200);
      expect(res.body.is_authenticated).toBe(true);
      expect(res.body.user.id).toBe(claims.sub);
    });

    it('with a lower-case "bearer" scheme', async () => {
      const res = await api('/me', { headers: { authorization: `bearer ${session.accessToken}` } });
      expect(res.status, res.text).toBe(200);
    });

    it('at /me/ (trailing slash)', async () => {
      const res = await me(session.accessToken, 'bearer', '/me/');
      expect(res.status, res.text).toBe(200);
      expect(res.body.user.id).toBe(claims.sub);
    });
  });

  describe('401 with WWW-Authenticate: Bearer', () => {
    it('without a token (the same invalid_token challenge as every refused credential)', async () => {
      const res = await api('/me');
      expectProblem(res, 401);
      expectSecurityHeaders(res);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    it('with an empty X-Auth-Token or a Bearer scheme without a token', async () => {
      for (const headers of [{ 'x-auth-token': '' }, { authorization: 'Bearer' }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
        const res = await api('/me', { headers });
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
    });

    it('for garbage', async () => {
      for (const garbage of ['garbage', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30.', '...', 'x'.repeat(4000)]) {
        expectInvalidToken(await me(garbage));
        expectInvalidToken(await me(garbage, 'x-auth-token'));
      }
    });

    it('for a token with one character of the signature changed', async () => {
      const [h, p, s] = session.accessToken.split('.') as [string, string, string];
      // A middle character: the last one of an RS256 signature carries padding bits.
      const i = Math.floor(s.length / 2);
      const tampered = `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
      expect(tampered).not.toBe(session.accessToken);
      expectInvalidToken(await me(tampered), session);
    });

    it('for a token whose payload was changed but the signature kept', async () => {
      const [h, , s] = session.accessToken.split('.') as [string, string, string];
      for (const change of [{ username: 'admin' }, { permissions: ['admin'] }, { exp: claims.exp + 3600 }]) {
        const forged = `${h}.${encodeJson({ ...claims, ...change })}.${s}`;
        expectInvalidToken(await me(forged), session);
      }
    });

    it('for an alg "none" token', async () => {
      const [, p] = session.accessToken.split('.') as [string, string, string];
      for (const alg of ['none', 'None', 'NONE']) {
        const unsigned = `${encodeJson({ alg, typ: 'at+jwt' })}.${p}.`;
        expectInvalidToken(await me(unsigned), session);
      }
    });

    it('for an HS256 token whose HMAC secret is the service public key (algorithm confusion)', async () => {
      const keys = await jwks();
      const jwk = keys.find((key) => key.kid === header.kid);
      expect(jwk).toBeDefined();
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const der = publicKey.export({ type: 'spki', format: 'der' });
      const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
      for (const secret of [Buffer.from(pem), Buffer.from(pem.trim()), der, Buffer.from(pkcs1), JSON.stringify(jwk)]) {
        const forged = hs256({ alg: 'HS256', typ: 'at+jwt', kid: header.kid }, claims, secret);
        expectInvalidToken(await me(forged), session);
      }
    });

    it('for a token signed by a different RSA key under the real kid', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: header.kid }).sign(privateKey);
      expectInvalidToken(await me(forged), session);
    });

    it('for a token signed by a different RSA key under an unknown kid', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'not-our-key' }).sign(privateKey);
      expectInvalidToken(await me(forged), session);
    });

    it('for a token with the wrong audience or issuer, signed with the real key', async () => {
      const deps = testDependencies();
      const user = await deps.users.get(claims.sub);
      expect(user).toBeDefined();
      // The same key and settings, so the control token must pass and only aud / iss make the difference.
      const control = await issueAccessToken(user!, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
      expect((await me(control.token)).status).toBe(200);
      for (const change of [{ audience: 'some-other-service' }, { issuer: 'https://issuer.example.com' }]) {
        const settings = { ...deps.accessTokens, ...change };
        const { token } = await issueAccessToken(user!, { signer: deps.signer, clock: deps.clock, settings });
        expectInvalidToken(await me(token), session);
      }
    });

    it('for a token with another typ, signed with the real key', async () => {
      const deps = testDependencies();
      const { kid, privateKey } = await deps.signer.signingKey();
      expect(kid).toBe(header.kid);
      for (const typ of ['JWT', undefined]) {
        const protectedHeader = typ ? { alg: 'RS256', kid, typ } : { alg: 'RS256', kid };
        const token = await new SignJWT({ ...claims }).setProtectedHeader(protectedHeader).sign(privateKey);
        expectInvalidToken(await me(token), session);
      }
    });

    it('for an expired token, with the exact expiry message', async () => {
      // Issued by the service's own code, with a clock two hours back: no sleeping.
      const clock = testClock(Date.now() - 2 * 3600 * 1000);
      const deps = testDependencies(clock);
      const user = await deps.users.get(claims.sub);
      expect(user).toBeDefined();
      const { token, expiresAt } = await issueAccessToken(user!, { signer: deps.signer, clock, settings: deps.accessTokens });
      expect(expiresAt).toBeLessThan(Date.now());
      for (const via of ['bearer', 'x-auth-token'] as const) {
        const res = await me(token, via);
        const problem = expectInvalidToken(res, session);
        expect(problem.detail).toBe(EXPIRED_DETAIL);
      }
    });
  });
});
