// Real credentials for the property tests, so generated requests reach the code behind
// authentication too: good tokens of every kind, and bad ones that are bad in every way an attacker
// would try (expired, revoked, re-signed, alg none, another key id, a forged API token, ...).
// Built with the handlers' own dependencies (call after loadHandlers()), on DynamoDB Local.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { TokenType } from '../../../lib/auth/token-checker.ts';
import type { User } from '../../../lib/domain/user.ts';
import { hashPassword } from '../../../lib/passwords/hashing.ts';
import { toEpochSeconds } from '../../../lib/support/clock.ts';
import { issueAccessToken } from '../../../lib/tokens/access-tokens.ts';
import { newApiToken } from '../../../lib/tokens/api-token-format.ts';
import { randomSecret, sha256 } from '../../../lib/tokens/opaque.ts';
import { createApiToken } from '../../../lib/use-cases/api-tokens.ts';
import { logout } from '../../../lib/use-cases/logout.ts';
import { issueServiceTokenFor } from '../../../lib/use-cases/service-token.ts';
import { type SessionTokens, startSession } from '../../../lib/use-cases/sessions.ts';
import { dependencies } from '../../../lib/wiring/dependencies.ts';

export interface CredentialPool {
  username: string;
  email: string;
  password: string;
  /** Good when made: an access token, a service token, an API token (cases may revoke them). */
  goodTokens: string[];
  /** The kind of each of goodTokens, as the token checker names it. */
  goodTokenTypes: Record<string, TokenType>;
  /** Signed JWTs to tamper with. */
  jwts: string[];
  /** Refused for a reason of their own each. */
  badTokens: string[];
  refreshTokens: string[];
  /** Live password-reset and verification link tokens (of another user, so a reset ends nobody's session here). */
  linkTokens: string[];
  apiTokenIds: string[];
  userId: string;
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** One argon2 hash per test file: every pool's users share the password, not the accounts. */
let hashed: { password: string; hash: string } | undefined;

async function storeUser(password: string, prefix: string): Promise<User> {
  const deps = dependencies();
  if (hashed?.password !== password) hashed = { password, hash: await hashPassword(password, deps.config.argon2) };
  const id = randomBytes(5).toString('hex');
  const now = new Date().toISOString();
  const user: User = {
    id: randomUUID(),
    username: `${prefix}_${id}`,
    email: `${prefix}.${id}@example.com`,
    emailVerified: false,
    profile: {},
    passwordHash: hashed.hash,
    status: 'active',
    permissions: [],
    createdAt: now,
    updatedAt: now,
  };
  await deps.users.create(user);
  return user;
}

const PASSWORD = `pw-${randomBytes(9).toString('base64url')}`;

/**
 * A fresh user with `sessions` logins, tokens and links. Each endpoint gets its own pool: its cases
 * log out, rotate and reset, and must not spoil the next endpoint's good credentials.
 */
export async function credentialPool(sessions = 12): Promise<CredentialPool> {
  const deps = dependencies();
  const password = PASSWORD;
  const user = await storeUser(password, 'prop');
  const logins = await Promise.all(Array.from({ length: Math.max(sessions, 3) }, () => startSession(user, deps)));
  const [first, second, third] = logins as [SessionTokens, SessionTokens, SessionTokens];
  const caller = await deps.tokenChecker.check(first.accessToken.token, deps.accessTokens.audience);
  const { token: serviceToken } = await issueServiceTokenFor(user, 'hash-verification', deps);
  const api = await createApiToken(caller, { name: 'property tests' }, deps);

  // Revoked: logged out. Expired: issued three hours ago.
  await logout(await deps.tokenChecker.check(third.accessToken.token, deps.accessTokens.audience), undefined, deps);
  const pastClock = { now: () => Date.now() - 3 * 3600_000 };
  const expired = await issueAccessToken(user, { signer: deps.signer, clock: pastClock, settings: deps.accessTokens });

  const access = first.accessToken.token;
  const [header, payload, signature] = access.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const jwk = (await deps.verificationKeys.publicJwks())[0]!;
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid! })
    .sign(new TextEncoder().encode(JSON.stringify(jwk)));
  const badTokens = [
    expired.token,
    third.accessToken.token,
    // alg none, with and without a signature part
    `${b64url({ alg: 'none', typ: 'at+jwt', kid: jwk.kid })}.${payload}.`,
    `${b64url({ alg: 'none', typ: 'at+jwt' })}.${payload}`,
    `${b64url({ alg: 'none' })}.${payload}.${signature}`,
    // HS256 keyed with the public key (the classic algorithm confusion)
    hs256,
    // another user, the same signature
    `${header}.${b64url({ ...claims, sub: randomUUID() })}.${signature}`,
    // an unknown key id, a key id that is not text, a JWK smuggled into the header
    `${b64url({ alg: 'RS256', typ: 'at+jwt', kid: 'nope' })}.${payload}.${signature}`,
    `${b64url({ alg: 'RS256', typ: 'at+jwt', kid: { $ne: null } })}.${payload}.${signature}`,
    `${b64url({ alg: 'RS256', typ: 'at+jwt', jwk })}.${payload}.${signature}`,
    // the service token where an access token is wanted, and the other way round is in goodTokens
    `${header}.${payload}`,
    `${header}.${payload}.${signature}.${signature}`,
    `${header}..${signature}`,
    // API tokens: a valid checksum but nothing stored, and a wrong checksum
    newApiToken(user.id).token,
    newApiToken(randomUUID()).token,
    `${api.token.slice(0, -1)}${api.token.endsWith('0') ? '1' : '0'}`,
  ];

  // Link tokens belong to another user: a generated reset that happens to succeed ends only that user's sessions.
  const linkUser = await storeUser(password, 'proplink');
  const resetToken = randomSecret();
  const verifyToken = randomSecret();
  const nowMs = Date.now();
  const expiresAt = toEpochSeconds(nowMs) + 3600;
  await deps.oneTimeTokens.createResetToken(sha256(resetToken), { userId: linkUser.id, expiresAt }, nowMs);
  await deps.oneTimeTokens.createVerifyToken(sha256(verifyToken), { userId: linkUser.id, email: linkUser.email, expiresAt }, nowMs);

  const accessTokens = [access, ...logins.slice(3).map((l) => l.accessToken.token), second.accessToken.token];
  const goodTokenTypes: Record<string, TokenType> = {
    ...Object.fromEntries(accessTokens.map((t) => [t, 'access_token' as const])),
    [serviceToken.token]: 'service_token',
    [api.token]: 'api_token',
  };

  return {
    username: user.username,
    email: user.email,
    password,
    userId: user.id,
    goodTokens: [...accessTokens, serviceToken.token, api.token],
    goodTokenTypes,
    jwts: [access, serviceToken.token, expired.token],
    badTokens,
    refreshTokens: logins.map((l) => l.refreshToken),
    linkTokens: [resetToken, verifyToken],
    apiTokenIds: [api.record.id],
  };
}
