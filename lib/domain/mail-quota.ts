// How many reset and verification mails an address has been sent this hour: the port the per-address
// mail limit (lib/abuse/mail-quota.ts) reaches its counters through (lib/store/mail-quotas.ts).

/** What a mail is for; each purpose has its own count, so a flood of one does not block the other. */
export type MailPurpose = 'reset' | 'verify';

export interface MailQuotaStore {
  /**
   * Counts one mail of `purpose` to `address` (already canonical) in the clock hour holding `now`,
   * unless `limit` mails were already counted there: one atomic conditional write, so concurrent
   * claims can never together pass the limit. False when the hour's quota is spent.
   */
  claim(purpose: MailPurpose, address: string, now: number, limit: number): Promise<boolean>;
}
