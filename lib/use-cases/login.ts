// Logging in: check the password (against a dummy hash when the account does not exist, so both
// cases cost the same) under the failed-login throttle, upgrade an outdated hash, give the client
// a device proof, and start a session (refresh + access token). Every login route goes through
// authenticate(): native /login, POST /service-token's password form and the four dialects.
// While lazy migration is on (./lazy-migration.ts), an account that is not here yet (or has no
// usable hash) is checked against the legacy system, and every failed login is held to one floor.

import { noSoonerThan } from '../abuse/even-timing.ts';
import { reserveLoginAttempt } from '../abuse/login-throttle.ts';
import {
  AccountDisabledError,
  DependencyUnavailableError,
  EmailNotVerifiedError,
  InvalidCredentialsError,
  MfaEnrollmentRequiredError,
  MfaRequiredError,
  type SecondStepMethod,
  TooManyRequestsError,
  ValidationError,
} from '../domain/errors.ts';
import type { LegacyLogin } from '../domain/legacy-login.ts';
import { enrolledFactors, type User } from '../domain/user.ts';
import { hasUsablePassword } from '../domain/user-transfer.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../passwords/hashing.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';
import { issueDeviceProof, readDeviceProof } from '../tokens/device-proofs.ts';
import { issuedBeforeValidAfter } from '../tokens/signed-jwt.ts';
import type { Dependencies } from './dependencies.ts';
import { activeLegacyLogin, type LazyMigrationDeps, migrateAtLogin } from './lazy-migration.ts';
import { startSecondStep } from './mfa-challenges.ts';
import { recordNothing, recordSecurityEvent, reservedOrLockedOut, type SecurityEventDeps } from './security-events.ts';
import { type SessionTokens, startSession } from './sessions.ts';

export interface LoginCredentials {
  /** A username or an email address. */
  login: string;
  password: string;
}

/** Turns a validated login body into credentials: exactly one of username or email. */
export function credentialsFromBody(body: { username?: string | undefined; email?: string | undefined; password: string }): LoginCredentials {
  if (body.username !== undefined && body.email !== undefined) {
    throw new ValidationError([{ field: 'username', message: 'Send either username or email, not both.' }]);
  }
  const login = body.username ?? body.email;
  if (login === undefined) {
    throw new ValidationError([{ field: 'username', message: 'Send a username or an email.' }]);
  }
  return { login: login.trim(), password: body.password };
}

export interface LoginResult extends SessionTokens {
  user: User;
  /** A new device proof for the client (lib/tokens/device-proofs.ts): the Device-Proof header and cookie. */
  deviceProof: string;
}

/** What the client brought besides its credentials. */
export interface LoginClient {
  /** The device proof it showed (Device-Proof header or cookie), if any, unchecked. */
  deviceProof?: string | undefined;
  /**
   * What the route can do when the account needs a second factor (or, under MFA_POLICY=required,
   * to enrol one): `ask` (POST /login, the hosted login page) answers MfaRequiredError or
   * MfaEnrollmentRequiredError carrying an mfa_token to continue with; `cannot-ask` (the
   * compatibility dialects and POST /service-token, whose clients know no second step) refuses
   * with MfaRequiredError, unless MFA_DIALECTS=allow lets the password alone in. Default `cannot-ask`.
   */
  secondStep?: 'ask' | 'cannot-ask';
  /** The OAuth client the sign-in is for (the hosted login page): recorded with the login's security events. */
  clientId?: string | undefined;
}

export type AuthenticateDeps = Pick<Dependencies, 'users' | 'config' | 'throttles' | 'clock' | 'signer' | 'verificationKeys' | 'mfaChallenges'> &
  SecurityEventDeps &
  Pick<LazyMigrationDeps, 'userNumbers'> &
  Partial<Pick<LazyMigrationDeps, 'legacyLogin'>>;

export interface Authenticated<T> {
  user: User;
  /** A new device proof for this client. */
  deviceProof: string;
  /** What `whenAuthenticated` returned. */
  result: T;
}

