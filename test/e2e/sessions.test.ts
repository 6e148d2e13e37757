// Sessions over HTTP through serverless-offline: refresh rotation, reuse detection revoking the
// family, the reuse grace (a replay answered without leaving two live refresh tokens, the 8-way
// concurrent refresh), logout and logout/all taking effect within a second,
// service tokens and their audience separation, introspection, and the authorizer on /whoami.
import { describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { unusedRefreshTokens } from '../support/refresh-tokens.ts';
import { api, becomes, decodeJwtParts, expectProblem, loggedInUser } from './helpers.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => api('/me', { headers: bearer(token) });
const refresh = (refreshToken: string) => api('/refresh', { json: { refresh_token: refreshToken } });

/** The hashes of the unused refresh tokens of the session an access token belongs to, read from the stack's table. */
const liveRefreshTokens = (accessToken: string) => unusedRefreshTokens(testDependencies(), decodeJwtParts(accessToken).payload.sid);

describe('POST /refresh', () => {
  it('rotates: a new access token in the same session and a new refresh token; the old one is spent', async () => {
    const session = await loggedInUser('rot');
    const res = await refresh(session.refreshToken);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type']);
    expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.refresh_token).not.toBe(session.refreshToken);
    expect(decodeJwtParts(res.body.access_token).payload.sid).toBe(decodeJwtParts(session.accessToken).payload.sid);
    expect((await me(res.body.access_token)).status).toBe(200);
  });

  it('revokes the whole family when a spent token comes back: the newest refresh and access tokens die too', async () => {
    const session = await loggedInUser('reuse');
    const next = await refresh(session.refreshToken);
    expect(next.status).toBe(200);
    const newest = await refresh(next.body.refresh_token);
    expect(newest.status).toBe(200);
    expect((await me(newest.body.access_token)).status).toBe(200);

    // Its successor has been used, so no grace period covers it: this is reuse.
    const replay = await refresh(session.refreshToken);
    expect(expectProblem(replay, 401).code).toBe('invalid_refresh_token');
    expect(expectProblem(await refresh(newest.body.refresh_token), 401).code).toBe('invalid_refresh_token');
    await becomes(401, () => me(newest.body.access_token));
  });

  it('answers a replay within the grace period, and the earlier answer stops working: one live refresh token', async () => {
    const session = await loggedInUser('grace');
    const first = await refresh(session.refreshToken);
    const again = await refresh(session.refreshToken);
    expect(again.status, again.text).toBe(200);
    expect(await liveRefreshTokens(first.body.access_token)).toEqual([sha256(again.body.refresh_token)]);
    expect((await refresh(again.body.refresh_token)).status).toBe(200);
  });

  it('8 concurrent refreshes of one token (tabs refreshing at once) leave exactly one live refresh token', async () => {
    const session = await loggedInUser('race');
    const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(session.refreshToken)));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of answers.filter((a) => a.status !== 200)) expect(expectProblem(r, 401).code).toBe('invalid_refresh_token');
    const live = await liveRefreshTokens(session.accessToken);
    expect(live).toHaveLength(1);
    expect(ok.map((r) => sha256(r.body.refresh_token))).toContain(live[0]);
    // The session is alive: its one live token refreshes.
    const holder = ok.find((r) => sha256(r.body.refresh_token) === live[0])!;
    expect((await refresh(holder.body.refresh_token)).status).toBe(200);
  });

  it('refuses unknown tokens and malformed bodies with clear answers', async () => {
    expect(expectProblem(await refresh('not-a-refresh-token'), 401).code).toBe('invalid_refresh_token');
    const missing = expectProblem(await api('/refresh', { json: {} }), 400);
    expect(missing.errors).toEqual([{ field: 'refresh_token', message: 'This field is required.' }]);
    expectProblem(await api('/refresh', { method: 'GET' }), 405);
  });
});

