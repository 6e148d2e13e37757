// "Type your password again" for account changes (POST /me/password, POST /me/email, DELETE /me,
// the account page): the same failed-login throttle as a login, charged to the account's
// username, so a stolen access token cannot be used to guess the password faster than the login
// form allows (OWASP ASVS V6.3; NIST SP 800-63B §5.2.2).
import { reserveLoginAttempt } from '../abuse/login-throttle.ts';
import { InvalidCredentialsError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { verifyPassword } from '../passwords/hashing.ts';
import { countMetric } from '../support/metrics.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, reservedOrLockedOut, type SecurityEventDeps } from './security-events.ts';

export type CurrentPasswordDeps = Pick<Dependencies, 'throttles' | 'clock' | 'config'> & SecurityEventDeps;

/**
 * Checks that `password` is the user's current one, or throws InvalidCredentialsError (401, and a
 * `login_failed` event) or TooManyRequestsError (429) while the account's login throttle makes it
 * wait.
 */
export async function confirmPassword(user: User, password: string, deps: CurrentPasswordDeps): Promise<void> {
  // A refusal by the throttle is the account's lockout event, as at a login.
  const attempt = await reservedOrLockedOut(reserveLoginAttempt(user.username, undefined, deps), async () => user.id, deps);
  if (await verifyPassword(user.passwordHash, password)) {
    await attempt.succeeded();
    return;
  }
  await attempt.failed();
  countMetric('LoginFailures');
  await recordSecurityEvent(user.id, 'login_failed', deps, { details: { reason: 'wrong_current_password' } });
  throw new InvalidCredentialsError('The password is not right.');
}
