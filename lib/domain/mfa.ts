// Multi-factor authentication: the factors a user enrols (a TOTP authenticator app, passkeys,
// recovery codes), the pending second step of a login (the mfa_token), and the ports the use cases
// reach them through (lib/store/mfa-factors.ts, lib/store/mfa-challenges.ts, lib/store/passkeys.ts).
//
// The user item carries `mfaMethods` (the enrolled kinds), written in the same transaction as the
// factor, so a login knows whether a second step is needed without another read.

/** The kinds of factor an account can have; recovery codes come with the first one. */
export type FactorType = 'totp' | 'webauthn';

/** A secret sealed in a KMS envelope (lib/tokens/key-envelope.ts): never stored in the clear. */
export interface SealedSecret {
  /** `kms1.<iv>.<ciphertext+tag>` */
  ciphertext: string;
  /** The KMS-wrapped data key, base64. */
  wrappedDataKey: string;
}

/** The user's TOTP authenticator (RFC 6238): at most one per account. */
export interface TotpFactor {
  userId: string;
  /** The base32 secret, sealed under the envelope with kid `totp:<userId>`. */
  secret: SealedSecret;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds of the last accepted code. */
  lastUsedAt?: number;
  /**
   * The RFC 6238 time step (T) of the last accepted code: a code of that step or an earlier one
   * is refused (replay), decided by one conditional write (`lastStep < :step`).
   */
  lastStep?: number;
}

/** An enrolment started (POST /mfa/totp) and not yet confirmed with a code; expires by TTL. */
export interface PendingTotp {
  userId: string;
  secret: SealedSecret;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
}

/** A passkey (WebAuthn credential) of the user; stored by lib/store/passkeys.ts. */
export interface Passkey {
  /** The credential id, base64url (WebAuthn's `id`). */
  credentialId: string;
  userId: string;
  /** The name the user gave it ("MacBook Touch ID"). */
  name: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (WebAuthn §6.1.1); 0 for authenticators that keep none. */
  counter: number;
  /** AuthenticatorTransport values the browser reported, as hints for allowCredentials. */
  transports: string[];
  /** WebAuthn Level 3 backup eligibility: `multiDevice` (synced) or `singleDevice`. */
  deviceType: 'singleDevice' | 'multiDevice';
  /** Whether it is backed up (synced) now (the BS flag). */
  backedUp: boolean;
  /** The authenticator's AAGUID, when it gave one. */
  aaguid?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastUsedAt?: number;
}

/** A factor as GET /mfa lists it: never a secret. */
export interface FactorSummary {
  type: FactorType | 'recovery_codes';
  /** The passkey's credential id; `totp` and `recovery_codes` for the others. */
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt?: number;
  /** Recovery codes only: how many are left. */
  remaining?: number;
}

/** NIST SP 800-63B §5.1.2 look-up secrets: 10 single-use codes, kept only as SHA-256 hashes. */
export const RECOVERY_CODE_COUNT = 10;

export interface RecoveryCodes {
  userId: string;
  /** SHA-256 (base64url) of each unused code. */
  unusedHashes: string[];
  createdAt: number;
  lastUsedAt?: number;
}

export interface MfaFactorStore {
  /** The enrolled TOTP factor, or undefined. */
  getTotp(userId: string): Promise<TotpFactor | undefined>;
  /** Stores an unconfirmed enrolment (replacing an earlier unconfirmed one). */
  putPendingTotp(pending: PendingTotp): Promise<void>;
  getPendingTotp(userId: string): Promise<PendingTotp | undefined>;
  /**
   * Confirms the pending enrolment, in one transaction: the factor is stored (only if the user has
   * none: false otherwise, e.g. a concurrent confirmation won), the pending item deleted, 'totp'
   * added to the user's mfaMethods, and, when `recoveryCodeHashes` is given (first factor), a new
   * recovery-code set stored only if none exists (a concurrent first factor won: false).
   */
  confirmTotp(factor: TotpFactor, recoveryCodeHashes?: string[]): Promise<boolean>;
  /**
   * Records an accepted code: one conditional write, true only if no code of `step` or later was
   * accepted before (RFC 6238 §5.2: the verifier must not accept the second attempt of a valid OTP).
   */
  useTotpStep(userId: string, step: number, now: number): Promise<boolean>;
  /** Removes the TOTP factor and 'totp' from mfaMethods (and the recovery codes if it was the last factor). False when there was none. */
  deleteTotp(userId: string): Promise<boolean>;
  getRecoveryCodes(userId: string): Promise<RecoveryCodes | undefined>;
  /** Spends one code: one conditional write that removes its hash; false when it was not (or no longer) there. */
  useRecoveryCode(userId: string, codeHash: string, now: number): Promise<boolean>;
  /** Replaces the whole set (regeneration voids the old codes). */
  replaceRecoveryCodes(userId: string, codeHashes: string[], now: number): Promise<void>;
  /** Every factor of the user, metadata only (TOTP, passkeys, recovery codes), newest first. */
  listFactors(userId: string): Promise<FactorSummary[]>;
  /** Removes every factor, the recovery codes and mfaMethods (admin `mfa reset`). */
  deleteAll(userId: string): Promise<void>;
}

