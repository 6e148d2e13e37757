// Signing in with a passkey (WebAuthn Level 3 §7.2 authentication ceremony), two ways:
// - as the second factor after the password: the mfa_token of POST /login's mfa_required names the
//   user, the options allow only their passkeys, and a refused assertion counts as a wrong code
//   (against the token and the account's login throttle);
// - passwordless: no user is named, the authenticator offers its discoverable credentials
//   (§6.2.2), user verification is required (§6.2.3) and the passkey is both factors.
// Every challenge is answered at most once (§13.4.3): it is taken by one conditional write before
// the response is checked.
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AMR, type Authentication, acrFor, passkeyAmr, withSecondFactor } from '../domain/authentication.ts';
import { AccountDisabledError, EmailNotVerifiedError, InvalidCredentialsError, ValidationError } from '../domain/errors.ts';
import type { Passkey } from '../domain/mfa.ts';
import type { User } from '../domain/user.ts';
import {
  type AssertionOutcome,
  authenticationOptions,
  CEREMONY_TIMEOUT_SECONDS,
  parseAuthenticationResponse,
  relyingParty,
  verifyAssertion,
} from '../mfa/webauthn.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { countMetric } from '../support/metrics.ts';
import { issueDeviceProof } from '../tokens/device-proofs.ts';
import { randomSecret } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import type { LoginClient, LoginResult } from './login.ts';
import { checkSecondFactor, openChallenge } from './mfa-challenges.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';
import { startSession } from './sessions.ts';

export type PasskeyLoginDeps = Pick<
  Dependencies,
  'passkeys' | 'webauthnCeremonies' | 'mfaChallenges' | 'users' | 'throttles' | 'clock' | 'config' | 'signer' | 'verificationKeys'
> &
  SecurityEventDeps;

