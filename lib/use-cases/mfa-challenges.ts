// The second step of a login: after the right password, an account with a factor (or, under
// MFA_POLICY=required, without one) gets an opaque mfa_token instead of tokens. The token is
// single use, valid MFA_TOKEN_TTL_SECONDS, dies after MFA_TOKEN_MAX_FAILURES wrong codes, and is
// bound to the password check it follows: a password changed or reset meanwhile voids it, and so
// do "log out everywhere" and disabling the account. Stored only as its SHA-256.
import { reserveLoginAttempt } from '../abuse/login-throttle.ts';
import { InvalidMfaCodeError, InvalidMfaTokenError } from '../domain/errors.ts';
import { MFA_TOKEN_MAX_FAILURES, MFA_TOKEN_TTL_SECONDS, type MfaChallenge, type MfaChallengePurpose } from '../domain/mfa.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { countMetric } from '../support/metrics.ts';
import { readDeviceProof } from '../tokens/device-proofs.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import { issuedBeforeValidAfter } from '../tokens/signed-jwt.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, reservedOrLockedOut, type SecurityEventDeps } from './security-events.ts';

type ChallengeDeps = Pick<Dependencies, 'mfaChallenges' | 'users' | 'clock'>;

/** What ties a challenge to the password check: the digest of the hash it was checked against. */
const fingerprint = (user: Pick<User, 'passwordHash'>) => sha256(user.passwordHash);

/** Issues an mfa_token for a user whose password was just checked. */
export async function startSecondStep(user: User, purpose: MfaChallengePurpose, deps: ChallengeDeps): Promise<string> {
  const token = randomSecret();
  const now = toEpochSeconds(deps.clock.now());
  await deps.mfaChallenges.create({
    tokenHash: sha256(token),
    userId: user.id,
    purpose,
    passwordFingerprint: fingerprint(user),
    authTime: now,
    failures: 0,
    expiresAt: now + MFA_TOKEN_TTL_SECONDS,
  });
  return token;
}

export interface OpenChallenge {
  challenge: MfaChallenge;
  user: User;
}

/** mfa_tokens are 43 base64url characters; anything else is not one (and is not looked up). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The live challenge an mfa_token names, and its user; InvalidMfaTokenError when the token is
 * unknown, spent, expired, out of attempts, of another purpose, or voided since (password changed,
 * log out everywhere, account disabled).
 */
export async function openChallenge(mfaToken: string, purpose: MfaChallengePurpose, deps: ChallengeDeps): Promise<OpenChallenge> {
  if (!TOKEN_SHAPE.test(mfaToken)) throw new InvalidMfaTokenError();
  const challenge = await deps.mfaChallenges.get(sha256(mfaToken));
  const now = deps.clock.now();
  if (!challenge || challenge.purpose !== purpose || challenge.expiresAt <= toEpochSeconds(now) || challenge.failures >= MFA_TOKEN_MAX_FAILURES) {
    throw new InvalidMfaTokenError();
  }
  const user = await deps.users.get(challenge.userId);
  if (user?.status !== 'active' || fingerprint(user) !== challenge.passwordFingerprint) throw new InvalidMfaTokenError();
  if (user.validAfterMs !== undefined && challenge.authTime * 1000 < user.validAfterMs - 999) throw new InvalidMfaTokenError();
  return { challenge, user };
}

/**
 * Counts a wrong code against the token (the account's login throttle is the caller's to charge)
 * and throws: InvalidMfaCodeError with the attempts left, or InvalidMfaTokenError once the token
 * is used up.
 */
export async function failChallenge(challenge: MfaChallenge, deps: Pick<Dependencies, 'mfaChallenges'>): Promise<never> {
  const failures = await deps.mfaChallenges.recordFailure(challenge.tokenHash);
  if (failures === undefined || failures >= MFA_TOKEN_MAX_FAILURES) throw new InvalidMfaTokenError();
  throw new InvalidMfaCodeError(MFA_TOKEN_MAX_FAILURES - failures);
}

/** Spends the token once the second factor has been verified; InvalidMfaTokenError for every caller but one. */
export async function consumeChallenge(challenge: MfaChallenge, deps: Pick<Dependencies, 'mfaChallenges'>): Promise<void> {
  if (!(await deps.mfaChallenges.consume(challenge.tokenHash))) throw new InvalidMfaTokenError();
}

/** What the client brought besides its answer: the device proof it showed, if any (LoginClient's). */
export interface SecondFactorClient {
  deviceProof?: string | undefined;
}

/** The device id of a valid device proof of this user (its own failed-login counter), else undefined. */
async function trustedDevice(
  user: User,
  client: SecondFactorClient,
  deps: Pick<Dependencies, 'config' | 'clock' | 'verificationKeys'>,
): Promise<string | undefined> {
  if (!client.deviceProof) return undefined;
  const shown = await readDeviceProof(client.deviceProof, { ...deps, settings: { issuer: deps.config.issuer } });
  return shown && shown.userId === user.id && !issuedBeforeValidAfter(shown.issuedAt, user) ? shown.deviceId : undefined;
}

/**
 * Runs the check of a second factor (a TOTP or recovery code, a passkey's assertion) under both
 * counters a wrong answer is charged to: the account's failed logins (lib/abuse/login-throttle.ts,
 * NIST SP 800-63B §5.2.2: a stolen password buys no unlimited guesses; a throttled account gets
 * 429) and the mfa_token's (failChallenge). An accepted answer spends the token; `check` returns
 * undefined for a refused one. A failure of the check itself (KMS, DynamoDB) decided nothing: the
 * reservation is given back and the error goes on.
 */
export async function checkSecondFactor<T>(
  opened: OpenChallenge,
  client: SecondFactorClient,
  deps: Pick<Dependencies, 'mfaChallenges' | 'throttles' | 'config' | 'clock' | 'verificationKeys'> & SecurityEventDeps,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const { challenge, user } = opened;
  const attempt = await reservedOrLockedOut(reserveLoginAttempt(user.username, await trustedDevice(user, client, deps), deps), async () => user.id, deps);
  let accepted: T | undefined;
  try {
    accepted = await check();
  } catch (error) {
    await attempt.succeeded().catch(() => undefined);
    throw error;
  }
  if (accepted === undefined) {
    await Promise.all([attempt.failed(), recordSecurityEvent(user.id, 'login_failed', deps, { details: { reason: 'wrong_second_factor' } })]);
    countMetric('LoginFailures');
    return failChallenge(challenge, deps);
  }
  await Promise.all([attempt.succeeded(), consumeChallenge(challenge, deps)]);
  return accepted;
}
