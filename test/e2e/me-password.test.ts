// POST /me/password over HTTP: the change, every other session ended (access tokens within a
// second, refresh tokens at once, a dialect's sessionless token too) while the caller's stays,
// keep_other_sessions, the current password under the login throttle, the policy, the mail, the
// event, and what the route refuses.
import { describe, expect, it } from 'vitest';
import { passwordAuthentication } from '../../lib/domain/authentication.ts';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { testDependencies } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { updateStoredUser } from '../support/users.ts';
import { api, becomes, decodeJwtParts, errorFields, expectProblem, loggedInUser, type NewUser, type Session } from './helpers.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => api('/me', { headers: bearer(token) });
const refresh = (refreshToken: string) => api('/refresh', { json: { refresh_token: refreshToken } });
const login = (user: NewUser, password = user.password) => api('/login', { json: { username: user.username, password } });
const changePassword = (token: string, body: Record<string, unknown>) => api('/me/password', { headers: bearer(token), json: body });
const newPassword = () => `New-${Math.random().toString(36).slice(2)}-passphrase`;

/** A second login session of the same user. */
async function secondSession(session: Session) {
  const res = await login(session.user);
  expect(res.status, res.text).toBe(200);
  return { accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
}

describe('POST /me/password', () => {
  it('changes the password and ends every other session, its access tokens within a second; the caller stays signed in', async () => {
    const session = await loggedInUser('pwchange');
    const other = await secondSession(session);
    const opentact = await api('/rest/auth', {
      headers: { authorization: `Basic ${Buffer.from(`${session.user.email}:${session.user.password}`).toString('base64')}` },
    });
    expect(opentact.status, opentact.text).toBe(200);
    const sessionless = opentact.body.payload.token as string;
    expect(decodeJwtParts(sessionless).payload.sid).toBeUndefined();
    const password = newPassword();

    const res = await changePassword(session.accessToken, { current_password: session.user.password, new_password: password });
    expect(res.status, res.text).toBe(204);

    // The other session: its access token is refused within a second, its refresh token at once.
    await becomes(401, () => me(other.accessToken));
    expect(expectProblem(await refresh(other.refreshToken), 401).code).toBe('invalid_refresh_token');
    // A dialect's sessionless token belongs to no session, so nothing spares it.
    await becomes(401, () => api('/rest/auth', { headers: { 'X-Auth-Token': sessionless } }));
    // The caller's session goes on: its access token, and its refresh token.
    expect((await me(session.accessToken)).status).toBe(200);
    const refreshed = await refresh(session.refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await me(refreshed.body.access_token)).status).toBe(200);
    // Only the new password logs in.
    expect((await login(session.user)).status).toBe(401);
    expect((await login(session.user, password)).status).toBe(200);
  });

  it('keeps the other sessions with keep_other_sessions: true', async () => {
    const session = await loggedInUser('pwkeep');
    const other = await secondSession(session);
    const res = await changePassword(session.accessToken, { current_password: session.user.password, new_password: newPassword(), keep_other_sessions: true });
    expect(res.status, res.text).toBe(204);
    expect((await me(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('a later "log out everywhere" ends the session a change spared', async () => {
    const session = await loggedInUser('pwthenall');
    const password = newPassword();
    expect((await changePassword(session.accessToken, { current_password: session.user.password, new_password: password })).status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(200);
    expect((await api('/logout/all', { method: 'POST', headers: bearer(session.accessToken) })).status).toBe(204);
    await becomes(401, () => me(session.accessToken));
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it('mails the owner when, from which network and browser, with a link to reset it, and records password_changed', async () => {
    const session = await loggedInUser('pwmail');
    const since = Math.floor(Date.now() / 1000);
    const res = await api('/me/password', {
      headers: { ...bearer(session.accessToken), 'user-agent': 'PasswordTest/1.0' },
      json: { current_password: session.user.password, new_password: newPassword() },
    });
    expect(res.status, res.text).toBe(204);
    const mail = await newestMail(session.user.email, { since, subject: 'password was changed' });
    expect(mail.body.text).toContain('Every other session of the account was signed out.');
    expect(mail.body.text).toContain('Browser: PasswordTest/1.0');
    expect(mail.body.text).toMatch(/When: \d{4}-\d\d-\d\dT/);
    expect(mail.body.text).toContain('/password/forgot');
    expect(mail.body.text).not.toContain(session.user.password);

    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    const { events } = await testDependencies().securityEvents.list(userId, { limit: 10, types: ['password_changed'] }, Math.floor(Date.now() / 1000));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'password_changed', userAgent: 'PasswordTest/1.0', details: { other_sessions_ended: true } });
  });

  it('voids outstanding reset links', async () => {
    const session = await loggedInUser('pwreset');
    const since = Math.floor(Date.now() / 1000);
    expect((await api('/password/forgot', { json: { email: session.user.email } })).status).toBe(202);
    const resetMail = await newestMail(session.user.email, { since, subject: 'Reset your' });
    const token = new URL(resetMail.body.text!.match(/https?:\/\/\S+/)![0]).searchParams.get('token')!;
    expect((await changePassword(session.accessToken, { current_password: session.user.password, new_password: newPassword() })).status).toBe(204);
    expect(expectProblem(await api('/password/reset', { json: { token, password: newPassword() } }), 400).code).toBe('invalid_link');
  });

  it('answers 401 for a wrong current password, counted by the login throttle: 429 once the account must wait', async () => {
    const session = await loggedInUser('pwwrong');
    const wrong = await changePassword(session.accessToken, { current_password: 'not the password', new_password: newPassword() });
    expect(expectProblem(wrong, 401).code).toBe('invalid_credentials');
    // LOGIN_MAX_FAILURES is 5 in the test stack: four more failures, and then even the right password waits.
    for (let i = 0; i < 4; i += 1) {
      expect((await changePassword(session.accessToken, { current_password: `wrong ${i}`, new_password: newPassword() })).status).toBe(401);
    }
    const locked = await changePassword(session.accessToken, { current_password: session.user.password, new_password: newPassword() });
    expectProblem(locked, 429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    // The login form counts the same failures.
    expect((await login(session.user)).status).toBe(429);
  });

  it('refuses the same password, and one the policy refuses, naming new_password', async () => {
    const session = await loggedInUser('pwsame');
    const same = expectProblem(
      await changePassword(session.accessToken, { current_password: session.user.password, new_password: session.user.password }),
      400,
    );
    expect(errorFields(same)).toEqual(['new_password']);
    const short = expectProblem(await changePassword(session.accessToken, { current_password: session.user.password, new_password: 'short' }), 400);
    expect(errorFields(short)).toEqual(['new_password']);
    const common = expectProblem(await changePassword(session.accessToken, { current_password: session.user.password, new_password: 'password123' }), 400);
    expect(errorFields(common)).toEqual(['new_password']);
    const asName = expectProblem(
      await changePassword(session.accessToken, { current_password: session.user.password, new_password: session.user.username }),
      400,
    );
    expect(errorFields(asName)).toEqual(['new_password']);
    // Nothing changed.
    expect((await login(session.user)).status).toBe(200);
  });

  it('names every bad field: missing, wrong types, too long, unknown', async () => {
    const session = await loggedInUser('pwbad');
    expect(errorFields(expectProblem(await changePassword(session.accessToken, {}), 400)).sort()).toEqual(['current_password', 'new_password']);
    const typed = expectProblem(
      await changePassword(session.accessToken, { current_password: 1, new_password: 'x'.repeat(600), keep_other_sessions: 'yes' }),
      400,
    );
    expect(errorFields(typed).sort()).toEqual(['current_password', 'keep_other_sessions', 'new_password']);
    expect(errorFields(expectProblem(await changePassword(session.accessToken, { current_password: 'a', new_password: 'b', extra: 1 }), 400))).toContain(
      'extra',
    );
  });

  it('needs a recent sign-in (step-up), with the second factor when the account has one', async () => {
    const session = await loggedInUser('pwstepup');
    const deps = testDependencies();
    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    const user = (await deps.users.get(userId))!;
    const signer = { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens };
    const sid = decodeJwtParts(session.accessToken).payload.sid as string;
    // A token of a sign-in older than STEP_UP_MAX_AGE.
    const stale = await issueAccessToken(
      user,
      signer,
      sid,
      undefined,
      passwordAuthentication(Math.floor(Date.now() / 1000) - deps.config.mfa.stepUpMaxAgeSeconds - 60),
    );
    const body = { current_password: session.user.password, new_password: newPassword() };
    expect(expectProblem(await changePassword(stale.token, body), 401).code).toBe('step_up_required');
    // An account with a second factor: a password-only sign-in, however recent, is not enough.
    await updateStoredUser(deps, userId, { mfaTotp: true });
    expect(expectProblem(await changePassword(session.accessToken, body), 401).code).toBe('step_up_required');
    // Nothing changed, and no failed login was counted.
    await updateStoredUser(deps, userId, { mfaTotp: false });
    expect((await login(session.user)).status).toBe(200);
  });

  it('needs a login session access token: none is 401, an API token is 403', async () => {
    const session = await loggedInUser('pwauth');
    expectProblem(await api('/me/password', { json: { current_password: session.user.password, new_password: newPassword() } }), 401);
    const created = await api('/tokens', { headers: bearer(session.accessToken), json: { name: 'ci' } });
    expect(created.status, created.text).toBe(201);
    expectProblem(await changePassword(created.body.token, { current_password: session.user.password, new_password: newPassword() }), 403);
    expect((await login(session.user)).status).toBe(200);
  });
});
