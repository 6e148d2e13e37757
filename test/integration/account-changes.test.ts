// Password and email changes against DynamoDB Local: the kept session (User.keptSessionId) that a
// change sets and every other move of validAfterMs removes; the email change under
// REGISTRATION_DISCLOSURE=email (a taken address answers as a free one, its owner is told); and a
// confirm or revert whose transaction fails, which changes nothing (faults injected into the
// handlers' own DynamoDB client), then works on retry.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../lib/domain/identity.ts';
import { hashPassword } from '../../lib/passwords/hashing.ts';
import { emailKey, userKey } from '../../lib/store/keys.ts';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { currentBrowserSession, startBrowserSession } from '../../lib/use-cases/browser-sessions.ts';
import { changePassword } from '../../lib/use-cases/change-password.ts';
import { requestEmailChange } from '../../lib/use-cases/email-change.ts';
import { newSecurityEvent } from '../../lib/use-cases/security-events.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { useFaultyService } from '../support/faulty-service.ts';
import { mailsTo, newestMail } from '../support/mailbox.ts';
import { expectUnavailable, keepProcessEnv, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';
import { storedUser } from '../support/users.ts';

keepProcessEnv();

const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const START = Date.UTC(2026, 10, 30, 9, 0, 0, 0);

async function userWithPassword(deps: Dependencies, prefix: string) {
  return storedUser(deps, prefix, { passwordHash: await hashPassword(PASSWORD, deps.config.argon2) });
}

describe('the kept session', () => {
  it('a change that ends the other sessions keeps the caller’s; log out everywhere, a reset and disabling take it away', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, FAST_ARGON2);
    const user = await userWithPassword(deps, 'kept');
    await changePassword(user, { currentPassword: PASSWORD, newPassword: 'a long new passphrase 1' }, 'session-a', deps);
    let stored = await deps.users.get(user.id);
    expect(stored).toMatchObject({ validAfterMs: START + 1, keptSessionId: 'session-a', resetGeneration: 1 });

    // keep_other_sessions: nothing about sessions moves.
    clock.advance(10);
    await changePassword(
      stored!,
      { currentPassword: 'a long new passphrase 1', newPassword: 'a long new passphrase 2', keepOtherSessions: true },
      'session-b',
      deps,
    );
    stored = await deps.users.get(user.id);
    expect(stored).toMatchObject({ validAfterMs: START + 1, keptSessionId: 'session-a', resetGeneration: 2 });

    // Log out everywhere (its later time, or an earlier one that another clock set) spares nobody.
    clock.advance(10);
    await deps.users.invalidateTokensBefore(user.id, clock.now());
    expect((await deps.users.get(user.id))?.keptSessionId).toBeUndefined();
    await changePassword(
      (await deps.users.get(user.id))!,
      { currentPassword: 'a long new passphrase 2', newPassword: 'a long new passphrase 3' },
      'session-c',
      deps,
    );
    expect((await deps.users.get(user.id))?.keptSessionId).toBe('session-c');
    await deps.users.invalidateTokensBefore(user.id, START);
    expect((await deps.users.get(user.id))?.keptSessionId).toBeUndefined();

    // Disabling.
    clock.advance(10);
    await changePassword(
      (await deps.users.get(user.id))!,
      { currentPassword: 'a long new passphrase 3', newPassword: 'a long new passphrase 4' },
      'session-d',
      deps,
    );
    expect(await deps.users.disable(user.id, clock.now())).toBe(true);
    expect((await deps.users.get(user.id))?.keptSessionId).toBeUndefined();
  });

  it('spares the kept browser session (the account page passes its own) and ends the others', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, FAST_ARGON2);
    const user = await userWithPassword(deps, 'keptbrowser');
    const kept = await startBrowserSession(user, ['pwd'], deps);
    const other = await startBrowserSession(user, ['pwd'], deps);
    clock.advance(1);
    await changePassword(user, { currentPassword: PASSWORD, newPassword: 'a long new passphrase 1' }, kept.session.sessionId, deps);
    expect((await currentBrowserSession(kept.cookieValue, deps))?.session.sessionId).toBe(kept.session.sessionId);
    expect(await currentBrowserSession(other.cookieValue, deps)).toBeUndefined();
  });

  it('a password reset takes it away', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, FAST_ARGON2);
    const user = await userWithPassword(deps, 'keptreset');
    await changePassword(user, { currentPassword: PASSWORD, newPassword: 'a long new passphrase 1' }, 'session-a', deps);
    const token = randomSecret();
    await deps.oneTimeTokens.createResetToken(sha256(token), { userId: user.id, expiresAt: Math.floor(START / 1000) + 600, generation: 1 }, START);
    clock.advance(5);
    expect(await deps.oneTimeTokens.resetPassword({ tokenHash: sha256(token), userId: user.id, generation: 1, newPasswordHash: 'x', now: clock.now() })).toBe(
      true,
    );
    expect((await deps.users.get(user.id))?.keptSessionId).toBeUndefined();
  });

  it('a change whose password changed meanwhile is refused (409) and writes nothing', async () => {
    const deps = testDependencies(testClock(START), FAST_ARGON2);
    const user = await userWithPassword(deps, 'keptstale');
    await changePassword(user, { currentPassword: PASSWORD, newPassword: 'a long new passphrase 1' }, 'session-a', deps);
    const after = await deps.users.get(user.id);
    const event = newSecurityEvent(user.id, 'password_changed', deps);
    expect(await deps.users.changePassword({ userId: user.id, expectedHash: user.passwordHash, newHash: 'y', now: START + 5, event })).toBe(false);
    expect(await deps.users.get(user.id)).toEqual(after);
  });
});

