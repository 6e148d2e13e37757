// Access tokens: RS256 JWTs in the RFC 9068 profile (typ "at+jwt"). Verification follows RFC 8725:
// the algorithm is fixed by us, keys come only from our own key ring, and typ, iss, aud, exp and
// nbf are all checked. Errors say little: expired, or invalid.
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../clock.ts';
import { toEpochSeconds } from '../clock.ts';
import { InvalidTokenError, TokenExpiredError } from '../errors.ts';
import type { User } from '../store/users.ts';
import { verifyJwt, peekHeader } from './jwt-verify.ts';
import { SIGNING_ALG, type KeyRing } from './key-ring.ts';

export const ACCESS_TOKEN_TYP = 'at+jwt';

/** Leeway for clock skew between us and whoever checks our tokens. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  clientId: string;
  ttlSeconds: number;
}

export interface AccessTokenClaims extends JWTPayload {
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

export async function issueAccessToken(
  user: User,
  deps: { keyRing: KeyRing; clock: Clock; settings: AccessTokenSettings },
): Promise<IssuedToken> {
  const { kid, privateKey } = await deps.keyRing.signingKey();
  const iat = toEpochSeconds(deps.clock.now());
  const exp = iat + deps.settings.ttlSeconds;
  const jti = randomUUID();
  const token = await new SignJWT({
    client_id: deps.settings.clientId,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    permissions: user.permissions,
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(deps.settings.issuer)
    .setSubject(user.id)
    .setAudience(deps.settings.audience)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(privateKey);
  return { token, jti, expiresAt: exp * 1000 };
}

/** Verifies an access token and returns its claims; throws TokenExpiredError or InvalidTokenError. */
export async function verifyAccessToken(
  token: string,
  deps: { keyRing: KeyRing; clock: Clock; settings: Pick<AccessTokenSettings, 'issuer' | 'audience'> },
): Promise<AccessTokenClaims> {
  const kid = peekHeader(token)?.kid;
  const key = typeof kid === 'string' ? await deps.keyRing.verificationKey(kid) : undefined;
  const result = verifyJwt(token, key, {
    typ: ACCESS_TOKEN_TYP,
    issuer: deps.settings.issuer,
    audience: deps.settings.audience,
    nowSeconds: toEpochSeconds(deps.clock.now()),
    toleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'jti', 'exp', 'iat'],
  });
  if (!result.ok) throw result.reason === 'expired' ? new TokenExpiredError() : new InvalidTokenError();
  return result.payload as AccessTokenClaims;
}