/**
 * Checks the credentials, or throws InvalidCredentialsError, or TooManyRequestsError while the
 * client has to wait (lib/abuse/login-throttle.ts has the policy). The attempt is reserved before
 * the password is checked, alongside the user lookup, and settled after it, alongside
 * `whenAuthenticated` (starting the session, signing a token), so a successful login costs the
 * lookup's two reads and one write round, besides argon2. During a wait even the right password is
 * refused, or the wait would protect nothing.
 *
 * While lazy migration is on, an InvalidCredentialsError comes no sooner than
 * MIGRATE_FAILED_LOGIN_MIN_MS after the start, so an unknown account, one the legacy system refused
 * and a wrong password here cannot be told apart by time (the legacy call takes its own time).
 */
export async function authenticate<T>(
  credentials: LoginCredentials,
  deps: AuthenticateDeps,
  client: LoginClient,
  whenAuthenticated: (user: User) => Promise<T>,
): Promise<Authenticated<T>> {
  // Read once: deps builds each dependency at its first read (lib/support/lazily.ts), so never spread it.
  const legacy = activeLegacyLogin(deps.legacyLogin, deps);
  if (!legacy) return authenticateHere(credentials, deps, client, whenAuthenticated, undefined);
  const started = performance.now();
  try {
    return await authenticateHere(credentials, deps, client, whenAuthenticated, legacy);
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      await noSoonerThan(deps.config.migration.failedLoginMinMs - (performance.now() - started), async () => undefined);
    }
    throw error;
  }
}

async function authenticateHere<T>(
  credentials: LoginCredentials,
  deps: AuthenticateDeps,
  client: LoginClient,
  whenAuthenticated: (user: User) => Promise<T>,
  legacy: LegacyLogin | undefined,
): Promise<Authenticated<T>> {
  const settings = { issuer: deps.config.issuer, ttlSeconds: deps.config.loginThrottle.deviceProofTtlSeconds };
  const viaClient = client.clientId ? { clientId: client.clientId } : {};
  const shown = client.deviceProof ? await readDeviceProof(client.deviceProof, { ...deps, settings }) : undefined;
  const { user: found, attempt } = await countedIfThrottled(async () => {
    const lookup = deps.users.findByLogin(credentials.login);
    // A refusal by the throttle is a lockout event of the account, when there is one.
    const reservation = reservedOrLockedOut(reserveLoginAttempt(credentials.login, shown?.deviceId, deps), async () => (await lookup)?.id, deps, viaClient);
    const [user, attempt] = await Promise.all([lookup, reservation]);
    // The proof counts only for the account it was issued for, and only if issued since the user's
    // valid-after time (log out everywhere, password reset); otherwise the client is untrusted.
    if (attempt.trusted && !(user && shown && shown.userId === user.id && !issuedBeforeValidAfter(shown.issuedAt, user))) await attempt.untrust();
    return { user, attempt };
  });
  // An account without a usable hash (imported with none) costs the same argon2 work as an unknown one.
  const usable = found && hasUsablePassword(found) ? found : undefined;
  let user = found;
  let valid = await verifyPassword(usable?.passwordHash ?? (await dummyPasswordHash(deps.config.argon2)), credentials.password);
  if (!usable && legacy) {
    // Not here yet, or imported without a hash: the legacy system decides (its outage is a 503).
    const migrated = await migrateAtLogin(legacy, credentials, found, deps).catch(async (error: unknown) => {
      // Its outage judged no password: the attempt is taken back, so users are not locked out by it.
      if (error instanceof DependencyUnavailableError) await attempt.withdrawn();
      throw error;
    });
    if (migrated) {
      user = migrated;
      valid = true;
    }
  }
  // REGISTRATION_DISCLOSURE=email: registering someone else's address must not be told apart from a
  // new account by logging in with the password just chosen, so an unconfirmed address logs in
  // nowhere and is answered (and counted) as a wrong password (lib/use-cases/registration.ts).
  const unconfirmed = deps.config.registrationDisclosure === 'email' && user !== undefined && !user.emailVerified;
  if (!user || !valid || unconfirmed) {
    // Only a wrong password of an existing account is its owner's event; a name nobody has is no
    // one's, but costs the same write, so the two answers take the same time (ASVS V6.3.8).
    await Promise.all([
      attempt.failed(),
      user
        ? recordSecurityEvent(user.id, 'login_failed', deps, { ...viaClient, details: { reason: valid ? 'email_not_confirmed' : 'wrong_password' } })
        : recordNothing(deps),
    ]);
    countMetric('LoginFailures');
    throw new InvalidCredentialsError();
  }
  if (user.status !== 'active' || (deps.config.requireVerifiedEmail && !user.emailVerified)) {
    await attempt.succeeded();
    throw user.status !== 'active' ? new AccountDisabledError() : new EmailNotVerifiedError();
  }
  const secondStep = secondStepNeeded(user, client, deps);
  if (secondStep) {
    // The password was right: its streak ends; the second step's wrong codes are charged on their own.
    await attempt.succeeded();
    throw await secondStep();
  }
  const [, , deviceProof, result] = await allSettledOrThrow([
    attempt.succeeded(),
    recordSecurityEvent(user.id, 'login_succeeded', deps, { ...viaClient, details: { method: 'password' } }),
    issueDeviceProof(user, { ...deps, settings }),
    whenAuthenticated(user),
    needsRehash(user.passwordHash, deps.config.argon2) ? upgradeHash(user, credentials.password, deps) : undefined,
  ] as const);
  countMetric('Logins');
  return { user, deviceProof, result };
}