describe('an email change under REGISTRATION_DISCLOSURE=email', () => {
  it('a taken address answers as a free one: no link for the requester, and the owner is told', async () => {
    const deps = testDependencies(testClock(START), { ...FAST_ARGON2, REGISTRATION_DISCLOSURE: 'email', MAIL_REQUEST_MIN_MS: '0' });
    const requester = await userWithPassword(deps, 'emreq');
    const owner = await storedUser(deps, 'emowner', { email: `emowner_${randomUUID().slice(0, 8)}@example.com` });
    const before = (await mailsTo(owner.email)).length;
    await expect(requestEmailChange(requester, { newEmail: owner.email, password: PASSWORD }, deps)).resolves.toBeUndefined();
    const told = await newestMail(owner.email, { subject: 'Someone tried to move' });
    expect(told.body.text).not.toContain('/email/change');
    const mails = await mailsTo(owner.email);
    expect(mails.length).toBe(before + 1);
    expect((await deps.users.get(requester.id))?.pendingEmailChange).toBeUndefined();

    // A free address gets its link as in conflict mode.
    const free = `emfree_${randomUUID().slice(0, 8)}@example.com`;
    await requestEmailChange(requester, { newEmail: free, password: PASSWORD }, deps);
    expect((await newestMail(free, { subject: 'Confirm your new email address' })).body.text).toContain('/email/change?token=');
  });
});

describe('email-change links when DynamoDB fails (injected faults)', () => {
  const service = useFaultyService();

  /** A change link stored as POST /me/email stores it (SES is down in this part, so the request's own mail would discard it). */
  async function storedLink(userId: string, oldEmail: string) {
    const token = randomSecret();
    const newEmail = `fault_new_${randomUUID().slice(0, 8)}@example.com`;
    const now = Date.now();
    const stored = await service.deps.emailChanges.request({
      tokenHash: sha256(token),
      link: { kind: 'change', userId, oldEmail, newEmail, expiresAt: Math.floor(now / 1000) + 600 },
      now,
      event: newSecurityEvent(userId, 'email_change_requested', service.deps),
    });
    expect(stored).toBe(true);
    return { token, newEmail };
  }

  const claimOwner = async (email: string) =>
    (await service.deps.db.send(new GetCommand({ TableName: service.deps.config.tableName, Key: emailKey(normaliseEmail(email)), ConsistentRead: true }))).Item
      ?.userId;
  const profile = async (userId: string) =>
    (await service.deps.db.send(new GetCommand({ TableName: service.deps.config.tableName, Key: userKey(userId), ConsistentRead: true }))).Item;

  it('a confirm whose transaction fails changes nothing; the same link then works, once, even when its answer is lost', async () => {
    const session = await registeredSession(service.handlers);
    const { token, newEmail } = await storedLink(session.userId, session.account.email);
    const handler = (await import('../../functions/email-change.ts')).handler;
    const before = await profile(session.userId);

    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(handler, '/email/change', { body: { token } }));
    service.faults.clear();
    expect(await profile(session.userId)).toEqual(before);
    expect(await claimOwner(session.account.email)).toBe(session.userId);
    expect(await claimOwner(newEmail)).toBeUndefined();
    expect(await service.deps.emailChanges.find('change', sha256(token), Math.floor(Date.now() / 1000))).toBeDefined();

    // Applied, answer lost once: the SDK's retry carries the same client request token, so it is not "invalid link".
    service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    const done = await send(handler, '/email/change', { body: { token } });
    service.faults.clear();
    expect(done.status).toBe(200);
    expect((await profile(session.userId))?.email).toBe(newEmail);
    expect(await claimOwner(newEmail)).toBe(session.userId);
    expect(await claimOwner(session.account.email)).toBeUndefined();
    expect((await send(handler, '/email/change', { body: { token } })).status).toBe(400);
  });

  it('a revert whose transaction fails changes nothing, and the same link then works', async () => {
    const session = await registeredSession(service.handlers);
    const { token, newEmail } = await storedLink(session.userId, session.account.email);
    const change = (await import('../../functions/email-change.ts')).handler;
    expect((await send(change, '/email/change', { body: { token } })).status).toBe(200);
    // The undo link as the confirm stored it (its mail could not go out: SES is down here).
    const revertToken = randomSecret();
    const now = Date.now();
    const link = {
      kind: 'revert' as const,
      userId: session.userId,
      oldEmail: session.account.email,
      newEmail,
      oldEmailVerified: false,
      expiresAt: Math.floor(now / 1000) + 600,
    };
    await service.deps.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
        TableName: service.deps.config.tableName,
        Item: { pk: `EMAILREVERT#${sha256(revertToken)}`, sk: 'EMAILREVERT', type: 'emailRevertToken', ...link, createdAt: now },
      }),
    );
    const revert = (await import('../../functions/email-revert.ts')).handler;
    const before = await profile(session.userId);

    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(revert, '/email/revert', { body: { token: revertToken } }));
    service.faults.clear();
    expect(await profile(session.userId)).toEqual(before);
    expect(await claimOwner(newEmail)).toBe(session.userId);
    expect(await claimOwner(session.account.email)).toBeUndefined();
    expect((await send(service.handlers.me, '/me', { method: 'GET', token: session.accessToken })).status).toBe(200);

    expect((await send(revert, '/email/revert', { body: { token: revertToken } })).status).toBe(200);
    const reverted = await profile(session.userId);
    expect(reverted).toMatchObject({ email: session.account.email, emailVerified: false });
    expect(reverted?.validAfterMs).toBeGreaterThan(now);
    expect(await claimOwner(session.account.email)).toBe(session.userId);
    expect(await claimOwner(newEmail)).toBeUndefined();
  });
});
