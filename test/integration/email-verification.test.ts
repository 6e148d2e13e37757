// Email verification against DynamoDB Local and aws-ses-v2-local with a frozen clock: the mail and
// its link, spending the token, expiry, a link for an address the account no longer has, the first
// link used voiding the others, resends and their limits (a minute per user, an hourly quota per
// address that registration's mail counts against), REQUIRE_VERIFIED_EMAIL at login, and SES failing.
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/auth/token-checker.ts';
import { loadConfig } from '../../lib/config/all.ts';
import { AlreadyVerifiedError, EmailNotVerifiedError, InvalidCredentialsError, InvalidLinkError, TooManyRequestsError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { verifyTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import {
  RESEND_INTERVAL_SECONDS,
  resendVerificationMail,
  resendVerificationMailTo,
  sendVerificationMail,
  verifyEmail,
  verifyLinkIsValid,
} from '../../lib/use-cases/email-verification.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { firstLink, linkIn, mailsTo, newestMail, tokenIn } from '../support/mailbox.ts';
import { failingMailer } from '../support/mailers.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 500);
const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const VERIFY_TTL = 86_400;

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, { ...FAST_ARGON2, ...env }) };
}

const unverifiedUser = (deps: Dependencies) => storedUser(deps, 'verify', { emailVerified: false });

/** Sends a verification mail and returns the token from the mail that arrived. */
async function mailedToken(deps: Dependencies, user: User): Promise<string> {
  const before = (await mailsTo(user.email)).at(-1);
  expect(await sendVerificationMail(user, deps)).toBe(true);
  return tokenIn(linkIn(await newestMail(user.email, { subject: 'Confirm', ...(before ? { after: before } : {}) })));
}

/** The caller as the resend endpoint sees it: a session's access token through the token checker. */
async function callerFor(deps: Dependencies, user: User): Promise<Principal> {
  const { accessToken } = await startSession(user, deps);
  return deps.tokenChecker.check(accessToken.token, deps.accessTokens.audience);
}

const isVerified = async (deps: Dependencies, userId: string) => (await deps.users.get(userId))?.emailVerified;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the verification mail', () => {
  it('carries a one-time link to the confirmation page, in text and HTML', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    expect(await sendVerificationMail(user, deps)).toBe(true);

    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.from).toBe('no-reply@example.com');
    expect(mail!.destination.to).toEqual([user.email]);
    expect(mail!.subject).toMatch(/Confirm your email address/);
    const link = linkIn(mail!);
    expect(link).toMatch(new RegExp(`^${escapeRegExp(deps.config.publicUrl)}/email/verify\\?token=[A-Za-z0-9_-]{20,}$`));
    expect(mail!.body.text).toContain(link);
    expect(mail!.body.html).toContain(link);
    expect(mail!.body.text).toContain('24 hours');

    const token = tokenIn(link);
    expect(await verifyLinkIsValid(token, deps)).toBe(true);
    const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: verifyTokenKey(sha256(token)), ConsistentRead: true }));
    expect(Item).toMatchObject({ userId: user.id, email: user.email, expiresAt: Math.floor(START / 1000) + VERIFY_TTL });
    expect(JSON.stringify(Item)).not.toContain(token);
  });
});

