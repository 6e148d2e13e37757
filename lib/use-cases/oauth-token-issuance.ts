// What every user grant at /oauth/token answers with (OAuth 2.1 §3.2.3, OIDC Core §3.1.3.3): an
// access token for the session, and an ID token when the scope has `openid`, bound to it by at_hash.
import type { ClientGrant } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import type { IssuedToken } from '../tokens/access-tokens.ts';
import { issueIdToken } from '../tokens/id-tokens.ts';
import { issueClientAccessToken } from '../tokens/oauth-access-tokens.ts';
import type { Dependencies } from './dependencies.ts';

/** The answer of a token request, before it is put on the wire (lib/http/oauth-token-view.ts). */
export interface TokenGrant {
  accessToken: IssuedToken;
  refreshToken?: string;
  idToken?: string;
  /** The scope of the access token (RFC 6749 §5.1 `scope`). */
  scopes: string[];
}

export type IssuanceDeps = Pick<Dependencies, 'signer' | 'clock' | 'accessTokens' | 'config'>;

/** The access token (and ID token) of session `sessionId` for `scopes` of `grant`. */
export async function signUserTokens(
  user: User,
  grant: ClientGrant,
  scopes: string[],
  sessionId: string,
  nonce: string | undefined,
  deps: IssuanceDeps,
): Promise<Omit<TokenGrant, 'refreshToken'>> {
  const accessToken = await issueClientAccessToken(user, grant, scopes, sessionId, { signer: deps.signer, clock: deps.clock, settings: deps.accessTokens });
  if (!scopes.includes('openid')) return { accessToken, scopes };
  const idToken = await issueIdToken(
    { user, grant, scopes, accessToken: accessToken.token, ...(nonce !== undefined ? { nonce } : {}) },
    { signer: deps.signer, clock: deps.clock, settings: { issuer: deps.config.issuer, ttlSeconds: deps.config.oauth.idTokenTtlSeconds } },
  );
  return { accessToken, idToken, scopes };
}
