// Changing an account's email address: a link to the new address makes the change, and the old
// address then gets a link that undoes it (valid 7 days). The port the use cases reach the links
// and the transactions through (lib/store/email-changes.ts implements it on DynamoDB).
import type { SecurityEvent } from './security-event.ts';

/** How long the old address's "undo" link works. */
export const EMAIL_REVERT_TTL_SECONDS = 7 * 86_400;

export interface EmailChangeLink {
  /** `change`: sent to the new address, makes the change; `revert`: sent to the old one, undoes it. */
  kind: 'change' | 'revert';
  userId: string;
  /** The address before the change (the one a revert puts back). */
  oldEmail: string;
  /** The address the change moves to. */
  newEmail: string;
  /** For a revert: whether the old address was verified (it is again once put back). */
  oldEmailVerified?: boolean;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface EmailChangeRequest {
  tokenHash: string;
  link: EmailChangeLink & { kind: 'change' };
  /** Epoch milliseconds. */
  now: number;
  event: SecurityEvent;
}

export interface EmailChangeConfirmation {
  tokenHash: string;
  link: EmailChangeLink & { kind: 'change' };
  /** The undo link stored in the same transaction. */
  revertTokenHash: string;
  revert: EmailChangeLink & { kind: 'revert' };
  now: number;
  event: SecurityEvent;
}

export interface EmailChangeRevert {
  tokenHash: string;
  link: EmailChangeLink & { kind: 'revert' };
  /** Every session, access token and API token from before it ends (validAfterMs, apiTokensValidAfterMs). */
  endBefore: number;
  now: number;
  event: SecurityEvent;
}

/** `taken`: the address is claimed by another account (a registration or another change won the race). */
export type EmailChangeOutcome = 'done' | 'invalid' | 'taken';

export interface EmailChangeStore {
  /**
   * Stores the link and marks it the user's pending change (so a newer request voids it), with the
   * event, in one transaction; false when the account's address is no longer `link.oldEmail` or
   * the account is not active.
   */
  request(request: EmailChangeRequest): Promise<boolean>;
  /** A live (unexpired, unspent) link, or undefined. */
  find(kind: EmailChangeLink['kind'], tokenHash: string, nowSeconds: number): Promise<EmailChangeLink | undefined>;
  /**
   * One transaction: the link spent, the profile's address changed (still the old one, and this the
   * pending change), verified; the old claim deleted, the new one written (free), the undo link and
   * the event stored.
   */
  confirm(confirmation: EmailChangeConfirmation): Promise<EmailChangeOutcome>;
  /**
   * One transaction: the undo link spent, the old address back (the profile still has the new one),
   * its claim written again (free), the new claim deleted, every session and API token ended, the
   * event stored.
   */
  revert(revert: EmailChangeRevert): Promise<EmailChangeOutcome>;
  /** Removes a link whose mail could not be sent. */
  discard(kind: EmailChangeLink['kind'], tokenHash: string): Promise<void>;
}