export interface PasskeyLoginOptions {
  /** Passwordless only: names the ceremony the response must come back with. */
  ceremonyId?: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** Passwordless ceremony ids are random (43 base64url characters). */
const CEREMONY_ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The options for navigator.credentials.get() (§5.5): with an mfa_token, for its user's passkeys
 * (the challenge kept on the token); without, for a passwordless sign-in (the challenge kept under
 * a new ceremony id).
 */
export async function passkeyLoginOptions(input: { mfaToken?: string | undefined }, deps: PasskeyLoginDeps): Promise<PasskeyLoginOptions> {
  const rp = relyingParty(deps.config);
  if (input.mfaToken !== undefined) {
    const { challenge, user } = await openChallenge(input.mfaToken, 'second_factor', deps);
    const passkeys = await deps.passkeys.list(user.id);
    if (passkeys.length === 0) {
      throw new ValidationError([{ field: 'mfa_token', message: 'This account has no passkey: use another second factor.' }], 'This account has no passkey.');
    }
    const options = await authenticationOptions(rp, passkeys);
    if (!(await deps.mfaChallenges.setWebauthnChallenge(challenge.tokenHash, options.challenge))) {
      // Spent or exhausted between the read and the write.
      await openChallenge(input.mfaToken, 'second_factor', deps);
    }
    return { options };
  }
  const options = await authenticationOptions(rp, 'discoverable');
  const ceremonyId = randomSecret();
  await deps.webauthnCeremonies.create({
    ceremonyId,
    kind: 'authentication',
    challenge: options.challenge,
    expiresAt: toEpochSeconds(deps.clock.now()) + CEREMONY_TIMEOUT_SECONDS,
  });
  return { ceremonyId, options };
}

export interface PasskeyAssertion {
  /** The second factor of a login: the mfa_token of its mfa_required. */
  mfaToken?: string | undefined;
  /** Passwordless: the ceremony_id of the options. */
  ceremonyId?: string | undefined;
  /** The browser's AuthenticationResponseJSON, unchecked: a malformed one is a ValidationError naming `response`. */
  response: unknown;
}

export interface PasskeySignIn {
  user: User;
  /** amr/acr/auth_time for the session (lib/domain/authentication.ts). */
  authentication: Authentication;
}

/**
 * Verifies a passkey assertion and says who signed in and how; the caller starts the session
 * (passkeyLogin does it for the JSON API). Exactly one of mfaToken and ceremonyId.
 */
export async function verifyPasskeyLogin(input: PasskeyAssertion, deps: PasskeyLoginDeps, client: LoginClient = {}): Promise<PasskeySignIn> {
  if ((input.mfaToken === undefined) === (input.ceremonyId === undefined)) {
    throw new ValidationError([{ field: 'mfa_token', message: 'Send either mfa_token (second factor) or ceremony_id (passwordless), not both.' }]);
  }
  const response = await parseAuthenticationResponse(input.response);
  const signedIn =
    input.mfaToken !== undefined ? await secondFactor(input.mfaToken, response, deps, client) : await passwordless(input.ceremonyId as string, response, deps);
  await recordSecurityEvent(signedIn.user.id, 'login_succeeded', deps, { details: { method: 'passkey' } });
  return signedIn;
}

type Assertion = Awaited<ReturnType<typeof parseAuthenticationResponse>>;

async function secondFactor(mfaToken: string, response: Assertion, deps: PasskeyLoginDeps, client: LoginClient): Promise<PasskeySignIn> {
  const { challenge, user } = await openChallenge(mfaToken, 'second_factor', deps);
  const expected = await deps.mfaChallenges.takeWebauthnChallenge(challenge.tokenHash);
  if (expected === undefined) {
    throw new ValidationError(
      [{ field: 'mfa_token', message: 'No passkey challenge is pending for this sign-in (or it was answered): ask POST /login/webauthn/options first.' }],
      'No passkey challenge is pending.',
    );
  }
  // Wrong answers count as the account's failed logins too (the issue's attempt accounting); a throttled account waits (429).
  const accepted = await checkSecondFactor({ challenge, user }, client, deps, () => acceptAssertion(user, response, expected, deps));
  return { user, authentication: withSecondFactor(toEpochSeconds(deps.clock.now()), [passkeyAmr(accepted.deviceType)]) };
}

/** A verified assertion by one of the user's passkeys (§7.2: one of allowCredentials), its use recorded; else undefined. */
async function acceptAssertion(
  user: User,
  response: Assertion,
  expected: string,
  deps: PasskeyLoginDeps,
): Promise<Extract<AssertionOutcome, { verified: true }> | undefined> {
  const passkey = await deps.passkeys.get(response.id);
  if (!passkey || passkey.userId !== user.id) return undefined;
  const outcome = await verifyAssertion(relyingParty(deps.config), response, expected, passkey, { requireUserVerification: false });
  return outcome.verified && (await recordUse(passkey, outcome, deps)) ? outcome : undefined;
}

async function passwordless(ceremonyId: string, response: Assertion, deps: PasskeyLoginDeps): Promise<PasskeySignIn> {
  const ceremony = CEREMONY_ID_SHAPE.test(ceremonyId) ? await deps.webauthnCeremonies.take(ceremonyId, 'authentication') : undefined;
  if (!ceremony || ceremony.expiresAt <= toEpochSeconds(deps.clock.now())) {
    throw new ValidationError(
      [{ field: 'ceremony_id', message: 'Unknown, expired or already answered: ask POST /login/webauthn/options again.' }],
      'No passkey challenge is pending.',
    );
  }
  // An assertion cannot be guessed (it is a signature), so failures are not charged to an account:
  // an unknown or refused credential is the password login's 401, and the route's IP budget bounds the cost.
  const passkey = await deps.passkeys.get(response.id);
  const user = passkey ? await deps.users.get(passkey.userId) : undefined;
  if (!passkey || !user) throw new InvalidCredentialsError();
  const outcome = await verifyAssertion(relyingParty(deps.config), response, ceremony.challenge, passkey, { requireUserVerification: true });
  if (!outcome.verified || !(await recordUse(passkey, outcome, deps))) {
    countMetric('LoginFailures');
    throw new InvalidCredentialsError();
  }
  // As authenticate() after a right password: a disabled account, or an unconfirmed address where one is needed, gets no tokens.
  if (user.status !== 'active') throw new AccountDisabledError();
  if (deps.config.registrationDisclosure === 'email' && !user.emailVerified) throw new InvalidCredentialsError();
  if (deps.config.requireVerifiedEmail && !user.emailVerified) throw new EmailNotVerifiedError();
  // RFC 8176: possession of the key (hwk/swk) and the authenticator's user verification (user): two factors.
  const amr = [passkeyAmr(outcome.deviceType), AMR.user, AMR.mfa];
  return { user, authentication: { authTime: toEpochSeconds(deps.clock.now()), amr, acr: acrFor(amr) } };
}

/**
 * Stores the new counter and backup state (§7.2, the last steps; §6.1.1): one conditional write on the counter
 * we verified against, so of two assertions racing with one counter value, one wins.
 */
async function recordUse(
  passkey: Passkey,
  outcome: Extract<AssertionOutcome, { verified: true }>,
  deps: Pick<Dependencies, 'passkeys' | 'clock'>,
): Promise<boolean> {
  return deps.passkeys.recordUse(passkey.credentialId, passkey.counter, { counter: outcome.newCounter, backedUp: outcome.backedUp, now: deps.clock.now() });
}

export type PasskeyLoginResultDeps = PasskeyLoginDeps & Pick<Dependencies, 'sessions' | 'accessTokens'>;

/** POST /login/webauthn: verifies the assertion, then starts the session as POST /login does (tokens and a device proof). */
export async function passkeyLogin(input: PasskeyAssertion, deps: PasskeyLoginResultDeps, client: LoginClient = {}): Promise<LoginResult> {
  const { user, authentication } = await verifyPasskeyLogin(input, deps, client);
  const settings = { issuer: deps.config.issuer, ttlSeconds: deps.config.loginThrottle.deviceProofTtlSeconds };
  const [tokens, deviceProof] = await Promise.all([startSession(user, deps, undefined, authentication), issueDeviceProof(user, { ...deps, settings })]);
  countMetric('Logins');
  return { user, deviceProof, ...tokens };
}
