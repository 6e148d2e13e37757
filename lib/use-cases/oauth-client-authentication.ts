// Authenticating an OAuth client (OAuth 2.1 §2.4, RFC 6749 §2.3): the presented client must exist,
// use the method it registered (RFC 7591 §2 token_endpoint_auth_method) and, when confidential,
// know its secret. Every refusal is the same `invalid_client` (OAuth 2.1 §3.2.4), and the secret is
// compared in constant time against its stored SHA-256, unknown clients included, so neither the
// answer nor its timing tells which client ids exist.
import { OAuthError } from '../domain/errors.ts';
import type { ClientAuthMethod, OAuthClient } from '../domain/oauth-client.ts';
import { clientSecretHash, clientSecretMatches } from '../tokens/client-secrets.ts';
import type { Dependencies } from './dependencies.ts';

export interface ClientCredentials {
  clientId: string;
  secret?: string;
  method: ClientAuthMethod;
}

/** Compared whatever the inputs, so an unknown client costs what a known one does. */
const NO_SECRET_HASH = clientSecretHash('');

const refused = () => new OAuthError('invalid_client', 'Client authentication failed.');

/** Far above our ids (`c_` + 22 characters) and RFC 7591's, far below a table key's limit (a longer one would fail there, a 500). */
export const MAX_CLIENT_ID_LENGTH = 256;

/** The authenticated client; `invalid_client` for anything wrong, without saying what. */
export async function authenticateClient(presented: ClientCredentials | undefined, deps: Pick<Dependencies, 'oauthClients'>): Promise<OAuthClient> {
  if (!presented) throw new OAuthError('invalid_client', 'No client authentication was sent: send client_id (and a secret, for a confidential client).');
  const known = presented.clientId.length <= MAX_CLIENT_ID_LENGTH;
  const client = known ? await deps.oauthClients.get(presented.clientId) : undefined;
  const secretOk = clientSecretMatches(presented.secret ?? '', client?.secretHash ?? NO_SECRET_HASH);
  if (!client || client.tokenEndpointAuthMethod !== presented.method) throw refused();
  if (client.type === 'public') {
    // A public client has no secret; one that sends a secret is not who it says (RFC 6749 §2.3.1).
    if (presented.secret !== undefined) throw refused();
    return client;
  }
  if (presented.secret === undefined || client.secretHash === undefined || !secretOk) throw refused();
  return client;
}
