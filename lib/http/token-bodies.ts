// The wire shape of issued tokens, shared by the routes that hand them out.
import { toIsoUtc } from '../support/clock.ts';
import type { IssuedToken } from '../tokens/signed-jwt.ts';
import type { SessionTokens } from '../use-cases/sessions.ts';

/** Seconds from now until `exp`, rounded up: a fresh token reports exactly its configured lifetime. */
function lifetime(token: IssuedToken, nowMs: number) {
  return { expires_in: Math.max(0, Math.ceil((token.expiresAt - nowMs) / 1000)), expires_at: toIsoUtc(token.expiresAt) };
}

/** Login and refresh: an access token and the session's next refresh token. */
export function sessionTokensBody(tokens: SessionTokens, nowMs: number) {
  return {
    access_token: tokens.accessToken.token,
    token_type: 'Bearer',
    ...lifetime(tokens.accessToken, nowMs),
    refresh_token: tokens.refreshToken,
  };
}

export function serviceTokenBody(token: IssuedToken, audience: string, nowMs: number) {
  return { service_token: token.token, token_type: 'Bearer', ...lifetime(token, nowMs), audience };
}
