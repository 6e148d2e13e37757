// The authorization code grant at /oauth/token (OAuth 2.1 §4.1.3, RFC 7636 §4.6): the code must be
// known, unexpired, issued to this client, for this redirect_uri, and the verifier must hash to its
// PKCE challenge. Redeeming it marks it used and starts the session in one transaction
// (lib/store/authorization-codes.ts), so of two redemptions exactly one wins; a code presented
// again ends the session the first redemption started (OAuth 2.1 §4.1.3, RFC 9700 §4.5.3.1:
// "SHOULD revoke ... all tokens previously issued based on that authorization code").
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { StoredAuthorizationCode } from '../domain/authorization-code.ts';
import { OAuthError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import type { ClientGrant } from '../domain/session.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';
import { requestOrigin } from '../support/request-context.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import { type IssuanceDeps, signUserTokens, type TokenGrant } from './oauth-token-issuance.ts';

export type CodeGrantDeps = IssuanceDeps & Pick<Dependencies, 'authorizationCodes' | 'sessions' | 'users'>;

/** One answer for every bad code, so a client learns nothing about codes that are not its own. */
const invalidGrant = (why = 'The authorization code is invalid, expired, used, or was issued to another client or redirect URI.') =>
  new OAuthError('invalid_grant', why);

/** RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time. */
export function verifierMatches(codeVerifier: string, codeChallenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(codeVerifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(codeChallenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** A used code came back: whoever holds it, it leaked, so the session it started ends. */
async function endReplayedCode(code: StoredAuthorizationCode | undefined, deps: CodeGrantDeps): Promise<never> {
  if (code?.familyId) {
    await deps.sessions.revokeFamily(code.familyId, 'authorization code replay', deps.clock.now());
    log.warn('authorization code used twice: its session was revoked', { clientId: code.clientId, sessionId: code.familyId });
  }
  throw invalidGrant();
}

export interface CodeRequest {
  code: string;
  redirectUri?: string;
  codeVerifier: string;
}

export async function exchangeAuthorizationCode(client: OAuthClient, request: CodeRequest, deps: CodeGrantDeps): Promise<TokenGrant> {
  if (!client.grantTypes.includes('authorization_code')) throw new OAuthError('unauthorized_client', 'This client may not use the authorization_code grant.');
  const now = deps.clock.now();
  const nowSeconds = toEpochSeconds(now);
  const codeHash = sha256(request.code);
  const code = await deps.authorizationCodes.find(codeHash);
  if (!code) throw invalidGrant();
  if (code.used) return endReplayedCode(code, deps);
  // DynamoDB deletes expired items lazily: expiry is decided here.
  if (code.expiresAt <= nowSeconds) throw invalidGrant();
  // RFC 9700 §4.5.3: a code injected into another client's exchange is refused (and stays unspent).
  if (code.clientId !== client.clientId) throw invalidGrant();
  // OAuth 2.1 §4.1.3: redirect_uri must be identical to the authorization request's.
  if (request.redirectUri !== code.redirectUri) throw invalidGrant();
  if (!verifierMatches(request.codeVerifier, code.codeChallenge))
    throw invalidGrant('The code_verifier does not match the code_challenge (RFC 7636 section 4.6).');
  const user = await deps.users.get(code.userId);
  if (user?.status !== 'active') throw invalidGrant();
  // "Log out everywhere" after the sign-in ends what it would have started.
  if (user.validAfterMs !== undefined && code.createdAt < user.validAfterMs) throw invalidGrant();

  const familyId = randomUUID();
  const grant: ClientGrant = {
    clientId: client.clientId,
    scopes: code.scopes,
    authTime: code.authTime,
    amr: code.amr,
    ...(code.acr ? { acr: code.acr } : {}),
    browserSessionId: code.browserSessionId,
  };
  // OAuth 2.1 §4.3: refresh tokens only for clients allowed the refresh_token grant.
  const refreshToken = client.grantTypes.includes('refresh_token') ? randomSecret() : undefined;
  // Signed before the code is spent: a signing failure leaves the code unused, so the client may retry.
  const signed = await signUserTokens(user, grant, code.scopes, familyId, code.nonce, deps);
  const outcome = await deps.authorizationCodes.redeem(codeHash, {
    familyId,
    userId: user.id,
    ...(refreshToken !== undefined ? { refreshTokenHash: sha256(refreshToken) } : {}),
    // Without a refresh token the session still needs to outlive its access tokens (their sid).
    expiresAt: nowSeconds + Math.max(deps.config.refreshTokenTtlSeconds, deps.accessTokens.ttlSeconds),
    createdAt: Math.max(now, user.validAfterMs ?? 0),
    grant,
    origin: requestOrigin(),
  });
  // Lost a race with another redemption, or a replay read the code just before it was spent.
  if (outcome === 'used') return endReplayedCode(await deps.authorizationCodes.find(codeHash), deps);
  countMetric('TokensIssued', refreshToken ? 2 : 1);
  return { ...signed, ...(refreshToken !== undefined ? { refreshToken } : {}) };
}
