// POST /login over HTTP: by username, by email, by HTTP Basic; the token response and the access
// token itself (RFC 9068 header and claims); and failures that do not reveal which accounts exist.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { api, apiUrl, decodeJwtParts, expectProblem, expectSecurityHeaders, jwks, type NewUser, newUser, registerUser } from './helpers.ts';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The settings the stack runs with (global setup passes only these), for the expected aud and client_id. */
const stackConfig = () =>
  loadConfig({
    TABLE_NAME: inject('tableName'),
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    KMS_ENDPOINT: inject('kmsEndpoint'),
    KMS_KEY_ID: inject('kmsKeyId'),
    PUBLIC_URL: inject('apiUrl'),
    AWS_REGION: 'us-east-1',
  });

describe('POST /login', () => {
  let user: NewUser;
  let created: any;

  beforeAll(async () => {
    ({ user, created } = await registerUser(newUser('login')));
  });

  /** Checks the token response shape; returns the access token. */
  function expectTokenResponse(res: Awaited<ReturnType<typeof api>>, sentAt: number, receivedAt: number): string {
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
    expectSecurityHeaders(res);
    const body = res.body;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'user']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_at).toMatch(ISO_UTC);
    const expiresAt = Date.parse(body.expires_at);
    // The seconds left when the server answered, rounded up: 1800, or 1799 when the token was signed
    // late in a second (exp counts from that whole second) and answered in the next one.
    expect(body.expires_in).toBeLessThanOrEqual(Math.min(1800, Math.ceil((expiresAt - sentAt) / 1000)));
    expect(body.expires_in).toBeGreaterThanOrEqual(Math.max(1799, Math.ceil((expiresAt - receivedAt) / 1000)));
    // Whole seconds in the token, so allow a second either side of the request's own duration.
    expect(expiresAt).toBeGreaterThanOrEqual(sentAt + 1800 * 1000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(receivedAt + 1800 * 1000 + 1000);
    expect(body.access_token).toEqual(expect.any(String));
    // The refresh token is opaque (never a JWT) and differs from the access token.
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(body.refresh_token.length).toBeGreaterThanOrEqual(32);
    expect(body.refresh_token.split('.').length).toBeLessThan(3);
    expect(body.user.id).toBe(created.id);
    expect(body.user.username).toBe(user.username);
    expect(JSON.stringify(body.user)).not.toMatch(/pass|hash|argon/i);
    return body.access_token;
  }

  async function timed(path: string, init: Parameters<typeof api>[1]) {
    const sentAt = Date.now();
    const res = await api(path, init);
    return { res, sentAt, receivedAt: Date.now() };
  }

  describe('succeeds', () => {
    it('by username', async () => {
      const { res, sentAt, receivedAt } = await timed('/login', { json: { username: user.username, password: user.password } });
      expectTokenResponse(res, sentAt, receivedAt);
    });

    it('by username in another case', async () => {
      const { res, sentAt, receivedAt } = await timed('/login', {
        json: { username: user.username.toUpperCase(), password: user.password },
      });
      expectTokenResponse(res, sentAt, receivedAt);
    });

    it('by email, case-insensitively', async () => {
      const { res, sentAt, receivedAt } = await timed('/login', {
        json: { email: user.email.toUpperCase(), password: user.password },
      });
      expectTokenResponse(res, sentAt, receivedAt);
    });

    it('by Authorization: Basic base64(email:password)', async () => {
      const basic = Buffer.from(`${user.email}:${user.password}`, 'utf8').toString('base64');
      const { res, sentAt, receivedAt } = await timed('/login', { method: 'POST', headers: { authorization: `Basic ${basic}` } });
      expectTokenResponse(res, sentAt, receivedAt);
    });

    it('from a form body', async () => {
      const { res, sentAt, receivedAt } = await timed('/login', {
        method: 'POST',
        body: new URLSearchParams({ username: user.username, password: user.password }),
      });
      expectTokenResponse(res, sentAt, receivedAt);
    });

    it('issues fresh tokens on every login', async () => {
      const [a, b] = await Promise.all([
        api('/login', { json: { username: user.username, password: user.password } }),
        api('/login', { json: { username: user.username, password: user.password } }),
      ]);
      expect(a!.status).toBe(200);
      expect(b!.status).toBe(200);
      expect(a!.body.refresh_token).not.toBe(b!.body.refresh_token);
      expect(decodeJwtParts(a!.body.access_token).payload.jti).not.toBe(decodeJwtParts(b!.body.access_token).payload.jti);
    });
  });

  describe('the access token', () => {
    let token: string;
    let expiresAt: string;

    beforeAll(async () => {
      const res = await api('/login', { json: { username: user.username, password: user.password } });
      expect(res.status, res.text).toBe(200);
      token = res.body.access_token;
      expiresAt = res.body.expires_at;
    });

    it('has an RS256 at+jwt header whose kid is published in the JWKS', async () => {
      const { header } = decodeJwtParts(token);
      expect(header.alg).toBe('RS256');
      expect(header.typ).toBe('at+jwt');
      expect(header.kid).toEqual(expect.any(String));
      const keys = await jwks();
      expect(keys.map((key) => key.kid)).toContain(header.kid);
    });

    it('carries iss, sub, aud, exp, iat, jti, client_id, username, email and permissions', async () => {
      const { payload } = decodeJwtParts(token);
      const config = stackConfig();
      expect(payload.iss).toBe(apiUrl());
      expect(payload.sub).toBe(created.id);
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      expect(audiences).toContain(config.accessTokenAudience);
      expect(payload.client_id).toBe(config.clientId);
      expect(payload.username).toBe(user.username);
      expect(payload.email).toBe(user.email);
      expect(payload.permissions).toEqual(expect.any(Array));
      expect(payload.jti).toEqual(expect.any(String));
      expect(payload.jti.length).toBeGreaterThanOrEqual(16);
      expect(Number.isInteger(payload.iat)).toBe(true);
      expect(Number.isInteger(payload.exp)).toBe(true);
      expect(payload.exp - payload.iat).toBe(1800);
      expect(payload.exp * 1000).toBe(Date.parse(expiresAt));
      expect(Math.abs(payload.iat * 1000 - Date.now())).toBeLessThan(60_000);
      expect(JSON.stringify(payload)).not.toMatch(/pass|hash|argon/i);
    });
  });

  describe('fails', () => {
    it('with the same 401 status and identical body for a wrong password and an unknown user', async () => {
      const wrongPassword = await api('/login', { json: { username: user.username, password: `${user.password}x` } });
      const unknownUser = await api('/login', { json: { username: newUser().username, password: user.password } });
      const unknownEmail = await api('/login', { json: { email: newUser().email, password: user.password } });
      expectProblem(wrongPassword, 401);
      expectSecurityHeaders(wrongPassword);
      expect(unknownUser.status).toBe(wrongPassword.status);
      expect(unknownUser.text).toBe(wrongPassword.text);
      expect(unknownEmail.status).toBe(wrongPassword.status);
      expect(unknownEmail.text).toBe(wrongPassword.text);
      expect(unknownUser.headers.get('www-authenticate')).toBe(wrongPassword.headers.get('www-authenticate'));
      expect(wrongPassword.text).not.toContain(user.username);
    });

    it('with the same 401 for wrong Basic credentials', async () => {
      const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
      const wrong = await api('/login', { method: 'POST', headers: { authorization: basic(user.email, 'not-the-password') } });
      const unknown = await api('/login', { method: 'POST', headers: { authorization: basic(newUser().email, user.password) } });
      expectProblem(wrong, 401);
      expect(unknown.status).toBe(401);
      expect(unknown.text).toBe(wrong.text);
    });

    it('400 naming the field when no credentials are sent', async () => {
      const res = await api('/login', { json: { password: user.password } });
      const problem = expectProblem(res, 400);
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['username']);
    });

    it('400 naming an unknown field', async () => {
      const res = await api('/login', { json: { username: user.username, password: user.password, remember_me: true } });
      const problem = expectProblem(res, 400);
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['remember_me']);
    });
  });
});
