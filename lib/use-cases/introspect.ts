// Token introspection (RFC 7662) for services that cannot attach the Lambda authorizer. The caller
// authenticates with a service token of its own (POST /service-token), which also scopes what it
// may see: any user's access token, and service tokens meant for that same service. Everything
// else (expired, revoked, forged, foreign, another service's) is simply `{active: false}`.
// A confidential OAuth client may authenticate instead (RFC 7662 §2.1, client_secret_basic or
// _post): it sees only the access tokens issued to it (RFC 7662 §4: the server decides which
// tokens a caller may introspect), with the RFC's own fields and no profile data.

import type { Principal } from '../auth/token-checker.ts';
import { AppError, DependencyUnavailableError, InvalidTokenError, MissingTokenError, OAuthError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import { peekClaims } from '../tokens/jwt-verify.ts';
import type { Dependencies } from './dependencies.ts';

export type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

type IntrospectDeps = Pick<Dependencies, 'tokenChecker' | 'accessTokens' | 'config'>;

/** The service a caller's token claims to be for, before any check; undefined if none of ours. */
function claimedService(token: string, deps: IntrospectDeps): string | undefined {
  const aud = peekClaims(token)?.aud;
  return typeof aud === 'string' && deps.config.services.some((s) => s.id === aud) ? aud : undefined;
}

/** Authenticates the calling service; only a service token will do. */
export async function introspectionCaller(token: string | undefined, deps: IntrospectDeps): Promise<Principal> {
  if (!token) throw new MissingTokenError();
  const service = claimedService(token, deps);
  if (!service) throw new InvalidTokenError('Introspection needs a service token (from POST /service-token) as the bearer credential.');
  return deps.tokenChecker.check(token, service);
}

async function activePrincipal(token: string, audience: string, deps: IntrospectDeps): Promise<Principal | undefined> {
  try {
    return await deps.tokenChecker.check(token, audience);
  } catch (error) {
    // A refused token is inactive; an outage is not an answer about the token.
    if (error instanceof AppError && !(error instanceof DependencyUnavailableError)) return undefined;
    throw error;
  }
}

export async function introspect(caller: Principal, token: string, deps: IntrospectDeps): Promise<Introspection> {
  const callerService = caller.claims.aud as string;
  const principal = (await activePrincipal(token, deps.accessTokens.audience, deps)) ?? (await activePrincipal(token, callerService, deps));
  if (!principal) return { active: false };
  const { claims, user, tokenType } = principal;
  return {
    active: true,
    token_type: tokenType,
    client_id: claims.client_id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    permissions: user.permissions,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp,
    iat: claims.iat,
    nbf: claims.nbf,
    jti: claims.jti,
    ...(claims.sid ? { sid: claims.sid } : {}),
    // RFC 7662 §2.2: an OAuth client's token says what it was granted.
    ...(typeof claims.scope === 'string' ? { scope: claims.scope } : {}),
    ...authenticationClaims(claims),
  };
}

/** RFC 9068 §2.2.1: how the user authenticated, for the tokens that say it (RFC 7662 §2.2 allows any JWT claim). */
function authenticationClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(typeof claims.auth_time === 'number' ? { auth_time: claims.auth_time } : {}),
    ...(Array.isArray(claims.amr) ? { amr: claims.amr } : {}),
    ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
  };
}

/** Only a confidential client can prove who it is (RFC 7662 §2.1: the endpoint MUST require authorization). */
export function introspectionClient(client: OAuthClient): OAuthClient {
  if (client.type !== 'confidential') throw new OAuthError('invalid_client', 'Introspection needs a confidential client.');
  return client;
}

/** RFC 7662 §2.2 for an OAuth client: its own access tokens only; anything else is inactive. */
export async function introspectForClient(client: OAuthClient, token: string, deps: IntrospectDeps): Promise<Introspection> {
  const principal = await activePrincipal(token, deps.accessTokens.audience, deps);
  if (principal?.tokenType !== 'access_token' || principal.claims.client_id !== client.clientId) return { active: false };
  const { claims, user } = principal;
  return {
    active: true,
    ...(typeof claims.scope === 'string' ? { scope: claims.scope } : {}),
    client_id: claims.client_id,
    username: user.username,
    token_type: 'Bearer',
    exp: claims.exp,
    iat: claims.iat,
    nbf: claims.nbf,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
    ...(claims.sid ? { sid: claims.sid } : {}),
    ...authenticationClaims(claims),
  };
}
