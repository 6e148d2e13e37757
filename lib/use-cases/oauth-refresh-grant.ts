// The refresh token grant at /oauth/token (OAuth 2.1 §4.3): the session's refresh token rotates
// on every use, with the reuse detection of native sessions (lib/use-cases/sessions.ts; OAuth 2.1
// §4.3.1 requires rotation or sender-constraint for public clients, and we rotate for all). A
// token works only for the client its session was started by (§4.3.1), never for a native
// session; the scope may be narrowed, never widened (RFC 6749 §6). The new ID token keeps the
// original auth_time and carries no nonce (OIDC Core §12.2).
import { InvalidRefreshTokenError, OAuthError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import type { Family } from '../domain/session.ts';
import { countMetric } from '../support/metrics.ts';
import type { Dependencies } from './dependencies.ts';
import { type IssuanceDeps, signUserTokens, type TokenGrant } from './oauth-token-issuance.ts';
import { rotateRefreshToken } from './sessions.ts';

export type RefreshGrantDeps = IssuanceDeps & Pick<Dependencies, 'sessions' | 'users' | 'browserSessions' | 'clock' | 'securityEvents'>;

export interface RefreshRequest {
  refreshToken: string;
  scopes?: string[];
}

/** RFC 6749 §6: a requested scope must lie within the original grant; none asked means all of it. */
function narrowed(requested: string[] | undefined, granted: string[]): string[] {
  if (!requested) return granted;
  if (requested.some((scope) => !granted.includes(scope)))
    throw new OAuthError('invalid_scope', 'A refresh may narrow the scope, never widen it (RFC 6749 section 6).');
  return requested;
}

/**
 * RP-initiated logout ends the families of a browser session through the user's session listing,
 * an eventually consistent index that may not show a family started a moment before. Its
 * refresh token must not outlive the logout: a family whose browser session was ended (not merely
 * expired: a refresh token may outlive the sign-in cookie) is ended here, at its first refresh.
 */
async function refuseIfSignedOut(family: Family, deps: Pick<Dependencies, 'browserSessions' | 'sessions' | 'clock'>): Promise<void> {
  const browserSessionId = family.grant?.browserSessionId;
  if (browserSessionId === undefined) return;
  const browserSession = await deps.browserSessions.get(browserSessionId);
  if (!browserSession?.revoked) return;
  await deps.sessions.revokeFamily(family.familyId, 'browser session ended', deps.clock.now());
  throw new InvalidRefreshTokenError();
}

export async function refreshClientSession(client: OAuthClient, request: RefreshRequest, deps: RefreshGrantDeps): Promise<TokenGrant> {
  if (!client.grantTypes.includes('refresh_token')) throw new OAuthError('unauthorized_client', 'This client may not use the refresh_token grant.');
  let scopes: string[] = [];
  try {
    const rotated = await rotateRefreshToken(request.refreshToken, deps, {
      admit: async (family) => {
        // Another client's session, or a native one: refused unspent, as if unknown.
        if (family.grant?.clientId !== client.clientId) throw new InvalidRefreshTokenError();
        scopes = narrowed(request.scopes, family.grant.scopes);
        await refuseIfSignedOut(family, deps);
      },
      sign: (user, family) => signUserTokens(user, family.grant!, scopes, family.familyId, undefined, deps),
    });
    countMetric('TokensIssued', 2);
    return { ...rotated.signed, refreshToken: rotated.refreshToken };
  } catch (error) {
    // OAuth 2.1 §3.2.4: an invalid, expired, revoked or foreign refresh token is invalid_grant (400).
    if (error instanceof InvalidRefreshTokenError)
      throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired, revoked, or was issued to another client.');
    throw error;
  }
}
