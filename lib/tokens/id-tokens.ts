// OpenID Connect ID tokens (OIDC Core §2, §3.1.3.6): who signed in, for which client, when and
// how. Signed with our current key (RS256, the JWKS's), typ "JWT" so that it can never pass as an
// access token (RFC 8725 §3.11: access tokens are "at+jwt"). `at_hash` binds it to the access token
// issued with it (§3.1.3.8), `nonce` to the authentication request (§3.1.2.1), `sid` to the
// browser session (OpenID RP-Initiated Logout / Front-Channel Logout §3).
import { createHash } from 'node:crypto';
import { scopedUserClaims } from '../domain/oidc-claims.ts';
import type { ClientGrant } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { issuedAtSeconds, type SignDeps, signJwt } from './signed-jwt.ts';

export const ID_TOKEN_TYP = 'JWT';

/**
 * OIDC Core §3.1.3.6: the base64url of the left-most half of the hash of the access token's ASCII
 * octets, with the hash of the ID token's `alg` (SHA-256 for RS256).
 */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface IdTokenRequest {
  user: User;
  grant: ClientGrant;
  /** The scopes of this answer: they decide the user claims (§5.4). */
  scopes: readonly string[];
  /** The access token issued beside it (at_hash). */
  accessToken: string;
  /** Only in the answer to the code exchange (§3.1.3.6); a refresh's ID token has none (§12.2). */
  nonce?: string;
}

export interface IdTokenSettings {
  issuer: string;
  ttlSeconds: number;
}

/** Signs an ID token; `aud` is the client alone, and `azp` names it too (§2). */
export async function issueIdToken(request: IdTokenRequest, deps: SignDeps & { settings: IdTokenSettings }): Promise<string> {
  const { user, grant, scopes, accessToken, nonce } = request;
  const iat = issuedAtSeconds(deps.clock.now(), user);
  const claims = {
    ...scopedUserClaims(user, scopes),
    azp: grant.clientId,
    auth_time: grant.authTime,
    ...(nonce !== undefined ? { nonce } : {}),
    at_hash: accessTokenHash(accessToken),
    amr: grant.amr,
    ...(grant.acr ? { acr: grant.acr } : {}),
    ...(grant.browserSessionId ? { sid: grant.browserSessionId } : {}),
  };
  const registered = { typ: ID_TOKEN_TYP, issuer: deps.settings.issuer, subject: user.id, audience: grant.clientId, iat, ttlSeconds: deps.settings.ttlSeconds };
  return (await signJwt(claims, { ...registered, jti: false, notBefore: false }, deps)).token;
}
