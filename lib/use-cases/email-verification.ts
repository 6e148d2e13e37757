// Proving that an email address belongs to the person who registered it: a one-time link by mail
// at registration (and on request), which sets email_verified. The link only verifies the address
// it was sent to; the first link used voids the others. Every verification mail, registration's
// included, counts against the address's hourly quota (MAIL_PER_ADDRESS_PER_HOUR).
import { noSoonerThan } from '../abuse/even-timing.ts';
import { claimMailQuota, secondsUntilQuotaRenews } from '../abuse/mail-quota.ts';
import type { Principal } from '../auth/token-checker.ts';
import { AlreadyVerifiedError, DependencyUnavailableError, InvalidLinkError, TooManyRequestsError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { verifyEmailMail } from '../mail/templates.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import { currentUser } from './current-user.ts';
import type { Dependencies } from './dependencies.ts';
/** A user may ask for another verification mail once a minute. */
export const RESEND_INTERVAL_SECONDS = 60;

type VerifyDeps = Pick<Dependencies, 'users' | 'oneTimeTokens' | 'mailQuotas' | 'mailer' | 'clock' | 'config'>;

export const verifyLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/email/verify?token=${encodeURIComponent(token)}`;

/**
 * Sends a verification link to the user's address, unless the address has had its hourly quota.
 * Returns whether the mail went out; a failure is logged and leaves no live token behind, and never
 * fails the caller's request (registration).
 */
export async function sendVerificationMail(user: User, deps: VerifyDeps): Promise<boolean> {
  // Registration counts too: registering, deleting and registering again must not flood an address.
  try {
    if (!(await claimMailQuota('verify', user.email, deps))) {
      log.info('verification mail withheld: the address has had its quota this hour', { userId: user.id });
      return false;
    }
  } catch (error) {
    log.error('verification mail quota could not be counted', { userId: user.id, error });
    return false;
  }
  return mailVerificationLink(user, deps);
}

/** Stores a new verification token and mails its link; false (logged) when either fails. */
async function mailVerificationLink(user: User, deps: VerifyDeps): Promise<boolean> {
  const now = deps.clock.now();
  const token = randomSecret();
  const tokenHash = sha256(token);
  const ttl = deps.config.verifyTokenTtlSeconds;
  try {
    await deps.oneTimeTokens.createVerifyToken(tokenHash, { userId: user.id, email: user.email, expiresAt: toEpochSeconds(now) + ttl }, now);
  } catch (error) {
    // Like a mail that failed: the account exists either way, and the user can ask for another link.
    log.error('verification token could not be stored', { userId: user.id, error });
    return false;
  }
  try {
    await deps.mailer.send(verifyEmailMail(deps.config, user, verifyLink(deps.config, token), Math.round(ttl / 3600)));
    return true;
  } catch (error) {
    log.error('verification mail could not be sent', { userId: user.id, error });
    await deps.oneTimeTokens.discard('verify', tokenHash).catch((discardError: unknown) => {
      // The link was never sent, so a token left behind is unusable; it expires by TTL.
      log.warn('unsent verification token could not be removed', { userId: user.id, error: discardError });
    });
    return false;
  }
}

/** Whether a verification link can still be used (for the page). */
export async function verifyLinkIsValid(token: string, deps: VerifyDeps): Promise<boolean> {
  const found = await deps.oneTimeTokens.findVerifyToken(sha256(token), toEpochSeconds(deps.clock.now()));
  const user = found ? await deps.users.get(found.userId) : undefined;
  // The link confirms the address it was sent to; after a change of address it is void, and once
  // the address is verified (by this link or another) so is every link for it.
  return user !== undefined && user.email === found!.email && !user.emailVerified;
}

/** Spends a verification token and marks the address verified; throws InvalidLinkError. */
export async function verifyEmail(token: string, deps: VerifyDeps): Promise<User> {
  const now = deps.clock.now();
  const tokenHash = sha256(token);
  const found = await deps.oneTimeTokens.findVerifyToken(tokenHash, toEpochSeconds(now));
  if (!found || !(await deps.oneTimeTokens.verifyEmail(tokenHash, found, now))) throw new InvalidLinkError();
  const user = await deps.users.get(found.userId);
  if (!user) throw new InvalidLinkError();
  return user;
}

/**
 * Another verification mail for a logged-in user, at most once a minute and within the address's
 * hourly quota. The owner, logged in, may hear 429 for either: it tells them nothing about anyone else.
 */
export async function resendVerificationMail(caller: Principal, deps: VerifyDeps): Promise<void> {
  if (caller.user.emailVerified) throw new AlreadyVerifiedError();
  const claimedAt = deps.clock.now();
  if (!(await deps.users.claimVerificationMail(caller.user.id, claimedAt, RESEND_INTERVAL_SECONDS * 1000))) {
    throw new TooManyRequestsError(`A verification mail was sent less than ${RESEND_INTERVAL_SECONDS} seconds ago; check your inbox.`, RESEND_INTERVAL_SECONDS);
  }
  // Give the minute back when nothing was sent, so the user may try again at once rather than hear 429.
  const releaseMinute = () => deps.users.releaseVerificationMail(caller.user.id, claimedAt).catch(() => undefined);
  const allowed = await claimMailQuota('verify', caller.user.email, deps).catch(async (error: unknown) => {
    await releaseMinute();
    throw error;
  });
  if (!allowed) {
    const wait = secondsUntilQuotaRenews(claimedAt);
    throw new TooManyRequestsError(`This address has been sent the most verification mails allowed this hour; try again in ${wait} seconds.`, wait);
  }
  if (!(await mailVerificationLink(caller.user, deps))) {
    await releaseMinute();
    throw new DependencyUnavailableError(new Error('verification mail could not be sent'));
  }
}

/**
 * POST /email/verify/resend: with an access token, another mail to the logged-in user (its address
 * is returned); without one, to whoever holds `email`, saying nothing (undefined).
 */
export async function resendVerification(
  bearer: string | undefined,
  email: string | undefined,
  deps: VerifyDeps & Parameters<typeof currentUser>[1],
): Promise<string | undefined> {
  if (bearer) {
    const caller = await currentUser(bearer, deps);
    await resendVerificationMail(caller, deps);
    return caller.user.email;
  }
  if (email === undefined) throw new ValidationError([{ field: 'email', message: 'Send {email}, or log in and send an access token.' }]);
  await resendVerificationMailTo(email, deps);
  return undefined;
}

/**
 * Another verification mail for whoever holds `email`, without logging in (a user who must confirm
 * before logging in, REQUIRE_VERIFIED_EMAIL, has no token). Says nothing either way: an unknown,
 * disabled or already verified address, one mailed in the last minute, or one that has had its
 * hourly quota, gets no mail and no hint.
 */
export function resendVerificationMailTo(email: string, deps: VerifyDeps): Promise<void> {
  // At least MAIL_REQUEST_MIN_MS whether or not a mail goes out (lib/abuse/even-timing.ts).
  return noSoonerThan(deps.config.mailRequestMinMs, () => mailVerificationLinkTo(email, deps));
}

async function mailVerificationLinkTo(email: string, deps: VerifyDeps): Promise<void> {
  const user = await deps.users.findByEmail(email);
  if (user?.status !== 'active' || user.emailVerified) return;
  // Only a real account gets this far, so a failure here must not change the answer: logged, 202.
  try {
    if (!(await deps.users.claimVerificationMail(user.id, deps.clock.now(), RESEND_INTERVAL_SECONDS * 1000))) return;
  } catch (error) {
    log.error('verification resend could not be recorded', { userId: user.id, error });
    return;
  }
  await sendVerificationMail(user, deps);
}
