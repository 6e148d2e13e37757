// How an OAuth client appears on the wire: RFC 7591 §3.2.1's client information response (the
// registered metadata, snake_case), with the secret only in the answer that issued it.
import type { OAuthClient } from '../domain/oauth-client.ts';

export interface ClientInformation {
  client_id: string;
  client_secret?: string;
  /** RFC 7591 §3.2.1: seconds since the epoch. */
  client_id_issued_at: number;
  /** RFC 7591 §3.2.1: REQUIRED with a secret; 0 = it does not expire. */
  client_secret_expires_at?: 0;
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  scope: string;
  client_uri?: string;
}

/** The client's registered metadata; `secret` only when this answer issues it. */
export function clientInformation(client: OAuthClient, secret?: string): ClientInformation {
  return {
    client_id: client.clientId,
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 as const } : {}),
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    // RFC 7591 §2.1: the code response type goes with the authorization_code grant.
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    scope: client.scopes.join(' '),
    ...(client.clientUri ? { client_uri: client.clientUri } : {}),
  };
}