describe('POST /logout and /logout/all', () => {
  it('ends the session: the access token within a second, the refresh token at once; other sessions live', async () => {
    const session = await loggedInUser('out');
    const refreshed = await refresh(session.refreshToken);
    const other = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect((await me(refreshed.body.access_token)).status).toBe(200); // cached as good

    const res = await api('/logout', { method: 'POST', headers: bearer(refreshed.body.access_token) });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    await becomes(401, () => me(refreshed.body.access_token));
    // Every access token of that session, not only the one presented.
    await becomes(401, () => me(session.accessToken));
    expectProblem(await refresh(refreshed.body.refresh_token), 401);
    expect((await me(other.body.access_token)).status).toBe(200);
  });

  it('ends a session with only its refresh token, and needs some token', async () => {
    const session = await loggedInUser('outrt');
    expect((await api('/logout', { json: { refresh_token: session.refreshToken } })).status).toBe(204);
    expectProblem(await refresh(session.refreshToken), 401);
    const none = await api('/logout', { method: 'POST' });
    expectProblem(none, 401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer error="invalid_token"');
  });

  it('ends the session of the refresh token even when the access token sent with it has expired', async () => {
    const session = await loggedInUser('outexp');
    const deps = testDependencies(testClock(Date.now() - 2 * 3600 * 1000));
    const user = await deps.users.get(decodeJwtParts(session.accessToken).payload.sub);
    const expired = await issueAccessToken(user!, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
    expect(expectProblem(await api('/logout', { method: 'POST', headers: bearer(expired.token) }), 401).code).toBe('token_expired');
    const res = await api('/logout', { headers: bearer(expired.token), json: { refresh_token: session.refreshToken } });
    expect(res.status, res.text).toBe(204);
    expectProblem(await refresh(session.refreshToken), 401);
  });

  it('logout/all ends every session of the user; a login right after works', async () => {
    const session = await loggedInUser('all');
    const second = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect((await api('/logout/all', { method: 'POST', headers: bearer(session.accessToken) })).status).toBe(204);

    const fresh = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.access_token)).status).toBe(200);
    expect((await refresh(fresh.body.refresh_token)).status).toBe(200);

    await becomes(401, () => me(session.accessToken));
    await becomes(401, () => me(second.body.access_token));
    expectProblem(await refresh(session.refreshToken), 401);
    expectProblem(await refresh(second.body.refresh_token), 401);
  });
});

describe('POST /service-token', () => {
  it('issues a 5-minute token for one service, by access token or by password (TCAP)', async () => {
    const session = await loggedInUser('svc');
    const viaToken = await api('/service-token', { headers: bearer(session.accessToken), json: { requested_service: 'Hash Verification' } });
    expect(viaToken.status, viaToken.text).toBe(200);
    expect(viaToken.body).toMatchObject({ token_type: 'Bearer', audience: 'hash-verification' });
    // 300, or 299 when signed late in a second and answered in the next (exp counts whole seconds).
    expect([299, 300]).toContain(viaToken.body.expires_in);
    const { header, payload } = decodeJwtParts(viaToken.body.service_token);
    expect(header.typ).toBe('service+jwt');
    expect(payload.aud).toBe('hash-verification');
    expect(payload.exp - payload.iat).toBe(300);

    const viaPassword = await api('/service-token', {
      json: { username: session.user.username, password: session.user.password, requested_service: 'hash-verification' },
    });
    expect(viaPassword.status, viaPassword.text).toBe(200);
    expect(
      expectProblem(
        await api('/service-token', { json: { username: session.user.username, password: 'wrong password!', requested_service: 'hash-verification' } }),
        401,
      ).code,
    ).toBe('invalid_credentials');
  });

  it('keeps audiences apart: a service token is no access token, and an access token is no service credential', async () => {
    const session = await loggedInUser('aud');
    const service = await api('/service-token', { headers: bearer(session.accessToken), json: { requested_service: 'hash-verification' } });
    expectProblem(await me(service.body.service_token), 401);
    expect((await api('/whoami', { headers: bearer(service.body.service_token) })).status).toBe(403);
    expectProblem(await api('/introspect', { headers: bearer(session.accessToken), json: { token: session.accessToken } }), 401);
  });

  it('refuses unknown services (400) and both credentials at once (400)', async () => {
    const session = await loggedInUser('svcbad');
    const unknown = expectProblem(await api('/service-token', { headers: bearer(session.accessToken), json: { requested_service: 'Nope' } }), 400);
    expect(unknown.errors[0].field).toBe('requested_service');
    expectProblem(
      await api('/service-token', {
        headers: bearer(session.accessToken),
        json: { requested_service: 'hash-verification', username: session.user.username, password: session.user.password },
      }),
      400,
    );
  });
});