export interface PasskeyStore {
  /**
   * Stores a new passkey, in one transaction with 'webauthn' added to mfaMethods and, when
   * `recoveryCodeHashes` is given (first factor), a recovery-code set (only if none exists).
   * False when the credential id is already registered (to anyone) or a concurrent first factor won.
   */
  add(passkey: Passkey, recoveryCodeHashes?: string[]): Promise<boolean>;
  /** A passkey by credential id (for passwordless sign-in: it names its user). */
  get(credentialId: string): Promise<Passkey | undefined>;
  list(userId: string): Promise<Passkey[]>;
  /**
   * Records a verified assertion: one conditional write, only if the stored counter is still
   * `expectedCounter` (two assertions racing with the same counter: one wins).
   */
  recordUse(credentialId: string, expectedCounter: number, update: { counter: number; backedUp: boolean; now: number }): Promise<boolean>;
  /** Removes a passkey of this user (and the recovery codes if it was the last factor); false when there is none. */
  remove(userId: string, credentialId: string): Promise<boolean>;
}

/** Why an mfa_token was issued: to finish a login, or (MFA_POLICY=required) to enrol a first factor. */
export type MfaChallengePurpose = 'second_factor' | 'enrollment';

/** A pending second step (the mfa_token), kept under the SHA-256 of the token. */
export interface MfaChallenge {
  tokenHash: string;
  userId: string;
  purpose: MfaChallengePurpose;
  /**
   * SHA-256 of the password hash the first step was checked against: a password change or reset
   * before the second step voids the token ("bound to that password check").
   */
  passwordFingerprint: string;
  /** Epoch seconds of the password check (the first factor). */
  authTime: number;
  /** Wrong codes so far; the token dies at MFA_TOKEN_MAX_FAILURES. */
  failures: number;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
  /** A pending WebAuthn challenge for this second step (base64url), once options were asked for. */
  webauthnChallenge?: string;
}

/** The rules for an mfa_token: valid 5 minutes, at most 5 wrong codes. */
export const MFA_TOKEN_TTL_SECONDS = 300;
export const MFA_TOKEN_MAX_FAILURES = 5;

export interface MfaChallengeStore {
  create(challenge: MfaChallenge): Promise<void>;
  /** Consistent read; expiry is the caller's to check. */
  get(tokenHash: string): Promise<MfaChallenge | undefined>;
  /**
   * Counts a wrong code: one conditional write, only while unused and below the limit; returns the
   * failures now counted, or undefined when the token is used up, exhausted or gone.
   */
  recordFailure(tokenHash: string): Promise<number | undefined>;
  /** Spends the token: one conditional write (exists, under the limit); true for exactly one caller. */
  consume(tokenHash: string): Promise<boolean>;
  /** Remembers the WebAuthn challenge issued for this second step (replacing an earlier one). */
  setWebauthnChallenge(tokenHash: string, challenge: string): Promise<boolean>;
  /**
   * Takes the WebAuthn challenge of this second step: one conditional write removes it, so an
   * assertion is checked against it at most once (WebAuthn §13.4.3); undefined when there is none
   * (never asked for, or already answered) or the token is no longer usable.
   */
  takeWebauthnChallenge(tokenHash: string): Promise<string | undefined>;
}

/** A WebAuthn ceremony's challenge outside a login's second step (registration, passwordless sign-in). */
export interface WebauthnCeremony {
  /** Random id given to the client with the options (passwordless) or the user id (registration). */
  ceremonyId: string;
  kind: 'registration' | 'authentication';
  /** The challenge (base64url) the response must sign. */
  challenge: string;
  /** Registration only: whose passkey it will be. */
  userId?: string;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
}

export interface WebauthnCeremonyStore {
  create(ceremony: WebauthnCeremony): Promise<void>;
  /** Reads and deletes in one conditional write: a challenge is answered at most once. */
  take(ceremonyId: string, kind: WebauthnCeremony['kind']): Promise<WebauthnCeremony | undefined>;
}
