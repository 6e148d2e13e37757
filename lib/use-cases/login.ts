// Logging in: check the password (against a dummy hash when the account does not exist, so both
// cases cost the same), upgrade an outdated hash, and start a session (refresh + access token).

import { loginSubject, startLoginAttempt } from '../abuse/login-throttle.ts';
import { AccountDisabledError, EmailNotVerifiedError, InvalidCredentialsError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../passwords/hashing.ts';
import { log } from '../support/log.ts';
import type { Dependencies } from './dependencies.ts';
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
}

/**
 * Checks the credentials and returns the user, or throws InvalidCredentialsError, or
 * TooManyRequestsError while the account is throttled (lib/abuse/login-throttle.ts). The throttle
 * is read beside the password check, so it adds no round trip; during a wait even the right
 * password is refused, or the wait would protect nothing.
 */
export async function authenticateUser(credentials: LoginCredentials, deps: Pick<Dependencies, 'users' | 'config' | 'throttles' | 'clock'>): Promise<User> {
  const user = await deps.users.findByLogin(credentials.login);
  const [valid, attempt] = await Promise.all([
    verifyPassword(user?.passwordHash ?? (await dummyPasswordHash(deps.config.argon2)), credentials.password),
    startLoginAttempt(loginSubject(user, credentials.login), deps),
  ]);
  attempt.refuseIfWaiting();
  // REGISTRATION_DISCLOSURE=email: registering someone else's address must not be told apart from a
  // new account by logging in with the password just chosen, so an unconfirmed address logs in
  // nowhere and is answered (and counted) as a wrong password (lib/use-cases/registration.ts).
  const unconfirmed = deps.config.registrationDisclosure === 'email' && user !== undefined && !user.emailVerified;
  if (!user || !valid || unconfirmed) {
    await attempt.recordFailure();
    throw new InvalidCredentialsError();
  }
  await attempt.recordSuccess();
  if (user.status !== 'active') throw new AccountDisabledError();
  if (deps.config.requireVerifiedEmail && !user.emailVerified) throw new EmailNotVerifiedError();
  if (needsRehash(user.passwordHash, deps.config.argon2)) await upgradeHash(user, credentials.password, deps);
  return user;
}

async function upgradeHash(user: User, password: string, deps: Pick<Dependencies, 'users' | 'config'>): Promise<void> {
  const newHash = await hashPassword(password, deps.config.argon2);
  // Conditional on the old hash: a password change that raced this login wins.
  if (await deps.users.replacePasswordHash(user.id, user.passwordHash, newHash)) user.passwordHash = newHash;
  else log.info('password hash upgrade skipped: the hash changed meanwhile', { userId: user.id });
}

export async function login(credentials: LoginCredentials, deps: Dependencies): Promise<LoginResult> {
  const user = await authenticateUser(credentials, deps);
  return { user, ...(await startSession(user, deps)) };
}
