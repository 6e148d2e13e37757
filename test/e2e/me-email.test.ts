// POST /me/email and its two links over HTTP: the link to the new address makes the change (the
// page never does), the old address gets an undo link that restores it and ends every session and
// API token; spent, superseded and expired links; races (two confirms of one link, a confirm
// against a registration of the same address); what the route refuses.
import { describe, expect, it } from 'vitest';
import { confirmEmailChange } from '../../lib/use-cases/email-change.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { newestMail, tokenIn } from '../support/mailbox.ts';
import { updateStoredUser } from '../support/users.ts';
import { api, becomes, decodeJwtParts, errorFields, expectProblem, loggedInUser, newUser, type Session, suffix } from './helpers.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => api('/me', { headers: bearer(token) });
const refresh = (refreshToken: string) => api('/refresh', { json: { refresh_token: refreshToken } });
const requestChange = (session: Session, newEmail: string, password = session.user.password) =>
  api('/me/email', { headers: bearer(session.accessToken), json: { new_email: newEmail, password } });
const confirm = (token: string) => api('/email/change', { json: { token } });
const revert = (token: string) => api('/email/revert', { json: { token } });
const freshAddress = (prefix: string) => `${prefix}.${suffix()}@example.org`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Asks for a change to a fresh address and returns the address and the token of the link mailed to it. */
async function requestedChange(session: Session, newEmail = freshAddress('new')) {
  const since = nowSeconds();
  const res = await requestChange(session, newEmail);
  expect(res.status, res.text).toBe(202);
  const mail = await newestMail(newEmail, { since, subject: 'Confirm your new email address' });
  return { newEmail, token: tokenIn(mail.body.text!.match(/https?:\/\/\S+/)![0]), mail };
}

/** Makes a change and returns the undo link's token, mailed to the old address. */
async function completedChange(session: Session) {
  const since = nowSeconds();
  const { newEmail, token } = await requestedChange(session);
  expect((await confirm(token)).status).toBe(200);
  const mail = await newestMail(session.user.email, { since, subject: 'email address of your' });
  return { newEmail, revertToken: tokenIn(mail.body.text!.match(/https?:\/\/\S+\/email\/revert\S*/)![0]), mail };
}

