// POST /oauth/token (OAuth 2.1 §3.2): the client authenticates, then its grant is answered.
import type { Dependencies } from './dependencies.ts';
import { authenticateClient, type ClientCredentials } from './oauth-client-authentication.ts';
import { clientCredentialsToken } from './oauth-client-credentials-grant.ts';
import { type CodeGrantDeps, exchangeAuthorizationCode } from './oauth-code-grant.ts';
import { refreshClientSession } from './oauth-refresh-grant.ts';
import type { TokenGrant } from './oauth-token-issuance.ts';
import { parseTokenRequest } from './oauth-token-request.ts';

export type TokenEndpointDeps = CodeGrantDeps & Pick<Dependencies, 'oauthClients' | 'browserSessions' | 'securityEvents'>;

/**
 * Authenticates the client (OAuth 2.1 §3.2.1), then reads and answers its token request (`params`,
 * the form body): a client that fails to authenticate learns nothing about its request.
 */
export async function tokenRequest(presented: ClientCredentials | undefined, params: Record<string, unknown>, deps: TokenEndpointDeps): Promise<TokenGrant> {
  const client = await authenticateClient(presented, deps);
  const request = parseTokenRequest(params);
  switch (request.grantType) {
    case 'authorization_code':
      return exchangeAuthorizationCode(client, request, deps);
    case 'refresh_token':
      return refreshClientSession(client, request, deps);
    case 'client_credentials':
      return clientCredentialsToken(client, request, deps);
  }
}
