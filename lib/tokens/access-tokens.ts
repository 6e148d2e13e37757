// Access tokens: RS256 JWTs in the RFC 9068 profile (typ "at+jwt"), carrying the session id (`sid`)
// of the login they belong to, so ending that session ends them too.
import type { Authentication } from '../domain/authentication.ts';
import { InvalidTokenError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { type IssuedToken, type SignDeps, signUserToken, type UserClaims, type VerifyDeps, verifyUserToken } from './signed-jwt.ts';

export { CLOCK_TOLERANCE_SECONDS, type IssuedToken } from './signed-jwt.ts';

export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  clientId: string;
  ttlSeconds: number;
  /** TOKEN_CLOCK_LEEWAY_SECONDS: how long past `exp` verification still accepts the token. */
  clockLeewaySeconds?: number;
}

export interface AccessTokenClaims extends UserClaims {
  /** The refresh family (login session) this token was issued in. */
  sid?: string;
  /** RFC 9068 §2.2.1 / OIDC Core §2: when and how the user last authenticated interactively (step-up reads them). */
  auth_time?: number;
  amr?: string[];
  acr?: string;
}

type Deps = SignDeps & { settings: AccessTokenSettings };

/**
 * @param extraClaims claims a dialect adds (simplejwt's `user_id`, `token_type`); the registered
 *   and user claims, `sid` and the authentication's, are signed after them and always win.
 * @param authentication how the user authenticated (RFC 9068 §2.2.1 auth_time, acr, amr)
 */
export async function issueAccessToken(
  user: User,
  deps: Deps,
  sessionId?: string,
  extraClaims?: Record<string, unknown>,
  authentication?: Authentication,
): Promise<IssuedToken> {
  const { issuer, audience, clientId, ttlSeconds } = deps.settings;
  const claims = {
    ...extraClaims,
    ...(sessionId ? { sid: sessionId } : {}),
    ...(authentication ? { auth_time: authentication.authTime, amr: authentication.amr, acr: authentication.acr } : {}),
  };
  return signUserToken(user, { typ: ACCESS_TOKEN_TYP, issuer, audience, clientId, ttlSeconds, extraClaims: claims }, deps);
}

/** Verifies an access token and returns its claims; throws TokenExpiredError or InvalidTokenError. */
export async function verifyAccessToken(
  token: string,
  deps: VerifyDeps & { settings: Pick<AccessTokenSettings, 'issuer' | 'audience' | 'clockLeewaySeconds'> },
): Promise<AccessTokenClaims> {
  const { issuer, audience, clockLeewaySeconds } = deps.settings;
  const claims = await verifyUserToken<AccessTokenClaims>(token, { typ: ACCESS_TOKEN_TYP, issuer, audience, clockLeewaySeconds }, deps);
  if (claims.sid !== undefined && typeof claims.sid !== 'string') throw new InvalidTokenError();
  return claims;
}