describe('POST /me/email and /email/change', () => {
  it('mails a link to the new address; opening it changes nothing, its button makes the change, and the old address is told', async () => {
    const session = await loggedInUser('emchange');
    const { newEmail, token, mail } = await requestedChange(session);
    expect(mail.body.text).toContain('/email/change?token=');

    const page = await api(`/email/change?token=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/email/change"');
    expect((await me(session.accessToken)).body.user.email).toBe(session.user.email);

    const since = nowSeconds();
    const res = await confirm(token);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ email: newEmail, user: { email: newEmail, email_verified: true } });
    const told = await newestMail(session.user.email, { since, subject: 'email address of your' });
    expect(told.body.text).toContain('/email/revert?token=');
    expect(told.body.text).toContain('7 days');

    // The caller's session is untouched; the new address logs in, the old one no longer does.
    await becomes(200, async () => {
      const now = await me(session.accessToken);
      return now.body?.user?.email === newEmail ? now : { ...now, status: 0 };
    });
    expect((await api('/login', { json: { email: newEmail, password: session.user.password } })).status).toBe(200);
    expect((await api('/login', { json: { email: session.user.email, password: session.user.password } })).status).toBe(401);
    // The old address is free again.
    expect((await api('/register', { json: { ...newUser('reuse'), email: session.user.email } })).status).toBe(201);

    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    const { events } = await testDependencies().securityEvents.list(
      userId,
      { limit: 10, types: ['email_change_requested', 'email_change_completed'] },
      nowSeconds(),
    );
    expect(events.map((event) => event.type)).toEqual(['email_change_completed', 'email_change_requested']);
  });

  it('a link works once; a newer request voids the older link; the page of a spent link says so', async () => {
    const session = await loggedInUser('emonce');
    const first = await requestedChange(session);
    const second = await requestedChange(session);
    expect(expectProblem(await confirm(first.token), 400).code).toBe('invalid_link');
    expect((await confirm(second.token)).status).toBe(200);
    expect(expectProblem(await confirm(second.token), 400).code).toBe('invalid_link');
    const page = await api(`/email/change?token=${encodeURIComponent(second.token)}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(page.text).toContain('This link has expired or has already been used.');
  });

  it('an expired link is refused', async () => {
    const session = await loggedInUser('emexpired');
    const { token } = await requestedChange(session);
    const clock = testClock(Date.now());
    const deps = testDependencies(clock);
    clock.advance(deps.config.verifyTokenTtlSeconds + 1);
    await expect(confirmEmailChange(token, deps)).rejects.toMatchObject({ code: 'invalid_link' });
    // The same link, still in time, works.
    expect((await confirm(token)).status).toBe(200);
  });

  it('two confirms of one link at once: exactly one makes the change', async () => {
    const session = await loggedInUser('emrace');
    const { newEmail, token } = await requestedChange(session);
    const answers = await Promise.all([confirm(token), confirm(token), confirm(token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    expect((await api('/login', { json: { email: newEmail, password: session.user.password } })).status).toBe(200);
  });

  it('a confirm racing a registration of the same address: one wins, the other hears 409 naming the address', async () => {
    for (let round = 0; round < 3; round += 1) {
      const session = await loggedInUser('emvsreg');
      const { newEmail, token } = await requestedChange(session);
      const [confirmed, registered] = await Promise.all([confirm(token), api('/register', { json: { ...newUser('rival'), email: newEmail } })]);
      const statuses = [confirmed.status, registered.status];
      expect([
        [200, 409],
        [409, 201],
      ]).toContainEqual(statuses);
      const loser = confirmed.status === 409 ? confirmed : registered;
      expect(errorFields(expectProblem(loser, 409))).toEqual([confirmed.status === 409 ? 'new_email' : 'email']);
      // Whoever lost, the address has exactly one owner and the change left nothing half-done.
      const owner = await testDependencies().users.findByEmail(newEmail);
      expect(owner?.email).toBe(newEmail);
      if (confirmed.status === 409) expect((await me(session.accessToken)).body.user.email).toBe(session.user.email);
    }
  });
});

describe('/email/revert', () => {
  it('puts the old address back and ends every session and API token of the account', async () => {
    const session = await loggedInUser('emrevert');
    const apiToken = await api('/tokens', { headers: bearer(session.accessToken), json: { name: 'ci' } });
    expect(apiToken.status, apiToken.text).toBe(201);
    const { newEmail, revertToken } = await completedChange(session);

    const page = await api(`/email/revert?token=${encodeURIComponent(revertToken)}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/email/revert"');

    const res = await revert(revertToken);
    expect(res.status, res.text).toBe(200);
    await becomes(401, () => me(session.accessToken));
    expect((await refresh(session.refreshToken)).status).toBe(401);
    await becomes(401, () => me(apiToken.body.token));
    const back = await api('/login', { json: { email: session.user.email, password: session.user.password } });
    expect(back.status, back.text).toBe(200);
    expect((await me(back.body.access_token)).body.user).toMatchObject({ email: session.user.email });
    // The address the change moved to is free again.
    expect((await api('/register', { json: { ...newUser('after'), email: newEmail } })).status).toBe(201);
    // A second use is refused.
    expect(expectProblem(await revert(revertToken), 400).code).toBe('invalid_link');

    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    const { events } = await testDependencies().securityEvents.list(userId, { limit: 10, types: ['email_change_reverted'] }, nowSeconds());
    expect(events).toHaveLength(1);
  });

  it('the revert page (HTML) offers a password reset after the undo', async () => {
    const session = await loggedInUser('emrevpage');
    const { revertToken } = await completedChange(session);
    const res = await api('/email/revert', {
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: revertToken }).toString(),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain('href="/password/forgot"');
    expect(res.text).toContain(session.user.email);
  });

  it('an undo link is void once the address has changed again', async () => {
    const session = await loggedInUser('emagain');
    const first = await completedChange(session);
    // The second change's "old address" is the first change's new one.
    const second = await completedChange({ ...session, user: { ...session.user, email: first.newEmail } });
    expect(second.revertToken).not.toBe(first.revertToken);
    expect(expectProblem(await revert(first.revertToken), 400).code).toBe('invalid_link');
    expect((await me(session.accessToken)).status).toBe(200);
  });
});

describe('POST /me/email refusals', () => {
  it('refuses the same address (in any case) and another account’s with 409, naming new_email', async () => {
    const session = await loggedInUser('emsame');
    expect(errorFields(expectProblem(await requestChange(session, session.user.email.toUpperCase()), 400))).toEqual(['new_email']);
    const other = await loggedInUser('emother');
    expect(errorFields(expectProblem(await requestChange(session, other.user.email), 409))).toEqual(['new_email']);
  });

  it('answers 401 for a wrong password, counted by the login throttle', async () => {
    const session = await loggedInUser('emwrong');
    for (let i = 0; i < 5; i += 1) expect(expectProblem(await requestChange(session, freshAddress('x'), `wrong ${i}`), 401).code).toBe('invalid_credentials');
    expectProblem(await requestChange(session, freshAddress('x')), 429);
  });

  it('needs a second-factor sign-in when the account has a factor (step-up)', async () => {
    const session = await loggedInUser('emstepup');
    const deps = testDependencies();
    const userId = decodeJwtParts(session.accessToken).payload.sub as string;
    await updateStoredUser(deps, userId, { mfaTotp: true });
    expect(expectProblem(await requestChange(session, freshAddress('step')), 401).code).toBe('step_up_required');
    expect((await deps.users.get(userId))?.pendingEmailChange).toBeUndefined();
  });

  it('names every bad field, and needs a session access token', async () => {
    const session = await loggedInUser('embad');
    const bad = expectProblem(
      await api('/me/email', { headers: bearer(session.accessToken), json: { new_email: 'not an address', password: 7, more: 1 } }),
      400,
    );
    expect(errorFields(bad).sort()).toEqual(['more', 'new_email', 'password']);
    expect(errorFields(expectProblem(await api('/me/email', { headers: bearer(session.accessToken), json: {} }), 400)).sort()).toEqual([
      'new_email',
      'password',
    ]);
    const long = expectProblem(await requestChange(session, `${'a'.repeat(250)}@example.org`), 400);
    expect(errorFields(long)).toEqual(['new_email']);
    expectProblem(await api('/me/email', { json: { new_email: freshAddress('n'), password: session.user.password } }), 401);
    expect(expectProblem(await confirm(''), 400).code).toBe('invalid_request');
    expect(errorFields(expectProblem(await api('/email/change', { json: { token: 'x'.repeat(600) } }), 400))).toEqual(['token']);
    expect(expectProblem(await confirm('no-such-token'), 400).code).toBe('invalid_link');
  });
});
