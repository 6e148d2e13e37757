// Changing a known password (POST /me/password, the account page): the current password again
// (under the login throttle), the policy as at registration, then one write that sets the hash,
// voids outstanding reset links and, unless asked not to, ends every other session while the
// caller's stays (User.keptSessionId); the owner is told by mail.
import { ConflictError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { passwordChangedNoticeMail } from '../mail/templates.ts';
import { hashPassword } from '../passwords/hashing.ts';
import { passwordProblems } from '../passwords/policy.ts';
import { log } from '../support/log.ts';
import { requestOrigin } from '../support/request-context.ts';
import { type CurrentPasswordDeps, confirmPassword } from './current-password.ts';
import type { Dependencies } from './dependencies.ts';
import { newSecurityEvent } from './security-events.ts';
import { type RecentAuthentication, requireStepUp } from './step-up.ts';

export type ChangePasswordDeps = CurrentPasswordDeps & Pick<Dependencies, 'users' | 'mailer'>;

export interface PasswordChangeInput {
  currentPassword: string;
  newPassword: string;
  /** True: every other session stays signed in. */
  keepOtherSessions?: boolean;
}

/**
 * Sets a new password for `user`. Throws InvalidCredentialsError (401) for a wrong current
 * password, TooManyRequestsError (429) while the login throttle makes the account wait,
 * ValidationError naming `new_password` for a refused or unchanged password, ConflictError when
 * the password changed meanwhile, StepUpRequiredError when `authentication` is given and not
 * recent (or strong) enough.
 * @param keptSessionId the caller's session (an access token's `sid`, or the account page's browser
 *   session id): the one session that stays when the others end; undefined ends them all
 * @param authentication a bearer caller's sign-in (its token's auth_time and amr), held to step-up
 */
export async function changePassword(
  caller: User,
  input: PasswordChangeInput,
  keptSessionId: string | undefined,
  deps: ChangePasswordDeps,
  authentication?: RecentAuthentication,
): Promise<void> {
  // A password change is step-up work (lib/use-cases/step-up.ts); a hosted page that checked it itself passes none.
  if (authentication) await requireStepUp(authentication, caller, deps);
  // The caller's user may be a token checker's copy up to a second old: the write's condition needs the stored hash.
  const user = (await deps.users.get(caller.id)) ?? caller;
  await confirmPassword(user, input.currentPassword, deps);
  if (input.newPassword === input.currentPassword) {
    throw new ValidationError([{ field: 'new_password', message: 'The new password must differ from the current one.' }]);
  }
  const problems = await passwordProblems(input.newPassword, { username: user.username, email: user.email });
  if (problems.length) throw new ValidationError(problems.map((problem) => ({ ...problem, field: 'new_password' })));

  const now = deps.clock.now();
  const endsSessions = !input.keepOtherSessions;
  const changed = await deps.users.changePassword({
    userId: user.id,
    expectedHash: user.passwordHash,
    newHash: await hashPassword(input.newPassword, deps.config.argon2),
    now,
    ...(endsSessions ? { endSessions: keptSessionId ? { keptSessionId } : {} } : {}),
    event: newSecurityEvent(user.id, 'password_changed', deps, { details: { other_sessions_ended: endsSessions } }),
  });
  if (!changed) {
    throw new ConflictError(
      [{ field: 'current_password', message: 'The password was changed meanwhile; sign in again.' }],
      'The password was changed meanwhile.',
    );
  }
  try {
    const origin = requestOrigin();
    await deps.mailer.send(
      passwordChangedNoticeMail(deps.config, user, {
        at: new Date(now),
        ...(origin.ipPrefix ? { network: origin.ipPrefix } : {}),
        ...(origin.userAgent ? { browser: origin.userAgent } : {}),
        otherSessionsEnded: endsSessions,
        forgotLink: `${deps.config.publicUrl}/password/forgot`,
      }),
    );
  } catch (error) {
    // The password has changed: a mail that did not go is logged, never answered as a failure.
    log.error('password-changed mail could not be sent', { userId: user.id, error });
  }
}
