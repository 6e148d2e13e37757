// Lazy migration (docs/migration.md): the port through which a login that finds no account here asks
// the legacy system (MIGRATE_FROM_URL, in the dialect MIGRATE_FROM_DIALECT) whether the credentials
// are right there. lib/migration/ implements it over HTTP, one client per dialect.
import type { ProfileField } from './profile.ts';

/** The legacy systems a deployment can migrate from: the APIs its compatibility routes reproduce. */
export const LEGACY_DIALECTS = ['simplejwt', 'tcap', 'eclecticiq', 'opentact'] as const;
export type LegacyDialect = (typeof LEGACY_DIALECTS)[number];

/** What the legacy system's answer (and its profile call, where the login answer has none) says about the account. */
export interface LegacyAccount {
  username: string;
  email: string;
  /** Whether the legacy system considers the address confirmed (an active Django account: yes). */
  emailVerified: boolean;
  profile: Partial<Record<ProfileField, string>>;
  /** The legacy system's own id for the account (kept as the user's externalId, and as its integer id when it is one). */
  externalId?: string;
  permissions?: string[];
}

export type LegacyVerdict = { kind: 'accepted'; account: LegacyAccount } | { kind: 'refused' };

export interface LegacyLogin {
  /**
   * Asks the legacy system whether `password` is right for `login` (a username or an email, as the
   * user typed it). `refused` for wrong credentials, an unknown or inactive account (any 4xx);
   * throws DependencyUnavailableError when the legacy system cannot answer (timeout, network, 5xx,
   * an answer that cannot be read), so the client hears 503, never a 401 it would show as "wrong password".
   */
  check(login: string, password: string): Promise<LegacyVerdict>;
}
