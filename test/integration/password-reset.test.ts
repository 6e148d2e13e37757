// Password reset against DynamoDB Local and aws-ses-v2-local with a frozen clock: the mail and its
// link, silence for unknown and disabled accounts, everything a reset ends, the ways a link is
// refused (used, expired, voided by a reset with another link), several links outstanding at once,
// the password policy, races on one link and on two, and SES failing.
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { InvalidCredentialsError, InvalidLinkError, InvalidRefreshTokenError, InvalidTokenError, ValidationError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { resetTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { createApiToken, listApiTokens } from '../../lib/use-cases/api-tokens.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { resetLinkIsValid, resetPassword } from '../../lib/use-cases/password-reset.ts';
import { requestPasswordReset } from '../../lib/use-cases/password-reset-request.ts';
import { register } from '../../lib/use-cases/register.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { firstLink, linkIn, mailsTo, newestMail, tokenIn } from '../support/mailbox.ts';
import { failingMailer } from '../support/mailers.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 500);
/** The cheapest argon2 the config allows: these tests hash many passwords. */
const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const RESET_TTL = 1800;

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, { ...FAST_ARGON2, ...env }) };
}

const strongPassword = () => `Pw-${randomBytes(12).toString('base64url')}`;

/** A user registered through the use case (a real argon2 hash), with its password. */
async function registered(deps: Dependencies): Promise<{ user: User; password: string }> {
  const s = randomUUID().slice(0, 8);
  const password = strongPassword();
  const user = await register({ username: `reset_${s}`, email: `reset.${s}@example.com`, password }, deps);
  return { user, password };
}

/** Asks for a reset link and returns the token from the mail that arrived. */
async function requestedToken(deps: Dependencies, email: string): Promise<string> {
  const before = (await mailsTo(email)).at(-1);
  await requestPasswordReset(email, deps);
  return tokenIn(linkIn(await newestMail(email, { subject: 'Reset', ...(before ? { after: before } : {}) })));
}

const check = (deps: Dependencies, token: string) => deps.tokenChecker.check(token, deps.accessTokens.audience);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('asking for a reset link', () => {
  it('mails an active user one link to the reset page, in text and HTML', async () => {
    const { deps } = setup();
    const user = await storedUser(deps, 'reset');
    await requestPasswordReset(user.email, deps);

    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.from).toBe('no-reply@example.com');
    expect(mail!.destination.to).toEqual([user.email]);
    expect(mail!.subject).toContain('Reset');

    const link = linkIn(mail!);
    expect(link).toMatch(new RegExp(`^${escapeRegExp(deps.config.publicUrl)}/password/reset\\?token=[A-Za-z0-9_-]{20,}$`));
    // The stack's own address, so the link opens the pages the test stack serves.
    expect(deps.config.publicUrl).toBe(inject('apiUrl').replace(/\/$/, ''));
    expect(mail!.body.text).toContain(link);
    expect(mail!.body.html).toContain(link);
    expect(mail!.body.text).toContain(user.username);
    expect(mail!.body.text).toContain('30 minutes');
    expect(await resetLinkIsValid(tokenIn(link), deps)).toBe(true);
  });

  it('stores the token only as a hash, expiring after RESET_TOKEN_TTL', async () => {
    const { deps } = setup();
    const user = await storedUser(deps, 'reset');
    const token = await requestedToken(deps, user.email);
    const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: resetTokenKey(sha256(token)), ConsistentRead: true }));
    // Issued under the user's reset generation (none yet: 0), which a reset moves on.
    expect(Item).toMatchObject({ userId: user.id, expiresAt: Math.floor(START / 1000) + RESET_TTL, generation: 0 });
    expect(JSON.stringify(Item)).not.toContain(token);
  });

  it('sends nothing, and says nothing, for an unknown address', async () => {
    const { deps } = setup();
    const email = `nobody.${randomUUID().slice(0, 8)}@example.com`;
    await expect(requestPasswordReset(email, deps)).resolves.toBeUndefined();
    expect(await mailsTo(email)).toEqual([]);
  });

  it('sends nothing, and says nothing, for a disabled account', async () => {
    const { deps } = setup();
    const user = await storedUser(deps, 'reset');
    await updateStoredUser(deps, user.id, { status: 'disabled' });
    await expect(requestPasswordReset(user.email, deps)).resolves.toBeUndefined();
    expect(await mailsTo(user.email)).toEqual([]);
  });
});

