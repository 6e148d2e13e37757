// Token revocation for OAuth clients (RFC 7009): a refresh token ends its session (every refresh
// token of the family, and its access tokens through their `sid`); an access token goes on the
// revocation list until it would have expired. A client may revoke only tokens issued to it
// (§2.1: "verifies whether the token was issued to the client making the revocation request");
// a token that is unknown, invalid or already expired needs nothing done and is answered 200
// (§2.2), as is a token_type_hint we do not know (§2.1: the server extends its search anyway).
import { AppError, DependencyUnavailableError, OAuthError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import { type AccessTokenClaims, verifyAccessToken } from '../tokens/access-tokens.ts';
import { peekClaims } from '../tokens/jwt-verify.ts';
import { sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';

export type RevocationDeps = Pick<Dependencies, 'sessions' | 'revocations' | 'verificationKeys' | 'clock' | 'accessTokens'>;

const notYours = () => new OAuthError('unauthorized_client', 'The token was not issued to this client.');

async function revokeRefreshToken(client: OAuthClient, token: string, deps: RevocationDeps): Promise<boolean> {
  const stored = await deps.sessions.findRefreshToken(sha256(token));
  if (!stored) return false;
  const family = await deps.sessions.getFamily(stored.familyId);
  if (!family) return true;
  if (family.grant?.clientId !== client.clientId) throw notYours();
  await deps.sessions.revokeFamily(family.familyId, 'revoked by its client (RFC 7009)', deps.clock.now());
  return true;
}

/** Our access tokens for our API, and client credentials tokens for the client's own resources. */
async function verifiedAccessToken(client: OAuthClient, token: string, deps: RevocationDeps): Promise<AccessTokenClaims | undefined> {
  const aud = peekClaims(token)?.aud;
  if (typeof aud !== 'string' || (aud !== deps.accessTokens.audience && !client.resources.includes(aud))) return undefined;
  try {
    return await verifyAccessToken(token, {
      verificationKeys: deps.verificationKeys,
      clock: deps.clock,
      settings: { issuer: deps.accessTokens.issuer, audience: aud, clockLeewaySeconds: deps.accessTokens.clockLeewaySeconds ?? 0 },
    });
  } catch (error) {
    // Forged, expired or otherwise not good: nothing to revoke. An outage is no answer, though.
    if (error instanceof AppError && !(error instanceof DependencyUnavailableError)) return undefined;
    throw error;
  }
}

async function revokeAccessToken(client: OAuthClient, token: string, deps: RevocationDeps): Promise<boolean> {
  const claims = await verifiedAccessToken(client, token, deps);
  if (!claims) return false;
  if (claims.client_id !== client.clientId) throw notYours();
  await deps.revocations.revokeJti(claims.jti, claims.exp, deps.clock.now());
  return true;
}

/** Revokes `token` for `client`; `hint` (RFC 7009 §2.1 token_type_hint) only decides which kind is tried first. */
export async function revokeClientToken(client: OAuthClient, token: string, hint: string | undefined, deps: RevocationDeps): Promise<void> {
  // Our refresh tokens are opaque; a JWT is never one, so the hint only orders the lookups.
  const looksLikeJwt = token.split('.').length === 3;
  const order = looksLikeJwt ? [revokeAccessToken] : hint === 'access_token' ? [revokeAccessToken, revokeRefreshToken] : [revokeRefreshToken];
  for (const attempt of order) if (await attempt(client, token, deps)) return;
}
