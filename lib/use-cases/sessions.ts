// Sessions from the client's side: starting one at login, and keeping it alive with a refresh
// token that rotates on every use (RFC 9700 §4.14.2). A refresh token presented a second time
// means it was copied: the whole session is revoked, the thief's and the owner's tokens alike;
// except within REFRESH_REUSE_GRACE_SECONDS of its use, and only while its successor is unused,
// when the replay takes the successor's place (the session still has one live refresh token).
import { randomUUID } from 'node:crypto';
import { type Authentication, passwordAuthentication } from '../domain/authentication.ts';
import { InvalidRefreshTokenError } from '../domain/errors.ts';
import { endedByValidAfter, type Family, type Rotation, type RotationOutcome, type StoredRefreshToken } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';
import { requestOrigin } from '../support/request-context.ts';
import { type IssuedToken, issueAccessToken } from '../tokens/access-tokens.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

export interface SessionTokens {
  accessToken: IssuedToken;
  refreshToken: string;
  sessionId: string;
}

export type SessionDeps = Pick<Dependencies, 'sessions' | 'users' | 'signer' | 'clock' | 'accessTokens' | 'config'> & SecurityEventDeps;

/**
 * Claims a dialect adds to the access tokens of its sessions (simplejwt's `user_id` and
 * `token_type`); ours are signed after them, so they cannot be overridden.
 */
export type ExtraClaims = (user: User) => Promise<Record<string, unknown>> | Record<string, unknown>;

async function accessTokenFor(
  user: User,
  sessionId: string,
  deps: SessionDeps,
  authentication: Authentication,
  extraClaims?: ExtraClaims,
): Promise<IssuedToken> {
  const extra = extraClaims ? await extraClaims(user) : undefined;
  return issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens }, sessionId, extra, authentication);
}

/** How a session's user authenticated; sessions from before MFA existed had a password, at their start. */
export function sessionAuthentication(family: Pick<Family, 'authentication' | 'createdAt'>): Authentication {
  return family.authentication ?? passwordAuthentication(toEpochSeconds(family.createdAt));
}

/**
 * An access token without a session, as the TCAP, EclecticIQ and Opentact logins answer: it ends
 * at its `exp`, when its jti is revoked (their logout), or with "log out everywhere".
 */
export async function sessionlessAccessToken(user: User, deps: Pick<Dependencies, 'signer' | 'clock' | 'accessTokens'>): Promise<IssuedToken> {
  // Only the dialects' password logins answer these.
  const authentication = passwordAuthentication(toEpochSeconds(deps.clock.now()));
  const token = await issueAccessToken(user, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens }, undefined, undefined, authentication);
  countMetric('TokensIssued');
  return token;
}

/**
 * Starts a session for an authenticated user: a new refresh family and a first access token.
 * @param authentication how the user just authenticated; a password, now, unless told otherwise
 */
export async function startSession(user: User, deps: SessionDeps, extraClaims?: ExtraClaims, authentication?: Authentication): Promise<SessionTokens> {
  const now = deps.clock.now();
  const how = authentication ?? passwordAuthentication(toEpochSeconds(now));
  const refreshToken = randomSecret();
  const sessionId = randomUUID();
  // Signing (CPU) overlaps the session write (I/O); nothing is returned unless both succeed.
  const [accessToken] = await Promise.all([
    accessTokenFor(user, sessionId, deps, how, extraClaims),
    deps.sessions.create({
      familyId: sessionId,
      userId: user.id,
      refreshTokenHash: sha256(refreshToken),
      expiresAt: toEpochSeconds(now) + deps.config.refreshTokenTtlSeconds,
      // A login in the very millisecond of "log out everywhere" must still count as after it.
      createdAt: Math.max(now, user.validAfterMs ?? 0),
      authentication: how,
      origin: requestOrigin(),
    }),
  ]);
  countMetric('TokensIssued', 2);
  return { accessToken, refreshToken, sessionId };
}

/** What a refresh of one kind of session checks and signs (native /refresh, or an OAuth client's). */
export interface RefreshPolicy<Signed> {
  /**
   * Throws when this caller may not refresh `family`: a native refresh takes no OAuth client's
   * session, and a client only its own (OAuth 2.1 §4.3.1: a refresh token is bound to its client).
   * Runs before anything is signed or spent.
   */
  admit(family: Family): void | Promise<void>;
  /** What the answer carries, signed before the rotation commits. */
  sign(user: User, family: Family): Promise<Signed>;
}

export interface Rotated<Signed> {
  signed: Signed;
  refreshToken: string;
  sessionId: string;
}

/**
 * Rotates a refresh token: checks it, its session and its user, signs the answer, spends the token
 * and stores its successor; a reuse outside the grace ends the session. InvalidRefreshTokenError
 * for anything refused.
 */
