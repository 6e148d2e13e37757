// Forgotten passwords: a one-time link by mail, then a new password. The request answers the same
// whether or not the address has an account (no enumeration). A reset voids every other reset link
// of the account, ends every session, access token and API token, and the owner is told by mail.
import { endLoginLocks } from '../abuse/login-throttle.ts';
import { InvalidLinkError, ValidationError } from '../domain/errors.ts';
import { passwordChangedMail } from '../mail/templates.ts';
import { hashPassword } from '../passwords/hashing.ts';
import { passwordProblems } from '../passwords/policy.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

export type ResetDeps = Pick<Dependencies, 'users' | 'oneTimeTokens' | 'apiTokens' | 'mailer' | 'clock' | 'config' | 'throttles'> & SecurityEventDeps;

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

  // One transaction: the token is spent, the password set, and every other reset link voided.
  const changed = await deps.oneTimeTokens.resetPassword({
    tokenHash,
    userId: user.id,
    generation: found.generation ?? 0,
    newPasswordHash: await hashPassword(password, deps.config.argon2),
    now,
  });
  if (!changed) throw new InvalidLinkError();
  // The new password ends every failed-login lock of both login names (lib/abuse/login-throttle.ts).
  await Promise.all([
    endLoginLocks(user, deps).catch((error: unknown) => log.warn('could not end the login locks after a reset', { userId: user.id, error })),
    recordSecurityEvent(user.id, 'password_reset', deps),
  ]);

  // Already refused (the reset moved the API-token valid-after time); deleting them keeps the
  // owner's list honest.
  await deps.apiTokens.deleteAll(user.id).catch((error: unknown) => log.warn('could not delete API tokens after a reset', { userId: user.id, error }));
  try {
    await deps.mailer.send(passwordChangedMail(deps.config, user, `${deps.config.publicUrl}/password/forgot`));
  } catch (error) {
    log.error('password-changed mail could not be sent', { userId: user.id, error });
  }
}