/**
 * Whether the password alone may not finish this login, and if so the error that says what comes
 * next (built lazily: only the `ask` routes store an mfa_token).
 */
function secondStepNeeded(user: User, client: LoginClient, deps: AuthenticateDeps): (() => Promise<Error>) | undefined {
  const factors = enrolledFactors(user);
  const { policy, dialects } = deps.config.mfa;
  if (factors.length === 0 && policy !== 'required') return undefined;
  if (client.secondStep !== 'ask') {
    // MFA_DIALECTS=allow: documented as weaker (the tokens say acr aal1).
    return dialects === 'allow' ? undefined : async () => new MfaRequiredError();
  }
  if (factors.length === 0) return async () => new MfaEnrollmentRequiredError(await startSecondStep(user, 'enrollment', deps));
  const methods: SecondStepMethod[] = [...factors, 'recovery_code'];
  return async () => new MfaRequiredError({ mfaToken: await startSecondStep(user, 'second_factor', deps), methods });
}

/** Runs the reservation, counting a refusal by the throttle (LoginsThrottled: the lockout alarm's metric). */
async function countedIfThrottled<T>(reserve: () => Promise<T>): Promise<T> {
  try {
    return await reserve();
  } catch (error) {
    if (error instanceof TooManyRequestsError) countMetric('LoginsThrottled');
    throw error;
  }
}

/** Like Promise.all, but waits for every promise before throwing the first failure (no write left running unobserved). */
async function allSettledOrThrow<const P extends readonly unknown[]>(promises: P): Promise<{ -readonly [K in keyof P]: Awaited<P[K]> }> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof P]: Awaited<P[K]> };
}

/** The user behind the credentials (see authenticate), for callers that deliver no device proof. */
export async function authenticateUser(credentials: LoginCredentials, deps: AuthenticateDeps, client: LoginClient = {}): Promise<User> {
  return (await authenticate(credentials, deps, client, async () => undefined)).user;
}

async function upgradeHash(user: User, password: string, deps: Pick<Dependencies, 'users' | 'config'>): Promise<void> {
  const newHash = await hashPassword(password, deps.config.argon2);
  // Conditional on the old hash: a password change that raced this login wins.
  if (await deps.users.replacePasswordHash(user.id, user.passwordHash, newHash)) user.passwordHash = newHash;
  else log.info('password hash upgrade skipped: the hash changed meanwhile', { userId: user.id });
}

export async function login(credentials: LoginCredentials, deps: Dependencies, client: LoginClient = {}): Promise<LoginResult> {
  const { user, deviceProof, result } = await authenticate(credentials, deps, client, (user) => startSession(user, deps));
  return { user, deviceProof, ...result };
}
