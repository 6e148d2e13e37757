// A user account as the application knows it, and the port the use cases reach users through
// (lib/store/users.ts implements it on DynamoDB).
import type { SecurityEvent } from './security-event.ts';

/** The optional profile fields a registration may carry; REQUIRED_PROFILE_FIELDS picks the mandatory ones. */
export const PROFILE_FIELDS = ['first_name', 'last_name', 'organisation_type', 'organisation_name', 'country', 'job_title'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * `deleted`: the account's deletion has begun (DELETE /me, `admin accounts delete`); its names are
 * free again and nothing of it works, while the clean-up (lib/use-cases/account-deletion.ts)
 * removes what it owned; the profile goes last.
 */
export type UserStatus = 'active' | 'disabled' | 'deleted';

/** A deletion under way: when it began and the pseudonym its security events are kept under. */
export interface AccountDeletionMark {
  /** Epoch milliseconds. */
  startedAt: number;
  pseudonym: string;
}

export interface User {
  id: string;
  /**
   * The user's positive integer id, for the Django dialects (TCAP, miniSASS), whose clients read
   * `id` as Django's integer primary key. Given at registration; accounts older than it get one at
   * their first need (lib/domain/user-number.ts). Stable and never shared.
   */
  number?: number;
  username: string;
  email: string;
  emailVerified: boolean;
  profile: Partial<Record<ProfileField, string>>;
  /** Free-form extra registration data some clients send (miniSASS's additional_fields). */
  additionalFields?: string | Record<string, string>;
  /** argon2id (PHC), a foreign hash an import brought (rehashed at the next login), or UNUSABLE_PASSWORD_HASH (./user-transfer.ts). */
  passwordHash: string;
  /**
   * The id the account had in the system it was migrated from (`admin import`'s `id`, or the legacy
   * system's id in lazy migration): unique, kept for lookups, exported again.
   */
  externalId?: string;
  status: UserStatus;
  permissions: string[];
  /**
   * Epoch milliseconds: sessions started and tokens issued before it are refused ("log out
   * everywhere", and later password reset). Tokens issued afterwards get an iat at or after it.
   */
  validAfterMs?: number;
  /**
   * The one session the last move of validAfterMs spared (a refresh family id, or a browser session
   * id): "change my password and end every OTHER session" is then a single conditional write. Every
   * other move of validAfterMs (log out everywhere, a reset, disabling, an email revert) removes it.
   * See endedByValidAfter (./session.ts).
   */
  keptSessionId?: string;
  /** Epoch milliseconds: API tokens created before it are refused (set by a password reset). */
  apiTokensValidAfterMs?: number;
  /**
   * Counts completed password resets (absent: 0). Reset links carry the value they were issued
   * under, so a reset voids every outstanding link by moving it on.
   */
  resetGeneration?: number;
  /**
   * The hash of the newest email-change link (lib/domain/email-change.ts): only that link can make
   * the change, so asking again voids the one before.
   */
  pendingEmailChange?: string;
  /** Epoch milliseconds of the last verification mail, for rate limiting resends. */
  verifyMailSentAt?: number;
  /**
   * MFA (lib/domain/mfa.ts): whether a TOTP authenticator is enrolled, and how many passkeys. Kept
   * on the profile, in the transactions that add and remove factors, so a login knows whether a
   * second step is needed without another read. See mfaMethods().
   */
  mfaTotp?: boolean;
  passkeyCount?: number;
  /** Set, with status `deleted`, when the account's deletion begins. */
  deletion?: AccountDeletionMark;
  createdAt: string;
  updatedAt: string;
}

/** The kinds of second factor the account has enrolled (empty: none). */
export function enrolledFactors(user: Pick<User, 'mfaTotp' | 'passkeyCount'>): ('totp' | 'webauthn')[] {
  return [...(user.mfaTotp ? (['totp'] as const) : []), ...((user.passkeyCount ?? 0) > 0 ? (['webauthn'] as const) : [])];
}

export interface UserStore {
  /** Throws ConflictError naming the taken field(s), ValidationError when a name cannot be stored. */
  create(user: User): Promise<void>;
  /**
   * Claims a username for an account that will never exist (REGISTRATION_DISCLOSURE=email, when the
   * email address was taken): the name then stays taken exactly as a real registration's would, so
   * registering it again cannot tell the two cases apart. False when the name is already taken.
   */
  reserveUsername(username: string, userId: string): Promise<boolean>;
  get(userId: string): Promise<User | undefined>;
  findByLogin(login: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /** The account holding this foreign id (User.externalId: `admin import`'s `id`, lazy migration's legacy id). */
  findByExternalId(externalId: string): Promise<User | undefined>;
  /**
   * Records that a verification mail is being sent, unless one was sent less than
   * `minIntervalMs` ago; false means "too soon".
   */
  claimVerificationMail(userId: string, now: number, minIntervalMs: number): Promise<boolean>;
  /** Gives back the claim made at `claimedAt` (the mail could not be sent); a newer claim stays. */
  releaseVerificationMail(userId: string, claimedAt: number): Promise<void>;
  replacePasswordHash(userId: string, expectedHash: string, newHash: string): Promise<boolean>;
  /**
   * POST /me/password in one transaction: the new hash (on the condition that the stored one is
   * still `expectedHash`, so two concurrent changes cannot both win), the reset generation moved
   * on (outstanding reset links are void), unless `endSessions` is absent every other session ended
   * (validAfterMs = its time, keptSessionId = the caller's session), and the event. False when the
   * password changed meanwhile (or the account is gone or not active).
   */
  changePassword(change: PasswordChangeWrite): Promise<boolean>;
  /** Sets the user's "valid after" time: every earlier session and token stops working. */
  invalidateTokensBefore(userId: string, nowMs: number): Promise<void>;
  /**
   * Disables the account and ends everything it holds, in one write: status 'disabled', and
   * validAfterMs and apiTokensValidAfterMs moved to `nowMs` (never backwards), so sessions, access
   * tokens and API tokens stay dead even after enable(). False when there is no such user.
   */
  disable(userId: string, nowMs: number): Promise<boolean>;
  /** Lets the account log in again; what disable() ended stays ended. False when there is no such user. */
  enable(userId: string, nowMs: number): Promise<boolean>;
  /** Adds a permission; false when the user already has it (or does not exist). */
  addPermission(userId: string, permission: string, nowMs: number): Promise<boolean>;
  /** Removes a permission; false when the user does not have it (or does not exist). */
  removePermission(userId: string, permission: string, nowMs: number): Promise<boolean>;
  /** Gives every account its canonical username and email claims (lib/domain/identity.ts); idempotent. */
  migrateIdentifierClaims(): Promise<IdentifierMigration>;
}

export interface PasswordChangeWrite {
  userId: string;
  expectedHash: string;
  newHash: string;
  /** Epoch milliseconds. */
  now: number;
  /** Ends every session but `keptSessionId` (absent: keep_other_sessions). */
  endSessions?: { keptSessionId?: string };
  event: SecurityEvent;
}

/** What `admin migrate-identifiers` did: accounts seen, claims written or already there, and names two accounts now share. */
export interface IdentifierMigration {
  users: number;
  written: number;
  present: number;
  conflicts: { userId: string; field: 'username' | 'email'; value: string; heldBy: string }[];
}