describe('resetting the password with the link', () => {
  it('sets the new password and ends every session, access token and API token', async () => {
    const { clock, deps } = setup();
    const { user, password } = await registered(deps);
    const session = await startSession(user, deps);
    const caller = await check(deps, session.accessToken.token);
    const apiToken = await createApiToken(caller, { name: 'ci' }, deps);
    await expect(check(deps, apiToken.token)).resolves.toMatchObject({ tokenType: 'api_token' });

    const token = await requestedToken(deps, user.email);
    const newPassword = strongPassword();
    await expect(resetPassword(token, newPassword, deps)).resolves.toBeUndefined();

    // The new password works, the old one does not.
    await expect(authenticateUser({ login: user.username, password: newPassword }, deps)).resolves.toMatchObject({ id: user.id });
    await expect(authenticateUser({ login: user.email, password }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);

    // The session is over: its refresh token is refused at once...
    await expect(refreshSession(session.refreshToken, deps)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
    // ...and its access token and the API token once the checker's one-second cache has passed.
    clock.advance(1);
    await expect(check(deps, session.accessToken.token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(check(deps, apiToken.token)).rejects.toBeInstanceOf(InvalidTokenError);

    // A session started after the reset works, and lists no API tokens.
    const fresh = await startSession((await deps.users.get(user.id))!, deps);
    const freshCaller = await check(deps, fresh.accessToken.token);
    expect(await listApiTokens(freshCaller, deps)).toEqual([]);
    await expect(refreshSession(fresh.refreshToken, deps)).resolves.toBeTruthy();

    // The owner is told.
    const changed = await newestMail(user.email, { subject: /password was changed/ });
    expect(changed.from).toBe('no-reply@example.com');
    expect(changed.body.text).toContain(`${deps.config.publicUrl}/password/forgot`);
    expect(changed.body.html).toContain(`${deps.config.publicUrl}/password/forgot`);
    expect((await mailsTo(user.email)).map((mail) => mail.subject)).toEqual([expect.stringContaining('Reset'), changed.subject]);
  });

  it('refuses the same link a second time', async () => {
    const { deps } = setup();
    const { user } = await registered(deps);
    const token = await requestedToken(deps, user.email);
    const first = strongPassword();
    await resetPassword(token, first, deps);
    expect(await resetLinkIsValid(token, deps)).toBe(false);
    await expect(resetPassword(token, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password: first }, deps)).resolves.toMatchObject({ id: user.id });
    // One "changed" mail: the refused attempt sends nothing.
    expect(await mailsTo(user.email, { subject: /password was changed/ })).toHaveLength(1);
  });

  it('refuses a link once RESET_TOKEN_TTL has passed, even before DynamoDB deletes it', async () => {
    const { clock, deps } = setup();
    const { user, password } = await registered(deps);
    const token = await requestedToken(deps, user.email);
    clock.advance(RESET_TTL - 1);
    expect(await resetLinkIsValid(token, deps)).toBe(true);
    clock.advance(1);
    expect(await resetLinkIsValid(token, deps)).toBe(false);
    await expect(resetPassword(token, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id });
  });

  it('keeps every outstanding link working until used or expired; a reset with one voids the others', async () => {
    const { clock, deps } = setup();
    const { user, password } = await registered(deps);
    const first = await requestedToken(deps, user.email);
    clock.advance(600);
    const second = await requestedToken(deps, user.email);
    const third = await requestedToken(deps, user.email);
    expect(new Set([first, second, third]).size).toBe(3);
    // A later request does not void an earlier link.
    for (const token of [first, second, third]) expect(await resetLinkIsValid(token, deps), token).toBe(true);

    // The first expires on its own time; the others live on.
    clock.advance(RESET_TTL - 600);
    expect(await resetLinkIsValid(first, deps)).toBe(false);
    await expect(resetPassword(first, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id });
    expect(await resetLinkIsValid(second, deps)).toBe(true);

    // The older of the two live links works, and voids the newer one with the same write.
    const newPassword = strongPassword();
    await resetPassword(second, newPassword, deps);
    expect(await resetLinkIsValid(third, deps)).toBe(false);
    await expect(resetPassword(third, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password: newPassword }, deps)).resolves.toMatchObject({ id: user.id });
    expect(await mailsTo(user.email, { subject: /password was changed/ })).toHaveLength(1);

    // A link asked for after the reset (in the next hour: this one has had its three mails) is of
    // the new generation, and works.
    clock.advance(1800);
    const later = await requestedToken(deps, user.email);
    expect(await resetLinkIsValid(later, deps)).toBe(true);
    const latest = strongPassword();
    await resetPassword(later, latest, deps);
    await expect(authenticateUser({ login: user.username, password: latest }, deps)).resolves.toMatchObject({ id: user.id });
  });

  it('lets exactly one of two links used at once succeed', async () => {
    const { deps } = setup();
    const { user } = await registered(deps);
    const tokens = [await requestedToken(deps, user.email), await requestedToken(deps, user.email)];
    const passwords = [strongPassword(), strongPassword()];

    const results = await Promise.allSettled(tokens.map((token, i) => resetPassword(token, passwords[i]!, deps)));
    const won = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results[1 - won] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password: passwords[won]! }, deps)).resolves.toMatchObject({ id: user.id });
    await expect(authenticateUser({ login: user.username, password: passwords[1 - won]! }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
    for (const token of tokens) expect(await resetLinkIsValid(token, deps)).toBe(false);
  });

  it('refuses a weak password naming the field, and the link still works afterwards', async () => {
    const { deps } = setup();
    const { user, password } = await registered(deps);
    const token = await requestedToken(deps, user.email);

    for (const weak of ['password123', 'short', user.username]) {
      const error = await resetPassword(token, weak, deps).catch((e: unknown) => e);
      expect(error, weak).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors?.map((e) => e.field)).toEqual(['password']);
    }
    // Nothing changed, nothing was mailed, and the link is still good.
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id });
    expect(await mailsTo(user.email, { subject: /password was changed/ })).toEqual([]);
    expect(await resetLinkIsValid(token, deps)).toBe(true);

    const newPassword = strongPassword();
    await resetPassword(token, newPassword, deps);
    await expect(authenticateUser({ login: user.username, password: newPassword }, deps)).resolves.toMatchObject({ id: user.id });
  });

  it('refuses a link for an account disabled after it was sent', async () => {
    const { deps } = setup();
    const { user, password } = await registered(deps);
    const token = await requestedToken(deps, user.email);
    await updateStoredUser(deps, user.id, { status: 'disabled' });
    await expect(resetPassword(token, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await updateStoredUser(deps, user.id, { status: 'active' });
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id });
  });

  it('refuses tokens that were never issued', async () => {
    const { deps } = setup();
    for (const token of ['not-a-token', randomBytes(32).toString('base64url')]) {
      expect(await resetLinkIsValid(token, deps)).toBe(false);
      await expect(resetPassword(token, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    }
  });

  it('lets exactly one of five concurrent uses of a link succeed', async () => {
    const { deps } = setup();
    const { user } = await registered(deps);
    const token = await requestedToken(deps, user.email);
    const passwords = Array.from({ length: 5 }, strongPassword);

    const results = await Promise.allSettled(passwords.map((password) => resetPassword(token, password, deps)));
    const winners = passwords.filter((_, i) => results[i]!.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(InvalidLinkError);

    await expect(authenticateUser({ login: user.username, password: winners[0]! }, deps)).resolves.toMatchObject({ id: user.id });
    for (const loser of passwords.filter((p) => p !== winners[0])) {
      await expect(authenticateUser({ login: user.username, password: loser }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    expect(await mailsTo(user.email, { subject: /password was changed/ })).toHaveLength(1);
  });
});

describe('when SES fails', () => {
  it('still answers, and leaves no usable reset token behind', async () => {
    const clock = testClock(START);
    const mailer = failingMailer();
    const deps = buildDependencies(loadConfig(stackEnv(FAST_ARGON2)), clock, undefined, mailer);
    const { user, password } = await registered(deps);

    await expect(requestPasswordReset(user.email, deps)).resolves.toBeUndefined();
    expect(mailer.attempted).toHaveLength(1);
    const token = tokenIn(firstLink(mailer.attempted[0]!.text));

    // The RESET# item is gone, so the token nobody received cannot be used.
    const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: resetTokenKey(sha256(token)), ConsistentRead: true }));
    expect(Item).toBeUndefined();
    expect(await resetLinkIsValid(token, deps)).toBe(false);
    await expect(resetPassword(token, strongPassword(), deps)).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id });
    expect(await mailsTo(user.email)).toEqual([]);
  });

  it('still completes a reset when the "password changed" mail cannot be sent', async () => {
    const { clock, deps } = setup();
    const { user } = await registered(deps);
    const token = await requestedToken(deps, user.email);

    const mailer = failingMailer();
    const failing = buildDependencies(loadConfig(stackEnv(FAST_ARGON2)), clock, undefined, mailer);
    const newPassword = strongPassword();
    await expect(resetPassword(token, newPassword, failing)).resolves.toBeUndefined();
    expect(mailer.attempted.map((m) => m.subject)).toEqual([expect.stringMatching(/password was changed/)]);
    await expect(authenticateUser({ login: user.username, password: newPassword }, deps)).resolves.toMatchObject({ id: user.id });
  });
});