describe('POST /introspect', () => {
  it('tells a service whether a token is active, and nothing about bad ones', async () => {
    const session = await loggedInUser('intro');
    // Minted with the password, so it outlives the logout below (one minted with the access token dies with its session).
    const service = await api('/service-token', {
      json: { username: session.user.username, password: session.user.password, requested_service: 'hash-verification' },
    });
    const introspect = (token: string) => api('/introspect', { headers: bearer(service.body.service_token), json: { token } });

    const active = await introspect(session.accessToken);
    expect(active.status, active.text).toBe(200);
    expect(active.body).toMatchObject({
      active: true,
      token_type: 'access_token',
      sub: decodeJwtParts(session.accessToken).payload.sub,
      username: session.user.username,
      // RFC 9068 §2.2.1: how the user authenticated (a password login).
      acr: 'aal1',
      amr: ['pwd'],
      auth_time: decodeJwtParts(session.accessToken).payload.auth_time,
    });
    expect(typeof active.body.auth_time).toBe('number');
    expect((await introspect(service.body.service_token)).body).toMatchObject({ active: true, token_type: 'service_token' });

    const tampered = session.accessToken.slice(0, -2) + (session.accessToken.endsWith('AA') ? 'BB' : 'AA');
    for (const token of ['garbage', tampered]) expect((await introspect(token)).body).toEqual({ active: false });

    // An expired service token, minted by the service's own code with a clock 10 minutes back.
    const deps = testDependencies(testClock(Date.now() - 10 * 60 * 1000));
    const user = await deps.users.get(active.body.sub);
    const expired = await issueServiceToken(user!, deps.config.services[0]!, { signer: deps.signer, clock: deps.clock, settings: deps.serviceTokens });
    expect((await introspect(expired.token)).body).toEqual({ active: false });

    expect((await api('/logout', { method: 'POST', headers: bearer(session.accessToken) })).status).toBe(204);
    await becomes(200, async () => {
      const res = await introspect(session.accessToken);
      return res.body?.active === false ? res : { ...res, status: 0 };
    });
  });
});

describe('GET /whoami behind the Lambda authorizer', () => {
  it('passes the caller on as context, and refuses missing, forged and revoked tokens with 403', async () => {
    const session = await loggedInUser('authz');
    for (const headers of [bearer(session.accessToken), { 'x-auth-token': session.accessToken }]) {
      const res = await api('/whoami', { headers });
      expect(res.status, res.text).toBe(200);
      expect(res.body.authorizer).toMatchObject({
        sub: decodeJwtParts(session.accessToken).payload.sub,
        username: session.user.username,
        token_type: 'access_token',
        permissions: '',
        email_verified: 'false',
      });
    }
    expect((await api('/whoami')).status).toBe(403);
    expect((await api('/whoami', { headers: bearer(`${session.accessToken}x`) })).status).toBe(403);
    expect((await api('/logout', { method: 'POST', headers: bearer(session.accessToken) })).status).toBe(204);
    await becomes(403, () => api('/whoami', { headers: bearer(session.accessToken) }));
  });
});
