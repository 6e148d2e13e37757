// `admin accounts delete <user>` and `admin accounts finish-deletions`: an operator deletes an
// account exactly as its owner would (lib/use-cases/account-deletion.ts: names freed, everything
// ended and removed, events pseudonymised, the owner mailed), and finishes the deletions whose
// clean-up was interrupted (listed through the deleted profiles' gsi1 listing).
import type { User } from '../domain/user.ts';
import { toIsoUtc } from '../support/clock.ts';
import { type DeletionDeps, finishAccountDeletion, finishStaleDeletions, startAccountDeletion } from '../use-cases/account-deletion.ts';
import { findUser } from './find-user.ts';

export interface AccountDeleted {
  user: User;
  /** False when its deletion had begun before (this run finished it). */
  started: boolean;
}

export async function deleteUserAccount(reference: string, deps: DeletionDeps): Promise<AccountDeleted> {
  const user = await findUser(reference, deps);
  if (user.status === 'deleted') {
    await finishAccountDeletion(user.id, deps);
    return { user, started: false };
  }
  return { user, started: await startAccountDeletion(user, deps, { channel: 'admin' }) };
}

export interface DeletionsFinished {
  finished: { userId: string; startedAt: number }[];
}

/** Finishes every deletion that has begun and not finished, oldest first, however recent. */
export async function finishDeletions(deps: DeletionDeps): Promise<DeletionsFinished> {
  return { finished: await finishStaleDeletions(0, deps) };
}

export function formatAccountDeleted({ user, started }: AccountDeleted): string {
  const who = `${user.username} (id ${user.id})`;
  return started
    ? `Deleted ${who}: its username and email are free, everything it owned is gone, its security events are kept under a pseudonym; the owner was mailed.`
    : `${who} was already being deleted; its deletion is now finished.`;
}

export function formatDeletionsFinished({ finished }: DeletionsFinished): string {
  if (finished.length === 0) return 'No unfinished account deletion.';
  return [`Finished ${finished.length} account deletion(s):`, ...finished.map((d) => `  ${d.userId} (begun ${toIsoUtc(d.startedAt)})`)].join('\n');
}
