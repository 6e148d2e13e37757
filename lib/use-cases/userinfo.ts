// The OpenID Connect UserInfo endpoint (OIDC Core §5.3): the signed-in user's claims, as the access
// token's scopes allow (§5.4), for an access token issued with scope `openid`. The token is
// checked like every other (lib/auth/token-checker.ts: signature, revocation, session, user), so
// a revoked session's token gets nothing here either.
import { InsufficientPermissionError } from '../domain/errors.ts';
import { scopedUserClaims, type UserInfoClaims } from '../domain/oidc-claims.ts';
import type { Dependencies } from './dependencies.ts';

/** The space-separated `scope` claim (RFC 9068 §2.2.3) as a list; none for tokens that are not an OAuth client's. */
export function tokenScopes(claims: Record<string, unknown>): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

export async function userInfo(
  token: string | undefined,
  deps: Pick<Dependencies, 'tokenChecker' | 'accessTokens'>,
): Promise<UserInfoClaims & { sub: string }> {
  const { user, claims } = await deps.tokenChecker.check(token, deps.accessTokens.audience);
  const scopes = tokenScopes(claims);
  // §5.3: UserInfo answers access tokens of an OpenID Connect request only (RFC 6750 §3.1 insufficient_scope).
  if (!scopes.includes('openid')) throw new InsufficientPermissionError('The access token was not issued with scope openid.');
  return { sub: user.id, ...scopedUserClaims(user, scopes) };
}