describe('following the link', () => {
  it('marks the address verified, once', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    const token = await mailedToken(deps, user);

    const verified = await verifyEmail(token, deps);
    expect(verified).toMatchObject({ id: user.id, email: user.email, emailVerified: true });
    expect(await isVerified(deps, user.id)).toBe(true);

    expect(await verifyLinkIsValid(token, deps)).toBe(false);
    await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
  });

  it('refuses a link after VERIFY_TOKEN_TTL, even before DynamoDB deletes it', async () => {
    const { clock, deps } = setup();
    const user = await unverifiedUser(deps);
    const token = await mailedToken(deps, user);
    clock.advance(VERIFY_TTL - 1);
    expect(await verifyLinkIsValid(token, deps)).toBe(true);
    clock.advance(1);
    expect(await verifyLinkIsValid(token, deps)).toBe(false);
    await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
    expect(await isVerified(deps, user.id)).toBe(false);
  });

  it('refuses a link sent to an address the account no longer has', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    const token = await mailedToken(deps, user);
    const newEmail = `moved.${randomUUID().slice(0, 8)}@example.com`;
    await updateStoredUser(deps, user.id, { email: newEmail });

    await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
    const stored = await deps.users.get(user.id);
    expect(stored).toMatchObject({ email: newEmail, emailVerified: false });
  });

  it('refuses tokens that were never issued', async () => {
    const { deps } = setup();
    for (const token of ['not-a-token', randomBytes(32).toString('base64url')]) {
      expect(await verifyLinkIsValid(token, deps)).toBe(false);
      await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
    }
  });

  it('keeps every link working until one is used; that one voids the others', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    const [first, second, third] = [await mailedToken(deps, user), await mailedToken(deps, user), await mailedToken(deps, user)];
    for (const token of [first, second, third]) expect(await verifyLinkIsValid(token, deps)).toBe(true);

    await verifyEmail(second, deps);
    expect(await isVerified(deps, user.id)).toBe(true);
    for (const token of [first, third]) {
      expect(await verifyLinkIsValid(token, deps)).toBe(false);
      await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
    }
  });

  it('lets exactly one of five concurrent uses of a link succeed', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    const token = await mailedToken(deps, user);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifyEmail(token, deps)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidLinkError);
    expect(await isVerified(deps, user.id)).toBe(true);
  });
});

