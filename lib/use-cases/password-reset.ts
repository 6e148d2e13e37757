// Forgotten passwords: a one-time link by mail, then a new password. The request answers the same
// whether or not the address has an account (no enumeration). A reset ends every session, access
// token and API token of the account, and the owner is told by mail.
import { noSoonerThan } from '../abuse/even-timing.ts';
import { InvalidLinkError, ValidationError } from '../domain/errors.ts';
import { passwordChangedMail, passwordResetMail } from '../mail/templates.ts';
import { hashPassword } from '../passwords/hashing.ts';
import { passwordProblems } from '../passwords/policy.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';

type ResetDeps = Pick<Dependencies, 'users' | 'oneTimeTokens' | 'apiTokens' | 'mailer' | 'clock' | 'config'>;

export const resetLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/password/reset?token=${encodeURIComponent(token)}`;

/**
 * Sends a reset link if `email` belongs to an active account; says nothing either way, and takes
 * at least MAIL_REQUEST_MIN_MS either way, so the time does not tell either (lib/abuse/even-timing.ts).
 */
export function requestPasswordReset(email: string, deps: ResetDeps): Promise<void> {
  return noSoonerThan(deps.config.mailRequestMinMs, () => mailResetLink(email, deps));
}

async function mailResetLink(email: string, deps: ResetDeps): Promise<void> {
  const user = await deps.users.findByEmail(email);
  if (user?.status !== 'active') {
    log.info('password reset requested for no active account');
    return;
  }
  const now = deps.clock.now();
  const token = randomSecret();
  const ttl = deps.config.resetTokenTtlSeconds;
  const tokenHash = sha256(token);
  await deps.oneTimeTokens.createResetToken(tokenHash, { userId: user.id, expiresAt: toEpochSeconds(now) + ttl }, now);
  try {
    await deps.mailer.send(passwordResetMail(deps.config, user, resetLink(deps.config, token), Math.round(ttl / 60)));
  } catch (error) {
    // The client hears 202 as always; the token nobody received is removed again.
    log.error('password reset mail could not be sent', { userId: user.id, error });
    await deps.oneTimeTokens.discard('reset', tokenHash);
  }
}

/** Whether a reset link can still be used (for the page, before the user types a password). */
export async function resetLinkIsValid(token: string, deps: ResetDeps): Promise<boolean> {
  const found = await deps.oneTimeTokens.findResetToken(sha256(token), toEpochSeconds(deps.clock.now()));
  const user = found ? await deps.users.get(found.userId) : undefined;
  return user?.status === 'active';
}

/** Sets a new password with a reset token; throws InvalidLinkError or a ValidationError. */
export async function resetPassword(token: string, password: string, deps: ResetDeps): Promise<void> {
  const now = deps.clock.now();
  const tokenHash = sha256(token);
  const found = await deps.oneTimeTokens.findResetToken(tokenHash, toEpochSeconds(now));
  const user = found ? await deps.users.get(found.userId) : undefined;
  if (!found || !user || user.status !== 'active') throw new InvalidLinkError();
  const problems = await passwordProblems(password, { username: user.username, email: user.email });
  if (problems.length) throw new ValidationError(problems);

  const changed = await deps.oneTimeTokens.resetPassword({
    tokenHash,
    userId: user.id,
    newPasswordHash: await hashPassword(password, deps.config.argon2),
    now,
  });
  if (!changed) throw new InvalidLinkError();

  // Already refused (the reset moved the API-token valid-after time); deleting them keeps the
  // owner's list honest.
  await deps.apiTokens.deleteAll(user.id).catch((error: unknown) => log.warn('could not delete API tokens after a reset', { userId: user.id, error }));
  try {
    await deps.mailer.send(passwordChangedMail(deps.config, user, `${deps.config.publicUrl}/password/forgot`));
  } catch (error) {
    log.error('password-changed mail could not be sent', { userId: user.id, error });
  }
}
