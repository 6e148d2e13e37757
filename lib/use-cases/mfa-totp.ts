// Managing a user's TOTP authenticator and recovery codes: start an enrolment (a new secret and its
// otpauth:// URI), confirm it with a code (which stores the factor, and on the first factor a fresh
// set of recovery codes shown this once), remove it, regenerate the recovery codes, list factors.
// Every change needs a recent authentication (step-up, ./step-up.ts): the first factor a recent
// password, anything after it a recent second factor too.
import { ConflictError, InvalidMfaCodeError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { FactorSummary } from '../domain/mfa.ts';
import { enrolledFactors, type User } from '../domain/user.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../mfa/recovery-codes.ts';
import { newTotpSecret, otpauthUri, parseTotpCode, verifyTotp } from '../mfa/totp.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';
import { type RecentAuthentication, requireStepUp } from './step-up.ts';

/** How long a started enrolment waits for its confirming code (the user has to find their phone). */
export const PENDING_TOTP_TTL_SECONDS = 15 * 60;

export type TotpDeps = Pick<Dependencies, 'mfaFactors' | 'totpSecrets' | 'clock' | 'config' | 'users'> & SecurityEventDeps;

export interface TotpEnrolment {
  /** The base32 secret, for typing into an app by hand. */
  secret: string;
  /** otpauth://totp/... for a QR code. */
  otpauthUri: string;
}

/**
 * Starts enrolling an authenticator app: a new secret, sealed (KMS envelope) and kept as pending
 * until confirmed. A user who has one already must remove it first (ConflictError). Step-up:
 * `authentication` must be recent (and include MFA when the user has another factor).
 */
export async function startTotpEnrolment(user: User, deps: TotpDeps, authentication: RecentAuthentication): Promise<TotpEnrolment> {
  await requireStepUp(authentication, user, deps);
  if (user.mfaTotp)
    throw new ConflictError([{ field: 'totp', message: 'An authenticator app is already enrolled; remove it first to enrol another.' }], 'Already enrolled.');
  const secret = newTotpSecret();
  const sealed = await deps.totpSecrets.seal(user.id, secret);
  await deps.mfaFactors.putPendingTotp({ userId: user.id, secret: sealed, expiresAt: toEpochSeconds(deps.clock.now()) + PENDING_TOTP_TTL_SECONDS });
  return { secret, otpauthUri: otpauthUri(secret, deps.config.productName, user.username) };
}

/** A code field as typed, or a ValidationError naming `field`. */
export function totpCodeFrom(input: string, field = 'code'): string {
  const code = parseTotpCode(input);
  if (code === undefined) throw new ValidationError([{ field, message: 'Send the 6-digit code your authenticator app shows.' }]);
  return code;
}

export interface ConfirmedTotp {
  /** On the first factor only: the new recovery codes, shown this once. */
  recoveryCodes?: string[];
}

export interface ConfirmOptions {
  /**
   * Runs once the code checked out, before the factor is stored; throwing aborts the confirmation
   * (the enrolment login spends its mfa_token here, so a raced token enrols nothing).
   */
  whenVerified?: () => Promise<void>;
}

/**
 * Confirms the pending enrolment with a code the app shows now (±1 step): the factor is stored
 * with that step as its last used one (so the same code cannot then finish a login, RFC 6238
 * §5.2), and on the first factor with new recovery codes. InvalidMfaCodeError for a wrong code;
 * NotFoundError when no enrolment is pending (or it expired); ConflictError when a concurrent
 * confirmation or another first factor won.
 */
export async function confirmTotpEnrolment(
  user: User,
  code: string,
  deps: TotpDeps,
  authentication: RecentAuthentication,
  options: ConfirmOptions = {},
): Promise<ConfirmedTotp> {
  await requireStepUp(authentication, user, deps);
  const now = deps.clock.now();
  const typed = totpCodeFrom(code);
  const pending = await deps.mfaFactors.getPendingTotp(user.id);
  // DynamoDB's TTL deletion is lazy: the expiry is checked here.
  if (!pending || pending.expiresAt <= toEpochSeconds(now)) {
    throw new NotFoundError('No authenticator enrolment is pending (or it expired): start again with POST /mfa/totp.');
  }
  const secret = await deps.totpSecrets.open(user.id, pending.secret);
  const step = verifyTotp(secret, typed, now);
  if (step === undefined) throw new InvalidMfaCodeError();
  await options.whenVerified?.();
  const first = enrolledFactors(user).length === 0;
  const recoveryCodes = first ? newRecoveryCodes() : undefined;
  const stored = await deps.mfaFactors.confirmTotp(
    { userId: user.id, secret: pending.secret, createdAt: now, lastStep: step, lastUsedAt: now },
    recoveryCodes?.map((recoveryCode) => hashRecoveryCode(user.id, recoveryCode)),
  );
  if (!stored)
    throw new ConflictError(
      [{ field: 'code', message: 'This enrolment was already confirmed or replaced, or another factor was added meanwhile.' }],
      'Already enrolled.',
    );
  user.mfaTotp = true;
  await recordSecurityEvent(user.id, 'mfa_factor_added', deps, { details: { factor: 'totp' } });
  return recoveryCodes ? { recoveryCodes } : {};
}

/** Removes the authenticator app (step-up: a recent MFA). NotFoundError when there is none. */
export async function removeTotp(user: User, deps: TotpDeps, authentication: RecentAuthentication): Promise<void> {
  await requireStepUp(authentication, user, deps);
  if (!(await deps.mfaFactors.deleteTotp(user.id))) throw new NotFoundError('No authenticator app is enrolled.');
  user.mfaTotp = false;
  await recordSecurityEvent(user.id, 'mfa_factor_removed', deps, { details: { factor: 'totp' } });
}

/**
 * A new set of recovery codes, voiding the old ones (step-up: a recent MFA). Only for an account
 * with a factor: codes are a way back to a factor, not one of their own (NotFoundError).
 */
export async function regenerateRecoveryCodes(user: User, deps: TotpDeps, authentication: RecentAuthentication): Promise<string[]> {
  await requireStepUp(authentication, user, deps);
  if (enrolledFactors(user).length === 0) throw new NotFoundError('Recovery codes come with a second factor: enrol an authenticator app or a passkey first.');
  const codes = newRecoveryCodes();
  await deps.mfaFactors.replaceRecoveryCodes(
    user.id,
    codes.map((code) => hashRecoveryCode(user.id, code)),
    deps.clock.now(),
  );
  await recordSecurityEvent(user.id, 'recovery_codes_regenerated', deps);
  return codes;
}

/** The user's factors (type, id, name, created, last used; how many recovery codes are left), never a secret. */
export async function listFactors(user: Pick<User, 'id'>, deps: Pick<Dependencies, 'mfaFactors'>): Promise<FactorSummary[]> {
  return deps.mfaFactors.listFactors(user.id);
}
