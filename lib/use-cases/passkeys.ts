// Managing a user's passkeys (WebAuthn Level 3 §7.1 registration ceremony): the options for
// navigator.credentials.create(), registering the response as a named passkey (several per
// account; the first factor also brings the recovery codes), removing one. Adding a first factor
// needs a recent password, anything else a recent MFA (lib/use-cases/step-up.ts). Under
// MFA_POLICY=required a user without a factor registers with the mfa_token of their login instead
// of a bearer token (openPasskeyEnrolment / finishPasskeyEnrolment).
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { AMR, type Authentication, passkeyAmr, withSecondFactor } from '../domain/authentication.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { MfaChallenge, Passkey } from '../domain/mfa.ts';
import { enrolledFactors, type User } from '../domain/user.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../mfa/recovery-codes.ts';
import { CEREMONY_TIMEOUT_SECONDS, parseRegistrationResponse, registrationOptions, relyingParty, verifyRegistration } from '../mfa/webauthn.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Dependencies } from './dependencies.ts';
import { consumeChallenge, openChallenge } from './mfa-challenges.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';
import { type RecentAuthentication, requireStepUp } from './step-up.ts';

export type PasskeyDeps = Pick<Dependencies, 'passkeys' | 'webauthnCeremonies' | 'clock' | 'config' | 'users'> & SecurityEventDeps;

/** Enough for every device a person owns; bounds the excludeCredentials list and the profile. */
export const MAX_PASSKEYS = 20;
export const MAX_PASSKEY_NAME_LENGTH = 100;

/** A user's registration ceremony is keyed by the user: asking for new options replaces the pending challenge. */
const registrationCeremonyId = (userId: string) => `register:${userId}`;

/**
 * The options for navigator.credentials.create() (§5.4), after the step-up check (`recent`: how
 * the caller last authenticated); the challenge is kept for registerPasskey().
 */
export async function passkeyRegistrationOptions(user: User, deps: PasskeyDeps, recent: RecentAuthentication): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await requireStepUp(recent, user, deps);
  const existing = await deps.passkeys.list(user.id);
  if (existing.length >= MAX_PASSKEYS) throw tooMany();
  const options = await registrationOptions(relyingParty(deps.config), user, existing);
  await deps.webauthnCeremonies.create({
    ceremonyId: registrationCeremonyId(user.id),
    kind: 'registration',
    challenge: options.challenge,
    userId: user.id,
    expiresAt: toEpochSeconds(deps.clock.now()) + CEREMONY_TIMEOUT_SECONDS,
  });
  return options;
}

export interface PasskeyRegistration {
  /** What the user calls it ("MacBook Touch ID"). */
  name: string;
  /** The browser's RegistrationResponseJSON, unchecked: a malformed one is a ValidationError naming `response`. */
  response: unknown;
}

export interface RegisteredPasskey {
  passkey: Passkey;
  /** Only when this was the account's first factor: the recovery codes, shown once. */
  recoveryCodes?: string[];
}

/**
 * Verifies a registration response against the pending challenge (taken: answered at most once,
 * §13.4.3) and stores the passkey with its counter and backup flags (§7.1, the last steps). A
 * credential id registered before, to anyone, is a 409 (§7.1: the credentialId must not be registered yet).
 */
