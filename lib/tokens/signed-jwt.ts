// Signing and checking our own JWTs, whatever their kind (access or service token). Each kind has
// its own `typ` and audience, and a token is only ever checked against one kind, so a token of one
// kind can never pass as another (RFC 8725 §3.11, explicit typing).
import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { InvalidTokenError, TokenExpiredError } from '../domain/errors.ts';
import { endedByValidAfter } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { verifyJwt } from './jwt-verify.ts';
import type { Signer } from './signer.ts';
import { SIGNING_ALG } from './signing-alg.ts';
import type { VerificationKeys } from './verification-keys.ts';

/**
 * The default leeway for clock skew (TOKEN_CLOCK_LEEWAY_SECONDS). We issue and verify our tokens
 * ourselves, on Lambda hosts whose clocks NTP keeps within milliseconds, so a few seconds cover it;
 * a larger leeway would make the `expires_at` we return untrue by that much.
 */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface TokenKind {
  typ: string;
  issuer: string;
  audience: string;
  /** Seconds past `exp` (and before `nbf`) the token is still accepted; CLOCK_TOLERANCE_SECONDS when absent. */
  clockLeewaySeconds?: number;
}

/** Signing needs the signer (private keys); verifying needs only the public keys. */
export interface SignDeps {
  signer: Signer;
  clock: Clock;
}

export interface VerifyDeps {
  verificationKeys: VerificationKeys;
  clock: Clock;
}

/** The claims every token we sign carries about its user. */
export interface UserClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  client_id: string;
  username: string;
  email: string;
  email_verified: boolean;
  permissions: string[];
}

export interface IssuedToken {
  token: string;
  jti: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The iat of a token issued now. After "log out everywhere" at time T (ms), tokens issued in the
 * same second must still count as later than T, so iat is rounded up to T's next whole second.
 */
export function issuedAtSeconds(nowMs: number, user: Pick<User, 'validAfterMs'>): number {
  const nowSeconds = toEpochSeconds(nowMs);
  return user.validAfterMs === undefined ? nowSeconds : Math.max(nowSeconds, Math.ceil(user.validAfterMs / 1000));
}

/**
 * Whether a token issued at `iat` (seconds) predates the user's "valid after" time, and is not of
 * the session that time spared (`sid`, see endedByValidAfter).
 */
export function issuedBeforeValidAfter(iat: number, user: Pick<User, 'validAfterMs' | 'keptSessionId'>, sid?: string): boolean {
  return endedByValidAfter(iat * 1000, sid, user);
}

/** The registered claims of a token we sign (RFC 7519 §4.1), and its header's `typ`. */
export interface Registered {
  typ: string;
  issuer: string;
  subject: string;
  audience: string;
  /** Epoch seconds; also `nbf` unless `notBefore` is false. */
  iat: number;
  ttlSeconds: number;
  /** A `jti` (a fresh UUID); ID tokens have none. Default true. */
  jti?: boolean;
  /** An `nbf` equal to `iat`; ID tokens have none (OIDC Core §2 does not define it). Default true. */
  notBefore?: boolean;
}

/** Signs `claims` with the current signing key (RS256, `kid` from our JWKS): every JWT we issue goes through here. */
export async function signJwt(claims: Record<string, unknown>, registered: Registered, deps: SignDeps): Promise<IssuedToken> {
  const { kid, privateKey } = await deps.signer.signingKey();
  const exp = registered.iat + registered.ttlSeconds;
  const jti = registered.jti === false ? '' : randomUUID();
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: registered.typ })
    .setIssuer(registered.issuer)
    .setSubject(registered.subject)
    .setAudience(registered.audience)
    .setIssuedAt(registered.iat)
    .setExpirationTime(exp);
  if (registered.notBefore !== false) jwt.setNotBefore(registered.iat);
  if (jti) jwt.setJti(jti);
  return { token: await jwt.sign(privateKey), jti, expiresAt: exp * 1000 };
}

export async function signUserToken(
  user: User,
  kind: TokenKind & { clientId: string; ttlSeconds: number; extraClaims?: Record<string, unknown> },
  deps: SignDeps,
): Promise<IssuedToken> {
  const claims = {
    ...kind.extraClaims,
    client_id: kind.clientId,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    permissions: user.permissions,
  };
  const iat = issuedAtSeconds(deps.clock.now(), user);
  return signJwt(claims, { typ: kind.typ, issuer: kind.issuer, subject: user.id, audience: kind.audience, iat, ttlSeconds: kind.ttlSeconds }, deps);
}

/** Verifies signature and claims for one kind of token; throws TokenExpiredError or InvalidTokenError. */
export async function verifyUserToken<C extends UserClaims>(token: string, kind: TokenKind, deps: VerifyDeps): Promise<C> {
  const options = {
    typ: kind.typ,
    issuer: kind.issuer,
    audience: kind.audience,
    nowSeconds: toEpochSeconds(deps.clock.now()),
    toleranceSeconds: kind.clockLeewaySeconds ?? CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'jti', 'exp', 'iat'],
  };
  // Hot path: a key this instance already holds, chosen synchronously from the header.
  let uncachedKid: string | undefined;
  let result = verifyJwt(
    token,
    (header) => {
      if (typeof header.kid !== 'string') return undefined;
      const key = deps.verificationKeys.cachedVerificationKey(header.kid);
      if (!key) uncachedKid = header.kid;
      return key;
    },
    options,
  );
  // Otherwise load the key set (or reload it for a kid we have not seen) and verify again.
  if (uncachedKid !== undefined) result = verifyJwt(token, await deps.verificationKeys.verificationKey(uncachedKid), options);
  if (!result.ok) throw result.reason === 'expired' ? new TokenExpiredError() : new InvalidTokenError();
  const payload = result.payload;
  // Signed by us, so these hold; checked anyway because the revocation lookup keys on them.
  if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    throw new InvalidTokenError();
  }
  return payload as C;
}
