// GET /me/export over HTTP (GDPR Art. 20): a JSON download holding what the caller owns (profile,
// sessions live and ended, API tokens' metadata without secrets, factors' metadata, consents,
// security events), and nothing another user owns: two users' exports are checked against each
// other.
import { describe, expect, it } from 'vitest';
import { testDependencies } from '../support/deps.ts';
import { totpCode } from '../support/mfa-pages.ts';
import { api, decodeJwtParts, expectProblem, loggedInUser, type Session } from './helpers.ts';

const deps = testDependencies();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const exportOf = (token: string) => api('/me/export', { headers: bearer(token) });

/** A user with two sessions (one ended), an API token, an authenticator app and a consent. */
async function userWithData(prefix: string) {
  const session = await loggedInUser(prefix);
  const headers = bearer(session.accessToken);
  const userId = decodeJwtParts(session.accessToken).payload.sub as string;
  const other = await api('/login', { json: { username: session.user.username, password: session.user.password } });
  expect((await api(`/me/sessions/${decodeJwtParts(other.body.access_token).payload.sid}`, { method: 'DELETE', headers })).status).toBe(204);
  const token = await api('/tokens', { json: { name: `${prefix} token` }, headers });
  expect(token.status).toBe(201);
  const started = await api('/mfa/totp', { method: 'POST', headers });
  expect((await api('/mfa/totp/confirm', { json: { code: totpCode(started.body.secret) }, headers })).status).toBe(200);
  await deps.consents.grant(userId, `c_export_${prefix}`, ['openid', 'email'], Date.now());
  return {
    session,
    userId,
    apiToken: token.body as { id: string; token: string },
    endedSession: decodeJwtParts(other.body.access_token).payload.sid as string,
  };
}

function expectOnlyOwn(text: string, own: { userId: string; session: Session }, other: { userId: string; session: Session; apiToken: { id: string } }) {
  for (const foreign of [
    other.userId,
    other.session.user.username,
    other.session.user.email,
    other.apiToken.id,
    decodeJwtParts(other.session.accessToken).payload.sid,
  ]) {
    expect(text).not.toContain(foreign);
  }
  expect(text).toContain(own.userId);
}

describe('GET /me/export', () => {
  it('is a JSON download of everything the caller owns, and nothing another user owns', async () => {
    const alice = await userWithData('expa');
    const bob = await userWithData('expb');
    const res = await exportOf(alice.session.accessToken);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="account-export.json"');
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const data = res.body;
    expect(Object.keys(data).sort()).toEqual(['api_tokens', 'consents', 'exported_at', 'mfa', 'profile', 'security_events', 'sessions']);
    expect(data.profile).toMatchObject({ id: alice.userId, username: alice.session.user.username, email: alice.session.user.email, status: 'active' });
    expect(data.profile.created_at).toEqual(expect.any(String));
    expect(data.sessions.map((s: any) => [s.id, s.live])).toEqual(
      expect.arrayContaining([
        [decodeJwtParts(alice.session.accessToken).payload.sid, true],
        [alice.endedSession, false],
      ]),
    );
    expect(data.sessions.find((s: any) => s.current).id).toBe(decodeJwtParts(alice.session.accessToken).payload.sid);
    expect(data.api_tokens).toEqual([expect.objectContaining({ id: alice.apiToken.id, name: 'expa token' })]);
    expect(data.mfa.factors.map((f: any) => f.type).sort()).toEqual(['recovery_codes', 'totp']);
    expect(data.consents).toEqual([{ client_id: 'c_export_expa', scopes: ['email', 'openid'] }]);
    expect(data.security_events.map((e: any) => e.type)).toContain('session_ended');
    expect(data.security_events.every((e: any) => e.user_id === undefined)).toBe(true);
    // No secret: not the API token, not a hash, not the password's.
    expect(res.text).not.toContain(alice.apiToken.token);
    expect(res.text).not.toMatch(/argon2|token_hash|tokenHash|secret|passwordHash/i);
    expectOnlyOwn(res.text, alice, bob);
    expectOnlyOwn((await exportOf(bob.session.accessToken)).text, bob, alice);
  });

  it('needs a session token: API tokens 403, none 401', async () => {
    const alice = await userWithData('expt');
    expectProblem(await exportOf(alice.apiToken.token), 403);
    expectProblem(await api('/me/export'), 401);
  });
});
