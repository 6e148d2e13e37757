// Deleting an account (GDPR Art. 17) in three crash-safe steps, and the port the use case
// (lib/use-cases/account-deletion.ts) reaches the table through (lib/store/account-deletions.ts):
// (1) one transaction marks the profile deleted, ends everything it issued and frees its names;
// (2) an idempotent clean-up removes everything the user owned; (3) the profile goes last, so an
// interrupted deletion is always found again (by its owner's retry or `admin accounts
// finish-deletions`) and finished.
import type { SecurityEvent } from './security-event.ts';
import type { User } from './user.ts';

export interface DeletionStart {
  user: User;
  /** What the user's security events are kept under once the account is gone. */
  pseudonym: string;
  /** Epoch milliseconds. */
  now: number;
  /** The account_deleted event, written in the same transaction. */
  event: SecurityEvent;
}

/** An account whose deletion has begun and not finished. */
export interface UnfinishedDeletion {
  userId: string;
  /** Epoch milliseconds. */
  startedAt: number;
}

export interface AccountDeletionStore {
  /**
   * Step 1, one transaction: status `deleted` with the deletion mark, validAfterMs and
   * apiTokensValidAfterMs moved to `now`, the username, email and integer-id claims the user
   * holds deleted, the event appended. `already` when the account is deleted already (or gone).
   */
  begin(start: DeletionStart): Promise<'started' | 'already'>;
  /**
   * Step 2: deletes everything in the user's partition but the profile, every item listed under
   * the user in gsi1 (sessions, refresh tokens, browser sessions, links, pending steps), the
   * passkeys' lookups. Idempotent. Returns
   * how many items it deleted.
   */
  removeOwnedItems(user: User): Promise<number>;
  /** Step 3: deletes the profile, only while it says `deleted`. */
  removeProfile(userId: string): Promise<void>;
  /** Deletions begun and not finished, oldest first. */
  listUnfinished(): Promise<UnfinishedDeletion[]>;
}