export async function registerPasskey(user: User, input: PasskeyRegistration, deps: PasskeyDeps, recent: RecentAuthentication): Promise<RegisteredPasskey> {
  await requireStepUp(recent, user, deps);
  const name = passkeyName(input.name);
  const response = await parseRegistrationResponse(input.response);
  const now = deps.clock.now();
  const ceremony = await deps.webauthnCeremonies.take(registrationCeremonyId(user.id), 'registration');
  if (!ceremony || ceremony.userId !== user.id || ceremony.expiresAt <= toEpochSeconds(now)) {
    throw new ValidationError(
      [{ field: 'response', message: 'No passkey registration is pending (or it expired, or was answered): ask for new options first.' }],
      'No passkey registration is pending.',
    );
  }
  const registered = await verifyRegistration(relyingParty(deps.config), response, ceremony.challenge);
  if (!registered) {
    throw new ValidationError(
      [{ field: 'response', message: 'The passkey could not be verified for this site and challenge.' }],
      'The passkey could not be verified.',
    );
  }
  const passkey: Passkey = { ...registered, userId: user.id, name, createdAt: now };
  const added = async (result: RegisteredPasskey): Promise<RegisteredPasskey> => {
    await recordSecurityEvent(user.id, 'mfa_factor_added', deps, { details: { factor: 'passkey', id: passkey.credentialId } });
    return result;
  };
  if (enrolledFactors(user).length === 0) {
    const recoveryCodes = newRecoveryCodes();
    if (
      await deps.passkeys.add(
        passkey,
        recoveryCodes.map((code) => hashRecoveryCode(user.id, code)),
      )
    )
      return added({ passkey, recoveryCodes });
    // A factor enrolled meanwhile (it brought the codes), or the credential is taken: try as a further factor.
  }
  if (await deps.passkeys.add(passkey)) return added({ passkey });
  throw new ConflictError([{ field: 'response', message: 'This passkey is already registered.' }], 'This passkey is already registered.');
}

/** Removes one of the user's passkeys (step-up); another user's or an unknown id is a 404. */
export async function removePasskey(user: User, credentialId: string, deps: PasskeyDeps, recent: RecentAuthentication): Promise<void> {
  await requireStepUp(recent, user, deps);
  if (!/^[A-Za-z0-9_-]{1,1364}$/.test(credentialId) || !(await deps.passkeys.remove(user.id, credentialId))) {
    throw new NotFoundError('No such passkey.');
  }
  await recordSecurityEvent(user.id, 'mfa_factor_removed', deps, { details: { factor: 'passkey', id: credentialId } });
}

/** The name, trimmed: 1 to MAX_PASSKEY_NAME_LENGTH characters. */
function passkeyName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || [...name].length > MAX_PASSKEY_NAME_LENGTH) {
    throw new ValidationError([{ field: 'name', message: `Give the passkey a name of 1 to ${MAX_PASSKEY_NAME_LENGTH} characters.` }]);
  }
  return name;
}

const tooMany = () =>
  new ConflictError([{ field: 'response', message: `An account has at most ${MAX_PASSKEYS} passkeys: remove one first.` }], 'Too many passkeys.');

// ---------------------------------------------------------------------------------------------
// MFA_POLICY=required: a user without a factor registers a passkey with the mfa_token of their
// login (purpose `enrollment`), which then finishes the login.

export interface PasskeyEnrolment {
  user: User;
  challenge: MfaChallenge;
  /** The password check the token stands for: recent, and a first factor needs no more. */
  recent: RecentAuthentication;
}

/** The user and password check behind an enrolment mfa_token (InvalidMfaTokenError otherwise). */
export async function openPasskeyEnrolment(mfaToken: string, deps: Pick<Dependencies, 'mfaChallenges' | 'users' | 'clock'>): Promise<PasskeyEnrolment> {
  const { challenge, user } = await openChallenge(mfaToken, 'enrollment', deps);
  return { user, challenge, recent: { authTime: challenge.authTime, amr: [AMR.pwd] } };
}

/**
 * Spends the enrolment token once the passkey is stored and says how the user authenticated: the
 * password, then the passkey they just created (its registration proved possession, §7.1).
 */
export async function finishPasskeyEnrolment(
  enrolment: PasskeyEnrolment,
  passkey: Passkey,
  deps: Pick<Dependencies, 'mfaChallenges' | 'clock'> & SecurityEventDeps,
): Promise<Authentication> {
  await consumeChallenge(enrolment.challenge, deps);
  await recordSecurityEvent(enrolment.user.id, 'login_succeeded', deps, { details: { method: 'passkey' } });
  return withSecondFactor(toEpochSeconds(deps.clock.now()), [passkeyAmr(passkey.deviceType)]);
}
