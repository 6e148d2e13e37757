// Access tokens issued at /oauth/token (RFC 9068, typ "at+jwt"). A user's token for an OAuth
// client has our API as its audience (so the authorizer and /me accept it) and carries the
// RFC 9068 §2.2 claims plus the client, the granted scope, how the user authenticated (§2.2.1)
// and the session (`sid`), so ending the session ends it; no profile data (RFC 9068 §6: the
// client may read the token, and only the scopes decide what it learns about the user). A client
// credentials token speaks for the client itself: `sub` = client_id, `aud` = the RFC 8707 resource.
import type { ClientGrant } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { ACCESS_TOKEN_TYP, type AccessTokenSettings } from './access-tokens.ts';
import { type IssuedToken, issuedAtSeconds, type SignDeps, signJwt } from './signed-jwt.ts';

type Deps = SignDeps & { settings: Pick<AccessTokenSettings, 'issuer' | 'audience' | 'ttlSeconds'> };

function sign(subject: string, audience: string, iat: number, claims: Record<string, unknown>, deps: Deps): Promise<IssuedToken> {
  const { issuer, ttlSeconds } = deps.settings;
  return signJwt(claims, { typ: ACCESS_TOKEN_TYP, issuer, subject, audience, iat, ttlSeconds }, deps);
}

/**
 * A user's access token for an OAuth client, in session `sessionId`. `scopes` may be narrower than
 * the grant's (RFC 6749 §6: a refresh may ask for less).
 */
export async function issueClientAccessToken(user: User, grant: ClientGrant, scopes: readonly string[], sessionId: string, deps: Deps): Promise<IssuedToken> {
  return sign(
    user.id,
    deps.settings.audience,
    issuedAtSeconds(deps.clock.now(), user),
    {
      client_id: grant.clientId,
      scope: scopes.join(' '),
      auth_time: grant.authTime,
      amr: grant.amr,
      ...(grant.acr ? { acr: grant.acr } : {}),
      sid: sessionId,
    },
    deps,
  );
}

/** OAuth 2.1 §4.2 client credentials: a token for `resource` (RFC 8707) on behalf of the client itself. */
export async function issueClientCredentialsToken(clientId: string, resource: string, scopes: readonly string[], deps: Deps): Promise<IssuedToken> {
  return sign(clientId, resource, toEpochSeconds(deps.clock.now()), { client_id: clientId, ...(scopes.length ? { scope: scopes.join(' ') } : {}) }, deps);
}
