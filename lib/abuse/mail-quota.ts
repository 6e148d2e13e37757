// The per-address mail limit (issue 15, finding 3): at most MAIL_PER_ADDRESS_PER_HOUR reset mails,
// and as many verification mails, to one address per clock hour, so nobody can flood a mailbox
// through forgot-password, verification resend or registration. Counted per canonical address, so
// spellings of one address (case, NFKC) share one count. Callers keep their usual answer when the
// quota is spent: the limit must not tell whether an address has an account.
import type { Config } from '../config/all.ts';
import { normaliseEmail } from '../domain/identity.ts';
import type { MailPurpose, MailQuotaStore } from '../domain/mail-quota.ts';
import type { Clock } from '../support/clock.ts';

export interface MailQuotaDeps {
  mailQuotas: MailQuotaStore;
  clock: Clock;
  config: Pick<Config, 'mailPerAddressPerHour'>;
}

const HOUR_MS = 3_600_000;

/** Counts one mail of `purpose` to `email`; false when the address has had its quota this hour (send nothing). */
export function claimMailQuota(purpose: MailPurpose, email: string, deps: MailQuotaDeps): Promise<boolean> {
  return deps.mailQuotas.claim(purpose, normaliseEmail(email), deps.clock.now(), deps.config.mailPerAddressPerHour);
}

/** Whole seconds until the clock hour holding `now` ends, when a spent quota is renewed (at least 1). */
export function secondsUntilQuotaRenews(now: number): number {
  return Math.max(1, Math.ceil((HOUR_MS - (now % HOUR_MS)) / 1000));
}