describe('asking for another verification mail', () => {
  it('gives the minute back when SES fails, so the user may retry at once', async () => {
    const { deps } = setup();
    const user = await unverifiedUser(deps);
    const caller = await callerFor(deps, user);
    const failing = { ...deps, mailer: failingMailer() };
    await expect(resendVerificationMail(caller, failing)).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(failing.mailer.attempted).toHaveLength(1);
    await expect(resendVerificationMail(caller, deps)).resolves.toBeUndefined();
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it('without logging in: a mail only for an unverified active account, at most once a minute, silently otherwise', async () => {
    const { clock, deps } = setup();
    const user = await unverifiedUser(deps);
    const verified = await storedUser(deps, 'verify', { emailVerified: true });
    const disabled = await storedUser(deps, 'verify', { emailVerified: false, status: 'disabled' });

    await resendVerificationMailTo(user.email.toUpperCase(), deps);
    await resendVerificationMailTo(user.email, deps);
    await resendVerificationMailTo(verified.email, deps);
    await resendVerificationMailTo(disabled.email, deps);
    await resendVerificationMailTo(`nobody-${randomUUID()}@example.com`, deps);
    expect(await mailsTo(user.email)).toHaveLength(1);
    expect(await mailsTo(verified.email)).toEqual([]);
    expect(await mailsTo(disabled.email)).toEqual([]);

    clock.advance(RESEND_INTERVAL_SECONDS);
    await resendVerificationMailTo(user.email, deps);
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(2);
    await verifyEmail(tokenIn(linkIn(mails[1]!)), deps);
    expect(await isVerified(deps, user.id)).toBe(true);
  });

  it('is refused once the address is verified', async () => {
    const { deps } = setup();
    const user = await storedUser(deps, 'verify', { emailVerified: true });
    await expect(resendVerificationMail(await callerFor(deps, user), deps)).rejects.toBeInstanceOf(AlreadyVerifiedError);
    expect(await mailsTo(user.email)).toEqual([]);
  });

  it('sends a working link at most once a minute', async () => {
    const { clock, deps } = setup();
    const user = await unverifiedUser(deps);
    const caller = await callerFor(deps, user);

    await expect(resendVerificationMail(caller, deps)).resolves.toBeUndefined();
    expect(await mailsTo(user.email)).toHaveLength(1);

    // Asked again at the same moment, and just before the minute is up: refused, nothing sent.
    const error = await resendVerificationMail(caller, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(RESEND_INTERVAL_SECONDS);
    clock.advance(RESEND_INTERVAL_SECONDS - 1);
    await expect(resendVerificationMail(caller, deps)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(await mailsTo(user.email)).toHaveLength(1);

    clock.advance(1);
    await expect(resendVerificationMail(caller, deps)).resolves.toBeUndefined();
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(2);

    // Both links are live (each is one-time); the newest verifies the address.
    const [first, second] = mails.map((mail) => tokenIn(linkIn(mail)));
    expect(second).not.toBe(first);
    await verifyEmail(second!, deps);
    expect(await isVerified(deps, user.id)).toBe(true);
  });
});

describe('the hourly quota of verification mails per address (MAIL_PER_ADDRESS_PER_HOUR, 3)', () => {
  it("counts registration's mail and every resend; beyond it: silence without logging in, 429 until the hour is over for the owner", async () => {
    const { clock, deps } = setup();
    expect(deps.config.mailPerAddressPerHour).toBe(3);
    const user = await unverifiedUser(deps);
    const caller = await callerFor(deps, user);

    // Registration's mail, then resends a minute apart (the per-user minute is not what is tested).
    expect(await sendVerificationMail(user, deps)).toBe(true);
    clock.advance(RESEND_INTERVAL_SECONDS);
    await resendVerificationMailTo(user.email, deps);
    clock.advance(RESEND_INTERVAL_SECONDS);
    await resendVerificationMail(caller, deps);
    expect(await mailsTo(user.email)).toHaveLength(3);

    clock.advance(RESEND_INTERVAL_SECONDS);
    await expect(resendVerificationMailTo(user.email.toUpperCase(), deps)).resolves.toBeUndefined();
    expect(await sendVerificationMail(user, deps)).toBe(false);
    clock.advance(RESEND_INTERVAL_SECONDS);
    const error = await resendVerificationMail(caller, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    // START + 4 minutes: 12:04:00.5, so the quota renews at 13:00, 3360 s later (rounded up).
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(3360);
    expect(await mailsTo(user.email)).toHaveLength(3);

    // The next clock hour has its own quota.
    clock.advance(3360);
    await resendVerificationMailTo(user.email, deps);
    expect(await mailsTo(user.email)).toHaveLength(4);
  });
});

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('refuses a login with the right password until the address is verified', async () => {
    const { deps } = setup({ REQUIRE_VERIFIED_EMAIL: 'true' });
    expect(deps.config.requireVerifiedEmail).toBe(true);
    const s = randomUUID().slice(0, 8);
    const password = `Pw-${randomBytes(12).toString('base64url')}`;
    const user = await register({ username: `verify_${s}`, email: `verify.${s}@example.com`, password }, deps);
    expect(user.emailVerified).toBe(false);

    await expect(authenticateUser({ login: user.username, password }, deps)).rejects.toBeInstanceOf(EmailNotVerifiedError);
    // A wrong password still gets the usual answer, so the error does not reveal the account.
    await expect(authenticateUser({ login: user.username, password: 'not the password' }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);

    await verifyEmail(await mailedToken(deps, user), deps);
    await expect(authenticateUser({ login: user.username, password }, deps)).resolves.toMatchObject({ id: user.id, emailVerified: true });
    await expect(authenticateUser({ login: user.email, password }, deps)).resolves.toMatchObject({ id: user.id });
  });
});

describe('when SES fails', () => {
  it('reports the mail as not sent and leaves no usable token behind', async () => {
    const clock = testClock(START);
    const mailer = failingMailer();
    const deps = buildDependencies(loadConfig(stackEnv(FAST_ARGON2)), clock, undefined, mailer);
    const user = await unverifiedUser(deps);

    await expect(sendVerificationMail(user, deps)).resolves.toBe(false);
    expect(mailer.attempted).toHaveLength(1);
    const token = tokenIn(firstLink(mailer.attempted[0]!.text));

    const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: verifyTokenKey(sha256(token)), ConsistentRead: true }));
    expect(Item).toBeUndefined();
    expect(await verifyLinkIsValid(token, deps)).toBe(false);
    await expect(verifyEmail(token, deps)).rejects.toBeInstanceOf(InvalidLinkError);
    expect(await isVerified(deps, user.id)).toBe(false);
    expect(await mailsTo(user.email)).toEqual([]);
  });
});
