// Deleting an account (DELETE /me, the account page, `admin accounts delete`): GDPR Art. 17. The
// steps (lib/domain/account-deletion.ts) are ordered so that an interruption anywhere leaves an
// account marked `deleted`, already unusable and with its names free, which the next attempt
// (the owner's retry with the same token, or `admin accounts finish-deletions`) finishes: the
// clean-up is idempotent and the profile, which says what is left to do, goes last.
import { randomUUID } from 'node:crypto';
import { nameSubjectsOf } from '../abuse/login-throttle.ts';
import type { UnfinishedDeletion } from '../domain/account-deletion.ts';
import { InvalidTokenError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { accountDeletedMail } from '../mail/templates.ts';
import { log } from '../support/log.ts';
import type { Channel } from '../support/request-context.ts';
import { type CurrentPasswordDeps, confirmPassword } from './current-password.ts';
import type { Dependencies } from './dependencies.ts';
import { newSecurityEvent } from './security-events.ts';
import { type RecentAuthentication, requireStepUp } from './step-up.ts';

export type DeletionDeps = Pick<Dependencies, 'accountDeletions' | 'users' | 'securityEvents' | 'throttles' | 'mailer' | 'clock' | 'config'>;

/**
 * The owner deletes their account: the current password (under the login throttle) and a recent
 * enough sign-in (with the second factor when the account has one), then startAccountDeletion.
 * A caller whose account is already marked deleted (a retry after an interruption) finishes it;
 * once the account is gone, the token is refused (InvalidTokenError, 401).
 */
export async function deleteAccount(
  user: User,
  { password }: { password: string },
  authentication: RecentAuthentication,
  deps: DeletionDeps & CurrentPasswordDeps,
): Promise<void> {
  // The profile as it is now, not as the token checker may have cached it for up to a second.
  const stored = await deps.users.get(user.id);
  if (!stored) throw new InvalidTokenError();
  if (stored.status === 'deleted') {
    await finishAccountDeletion(user.id, deps);
    return;
  }
  await confirmPassword(stored, password, deps);
  await requireStepUp(authentication, stored, deps);
  await startAccountDeletion(stored, deps);
}

/**
 * Steps 1 to 3 for `user` (an operator's `accounts delete` calls it directly): marks it deleted in
 * one transaction (names freed, everything it issued ended, account_deleted recorded), tells the
 * owner at the address the profile had, and cleans up. False when it was deleted already.
 */
export async function startAccountDeletion(user: User, deps: DeletionDeps, options: { channel?: Channel } = {}): Promise<boolean> {
  const now = deps.clock.now();
  const event = newSecurityEvent(user.id, 'account_deleted', deps, options.channel ? { channel: options.channel } : {});
  const outcome = await deps.accountDeletions.begin({ user, pseudonym: randomUUID(), now, event });
  if (outcome === 'already') {
    await finishAccountDeletion(user.id, deps);
    return false;
  }
  try {
    await deps.mailer.send(accountDeletedMail(deps.config, user, options.channel === 'admin'));
  } catch (error) {
    // The deletion stands: a mail that cannot be sent never undoes it.
    log.error('account-deleted mail could not be sent', { userId: user.id, error });
  }
  await finishAccountDeletion(user.id, deps);
  return true;
}

/**
 * Steps 2 and 3 of a deletion that has begun: everything the user owned, the login throttle's
 * counters of its names, its events moved under the pseudonym, then the profile. Idempotent. False
 * when there is nothing to finish (no such account, or one not being deleted).
 */
export async function finishAccountDeletion(
  userId: string,
  deps: Pick<Dependencies, 'accountDeletions' | 'users' | 'securityEvents' | 'throttles'>,
): Promise<boolean> {
  const user = await deps.users.get(userId);
  if (user?.status !== 'deleted' || !user.deletion) return false;
  await deps.accountDeletions.removeOwnedItems(user);
  await deps.throttles.clearLoginCounters(nameSubjectsOf(user));
  await deps.securityEvents.pseudonymise(userId, user.deletion.pseudonym);
  await deps.accountDeletions.removeProfile(userId);
  return true;
}

/** A deletion younger than this may still be running its own clean-up (the owner's request). */
export const STALE_DELETION_MS = 15 * 60_000;

/**
 * Finishes the deletions that began at least `graceMs` ago and were never finished (a crash after
 * step 1 that nobody retried), oldest first: the hourly scheduled run (functions/finish-deletions.ts)
 * with STALE_DELETION_MS, and `admin accounts finish-deletions` with 0. Idempotent: two runs at once
 * remove the same items and move the same events to the same keys.
 */
export async function finishStaleDeletions(
  graceMs: number,
  deps: Pick<Dependencies, 'accountDeletions' | 'users' | 'securityEvents' | 'throttles' | 'clock'>,
): Promise<UnfinishedDeletion[]> {
  const cutoff = deps.clock.now() - graceMs;
  const finished: UnfinishedDeletion[] = [];
  for (const deletion of await deps.accountDeletions.listUnfinished()) {
    if (deletion.startedAt > cutoff) continue;
    if (await finishAccountDeletion(deletion.userId, deps)) finished.push(deletion);
  }
  return finished;
}
