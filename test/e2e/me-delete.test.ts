// DELETE /me over HTTP: the current password (401, counted) and a recent sign-in with the second
// factor when the account has one (403 step_up_required); then every session, token, factor,
// link and claim is gone (a SCAN of the table finds no item naming the user id, username or
// email), the security events are kept only under a pseudonym, the names are free again (they
// register anew), and the owner is mailed. A second DELETE answers 401.
import { describe, expect, it } from 'vitest';
import { startBrowserSession } from '../../lib/use-cases/browser-sessions.ts';
import { testDependencies } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { totpCode } from '../support/mfa-pages.ts';
import { itemsNaming } from '../support/table-scan.ts';
import { api, becomes, decodeJwtParts, errorFields, expectProblem, loggedInUser } from './helpers.ts';

const deps = testDependencies();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const deleteMe = (token: string, json: unknown) => api('/me', { method: 'DELETE', headers: bearer(token), json });

/** Every item of the table whose text (any attribute, keys included) contains one of `needles`. */

describe('DELETE /me', () => {
  it('needs the current password (400 naming it, 401 when wrong) and, with a second factor, a sign-in that used it', async () => {
    const session = await loggedInUser('delstep');
    expect(errorFields(expectProblem(await deleteMe(session.accessToken, {}), 400))).toEqual(['password']);
    expect(errorFields(expectProblem(await deleteMe(session.accessToken, { password: 'x'.repeat(5000) }), 400))).toEqual(['password']);
    expect(errorFields(expectProblem(await deleteMe(session.accessToken, { password: session.user.password, extra: 1 }), 400))).toContain('extra');
    expect(expectProblem(await deleteMe(session.accessToken, { password: `${session.user.password}-wrong` }), 401).code).toBe('invalid_credentials');
    // An authenticator app enrolled: the password-only token is not enough any more.
    const started = await api('/mfa/totp', { method: 'POST', headers: bearer(session.accessToken) });
    expect(started.status, started.text).toBe(201);
    expect((await api('/mfa/totp/confirm', { json: { code: totpCode(started.body.secret) }, headers: bearer(session.accessToken) })).status).toBe(200);
    expect(expectProblem(await deleteMe(session.accessToken, { password: session.user.password }), 401).code).toBe('step_up_required');
    expect((await api('/me', { headers: bearer(session.accessToken) })).status).toBe(200);
  });

  it('deletes everything the account owned, keeps its events under a pseudonym only, frees the names and mails the owner', async () => {
    const session = await loggedInUser('delall');
    const { user } = session;
    const userId = (await api('/me', { headers: bearer(session.accessToken) })).body.user.id as string;
    // Things the account owns, inside its partition and outside it.
    const started = await api('/mfa/totp', { method: 'POST', headers: bearer(session.accessToken) });
    const confirmed = await api('/mfa/totp/confirm', { json: { code: totpCode(started.body.secret) }, headers: bearer(session.accessToken) });
    expect(confirmed.status).toBe(200);
    const challenge = await api('/login', { json: { username: user.username, password: user.password } });
    expect(challenge.body.code).toBe('mfa_required');
    const second = await api('/login/mfa', { json: { mfa_token: challenge.body.mfa_token, recovery_code: confirmed.body.recovery_codes[0] } });
    expect(second.status, second.text).toBe(200);
    const token = second.body.access_token as string;
    const refreshed = await api('/refresh', { json: { refresh_token: second.body.refresh_token } });
    expect(refreshed.status).toBe(200);
    const apiToken = await api('/tokens', { json: { name: 'ci' }, headers: bearer(token) });
    expect(apiToken.status).toBe(201);
    expect((await api('/password/forgot', { json: { email: user.email } })).status).toBe(202);
    const stored = (await deps.users.get(userId))!;
    await startBrowserSession(stored, ['pwd'], deps);
    await deps.consents.grant(userId, 'c_deletiontest', ['openid'], Date.now());
    // Events to keep: a wrong password (login_failed) and an ended session (session_ended).
    expectProblem(await deleteMe(token, { password: `${user.password}-wrong` }), 401);
    expect((await api(`/me/sessions/${decodeJwtParts(session.accessToken).payload.sid}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(204);
    const eventsBefore = (await deps.securityEvents.list(userId, { limit: 100 }, Math.floor(Date.now() / 1000))).events;
    expect(await itemsNaming(deps, [userId])).not.toHaveLength(0);

    const res = await deleteMe(token, { password: user.password });
    expect(res.status, res.text).toBe(204);

    await becomes(401, () => api('/me', { headers: bearer(token) }));
    expect((await api('/refresh', { json: { refresh_token: refreshed.body.refresh_token } })).status).toBe(401);
    expect((await api('/me', { headers: bearer(apiToken.body.token) })).status).toBe(401);
    expectProblem(await deleteMe(token, { password: user.password }), 401);

    // Nothing left that names the account: not its id, not its username, not its email.
    expect(await itemsNaming(deps, [userId, user.username, user.email])).toEqual([]);
    // Its events, and the deletion's, under a pseudonym: no user id, user agent or details.
    expect(eventsBefore.map((event) => event.type).sort()).toEqual(expect.arrayContaining(['login_failed', 'session_ended']));
    const kept = (
      await itemsNaming(
        deps,
        eventsBefore.map((event) => event.id),
      )
    ).filter((item) => item.type === 'pseudonymisedEvent');
    expect(kept.map((item) => item.id).sort()).toEqual(eventsBefore.map((event) => event.id).sort());
    const pseudonym = kept[0]!.pseudonym as string;
    expect(kept.every((item) => item.pseudonym === pseudonym && String(item.pk) === `DELETEDEVENTS#${pseudonym}`)).toBe(true);
    expect(kept.every((item) => item.userId === undefined && item.userAgent === undefined && item.details === undefined)).toBe(true);
    const all = await itemsNaming(deps, [`DELETEDEVENTS#${pseudonym}`]);
    expect(all.map((item) => item.eventType)).toContain('account_deleted');

    // (A login with the freed name now is anyone's failed login: its counter is the name's, not the account's.)
    expect((await api('/login', { json: { username: user.username, password: user.password } })).status).toBe(401);

    const mail = await newestMail(user.email, { subject: 'was deleted' });
    expect(mail.body.text).toContain('the username and email address are free again');

    // The names are free: the same username and email register anew.
    expect((await api('/register', { json: user })).status).toBe(201);
  });

  it('two concurrent deletions: one deletes, the other finishes it or finds it gone; nothing is left', async () => {
    const session = await loggedInUser('delrace');
    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    const answers = await Promise.all([1, 2].map(() => deleteMe(session.accessToken, { password: session.user.password })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toContain(204);
    expect(
      statuses.every((status) => status === 204 || status === 401),
      JSON.stringify(answers.map((a) => a.text)),
    ).toBe(true);
    expect(await itemsNaming(deps, [userId, session.user.username, session.user.email])).toEqual([]);
  });

  it('refuses API tokens (403): deleting the account needs a session', async () => {
    const session = await loggedInUser('deltok');
    const created = await api('/tokens', { json: { name: 'ci' }, headers: bearer(session.accessToken) });
    expect(expectProblem(await deleteMe(created.body.token, { password: session.user.password }), 403).code).toBe('insufficient_permission');
    expect((await api('/me', { headers: bearer(session.accessToken) })).status).toBe(200);
  });
});
