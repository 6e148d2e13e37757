// The token endpoint's successful answer on the wire (RFC 6749 §5.1, OAuth 2.1 §3.2.3, OIDC Core
// §3.1.3.3): never cached by anyone (Cache-Control: no-store, and Pragma for HTTP/1.0 caches).
import type { TokenGrant } from '../use-cases/oauth-token-issuance.ts';
import { json } from './response.ts';
import type { HttpResult } from './types.ts';

export function tokenResponse(grant: TokenGrant, nowMs: number): HttpResult {
  return json(
    200,
    {
      access_token: grant.accessToken.token,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.round((grant.accessToken.expiresAt - nowMs) / 1000)),
      ...(grant.refreshToken !== undefined ? { refresh_token: grant.refreshToken } : {}),
      ...(grant.idToken !== undefined ? { id_token: grant.idToken } : {}),
      // OAuth 2.1 §3.2.3: scope is REQUIRED when it differs from the request's; always sending it is simplest for clients.
      scope: grant.scopes.join(' '),
    },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}