export async function rotateRefreshToken<Signed>(refreshToken: string, deps: SessionDeps, policy: RefreshPolicy<Signed>): Promise<Rotated<Signed>> {
  const now = deps.clock.now();
  const nowSeconds = toEpochSeconds(now);
  const tokenHash = sha256(refreshToken);
  const stored = await deps.sessions.findRefreshToken(tokenHash);
  // DynamoDB deletes expired items lazily, so expiry is checked here, not left to TTL.
  if (!stored || stored.expiresAt <= nowSeconds) throw new InvalidRefreshTokenError();
  const [family, user] = await Promise.all([deps.sessions.getFamily(stored.familyId), deps.users.get(stored.userId)]);
  if (!family || family.revoked || family.expiresAt <= nowSeconds) throw new InvalidRefreshTokenError();
  if (user?.status !== 'active') throw new InvalidRefreshTokenError();
  // "Log out everywhere" (or a password change) ended every session started before it, but the one it spared.
  if (endedByValidAfter(family.createdAt, family.familyId, user)) throw new InvalidRefreshTokenError();
  // Another kind of session's token is refused as it is, unspent: presenting it here is no reuse.
  await policy.admit(family);

  // Signed before the rotation commits: if signing fails (e.g. the signing keys cannot be loaded),
  // the refresh token is still unused and the client can simply retry.
  const signed = await policy.sign(user, family);
  const nextToken = randomSecret();
  const rotation: Rotation = { old: stored, newTokenHash: sha256(nextToken), now, expiresAt: nowSeconds + deps.config.refreshTokenTtlSeconds };
  let outcome: RotationOutcome = stored.used ? 'used' : await deps.sessions.rotate(rotation);
  if (outcome === 'used') outcome = await retryWithinGrace(rotation, deps);
  if (outcome === 'used') {
    await Promise.all([
      deps.sessions.revokeFamily(stored.familyId, 'refresh token reuse', now),
      recordSecurityEvent(stored.userId, 'refresh_token_reused', deps, {
        details: { session_id: stored.familyId },
        ...(family.grant ? { clientId: family.grant.clientId } : {}),
      }),
    ]);
    log.warn('refresh token reused: session revoked', { userId: stored.userId, sessionId: stored.familyId });
    countMetric('RefreshTokenReuse');
    throw new InvalidRefreshTokenError();
  }
  if (outcome === 'revoked') throw new InvalidRefreshTokenError();
  return { signed, refreshToken: nextToken, sessionId: stored.familyId };
}

/** Exchanges a refresh token for a new access token and a new refresh token. */
export async function refreshSession(refreshToken: string, deps: SessionDeps, extraClaims?: ExtraClaims): Promise<SessionTokens> {
  const rotated = await rotateRefreshToken(refreshToken, deps, {
    // An OAuth client's session is refreshed at /oauth/token, by that client only (OAuth 2.1 §4.3.1).
    admit: (family) => {
      if (family.grant) throw new InvalidRefreshTokenError();
    },
    sign: (user, family) => accessTokenFor(user, family.familyId, deps, sessionAuthentication(family), extraClaims),
  });
  countMetric('TokensIssued', 2);
  return { accessToken: rotated.signed, refreshToken: rotated.refreshToken, sessionId: rotated.sessionId };
}

/** A replay that keeps losing to other replays of the same token gives up rather than spin. */
const MAX_GRACE_ATTEMPTS = 8;

/**
 * REFRESH_REUSE_GRACE_SECONDS: a token used less than that long ago may be exchanged again, for a
 * client that lost the answer to its refresh or a second tab that refreshed at the same moment
 * (Okta and Auth0 offer the same). Only the latest used token qualifies, and only while its
 * successor is unused; the replay spends that successor, so the session never forks (only the
 * newest answer's refresh token works). 0 turns the grace off.
 */
async function retryWithinGrace(rotation: Rotation, deps: SessionDeps): Promise<RotationOutcome> {
  const graceMs = deps.config.refreshReuseGraceSeconds * 1000;
  if (graceMs === 0) return 'used';
  for (let attempt = 0; attempt < MAX_GRACE_ATTEMPTS; attempt += 1) {
    // Read again: a token that lost a race was unused when first read, and each replay moves its successor on.
    const current: StoredRefreshToken | undefined = await deps.sessions.findRefreshToken(rotation.old.tokenHash);
    if (current?.usedAt === undefined || rotation.now - current.usedAt > graceMs) return 'used';
    const outcome = await deps.sessions.replaceSuccessor({ ...rotation, old: current });
    if (outcome !== 'raced') return outcome;
  }
  // Every attempt lost to another replay of this very token: refused, but nothing proves theft.
  log.warn('refresh token replay kept losing races within the grace period', { sessionId: rotation.old.familyId });
  throw new InvalidRefreshTokenError();
}

/**
 * A new access token for a refresh token that stays valid (simplejwt's default,
 * ROTATE_REFRESH_TOKENS=False, chosen per dialect): nothing is spent or written, so concurrent
 * refreshes cannot race. The token works until it expires or its session ends (logout, "log out
 * everywhere", an administrator, a disabled account); the access tokens it gave carry the session
 * (`sid`), so ending the session ends them too, even one signed while the logout was under way.
 * There is no reuse detection: a copied refresh token works as long as the original
 * (SECURITY.md, "Refresh tokens of the Django dialects").
 */
export async function refreshWithoutRotation(refreshToken: string, deps: SessionDeps, extraClaims?: ExtraClaims): Promise<IssuedToken> {
  const nowSeconds = toEpochSeconds(deps.clock.now());
  const stored = await deps.sessions.findRefreshToken(sha256(refreshToken));
  // A token spent by a rotation (the setting was "rotate" when it was used) has a successor: refused.
  if (!stored || stored.expiresAt <= nowSeconds || stored.used) throw new InvalidRefreshTokenError();
  const [family, user] = await Promise.all([deps.sessions.getFamily(stored.familyId), deps.users.get(stored.userId)]);
  if (!family || family.expiresAt <= nowSeconds) throw new InvalidRefreshTokenError();
  // An OAuth client's session is refreshed at /oauth/token, by that client only (OAuth 2.1 §4.3.1).
  if (family.grant) throw new InvalidRefreshTokenError();
  if (family.revoked) throw new InvalidRefreshTokenError('revoked');
  if (user?.status !== 'active') throw new InvalidRefreshTokenError();
  if (endedByValidAfter(family.createdAt, family.familyId, user)) throw new InvalidRefreshTokenError('revoked');
  const token = await accessTokenFor(user, family.familyId, deps, sessionAuthentication(family), extraClaims);
  countMetric('TokensIssued');
  return token;
}
