// The client credentials grant at /oauth/token (OAuth 2.1 §4.2): a confidential client gets an
// access token for itself, for one of its registered resources (RFC 8707 §2 `resource`; never our
// own user API, whose tokens speak for users), with API scopes it was allowed (never OpenID
// Connect's, which are about a user). No refresh token (OAuth 2.1 §4.2.3).
import { OAuthError } from '../domain/errors.ts';
import { type OAuthClient, OIDC_SCOPES } from '../domain/oauth-client.ts';
import { countMetric } from '../support/metrics.ts';
import { issueClientCredentialsToken } from '../tokens/oauth-access-tokens.ts';
import type { IssuanceDeps, TokenGrant } from './oauth-token-issuance.ts';

export interface ClientCredentialsRequest {
  scopes?: string[];
  resource?: string;
}

const isOidcScope = (scope: string) => (OIDC_SCOPES as readonly string[]).includes(scope);

export async function clientCredentialsToken(client: OAuthClient, request: ClientCredentialsRequest, deps: IssuanceDeps): Promise<TokenGrant> {
  if (client.type !== 'confidential' || !client.grantTypes.includes('client_credentials')) {
    throw new OAuthError('unauthorized_client', 'This client may not use the client_credentials grant.');
  }
  // RFC 8707 §2: without `resource`, the one resource the client has is the default; with several, it must choose.
  const resource = request.resource ?? (client.resources.length === 1 ? client.resources[0] : undefined);
  if (resource === undefined) throw new OAuthError('invalid_target', 'Name the resource (RFC 8707) the token is for.');
  if (!client.resources.includes(resource) || resource === deps.config.accessTokenAudience) {
    throw new OAuthError('invalid_target', 'This client may not get tokens for that resource.');
  }
  const allowed = client.scopes.filter((scope) => !isOidcScope(scope));
  // RFC 6749 §3.3: no scope asked means the client's default, here every API scope it was allowed.
  const scopes = request.scopes ?? allowed;
  if (scopes.some((scope) => !allowed.includes(scope))) throw new OAuthError('invalid_scope', 'The scope asks for more than this client was allowed.');
  const accessToken = await issueClientCredentialsToken(client.clientId, resource, scopes, {
    signer: deps.signer,
    clock: deps.clock,
    settings: deps.accessTokens,
  });
  countMetric('TokensIssued');
  return { accessToken, scopes };
}
