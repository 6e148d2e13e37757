// The OAuth client registry: creating, changing, re-keying and removing clients, for the admin CLI
// and RFC 7591 registration alike. Metadata is checked by ./oauth-client-metadata.ts; a
// confidential client's secret is generated here, returned once and stored only as its hash.
import { NotFoundError, OAuthError, ValidationError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { clientSecretHash, newClientId, newClientSecret } from '../tokens/client-secrets.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import { type ClientMetadataInput, checkClientMetadata, type Registrar } from './oauth-client-metadata.ts';

type RegistryDeps = Pick<Dependencies, 'oauthClients' | 'clock' | 'config'>;

/** A client as just created or re-keyed: the secret is here once and nowhere else, ever. */
export interface IssuedClient {
  client: OAuthClient;
  /** Only for confidential clients. */
  secret?: string;
}

const noSuchClient = () => new NotFoundError('No such client.');

export async function createClient(input: ClientMetadataInput, registrar: Registrar, deps: RegistryDeps): Promise<IssuedClient> {
  const metadata = checkClientMetadata(input, registrar, deps.config);
  const now = deps.clock.now();
  const secret = metadata.type === 'confidential' ? newClientSecret() : undefined;
  const client: OAuthClient = {
    clientId: newClientId(),
    ...metadata,
    ...(secret ? { secretHash: clientSecretHash(secret) } : {}),
    registeredBy: registrar,
    createdAt: now,
    updatedAt: now,
  };
  await deps.oauthClients.create(client);
  return { client, ...(secret ? { secret } : {}) };
}

export async function getClient(clientId: string, deps: Pick<Dependencies, 'oauthClients'>): Promise<OAuthClient> {
  const client = await deps.oauthClients.get(clientId);
  if (!client) throw noSuchClient();
  return client;
}

export async function listClients(deps: Pick<Dependencies, 'oauthClients'>): Promise<OAuthClient[]> {
  return deps.oauthClients.list();
}

/** The metadata a change may replace; each given field replaces the stored one as a whole. */
export type ClientChanges = Partial<ClientMetadataInput>;

/** The stored client as metadata input, so a change is checked with every rule a new client is. */
function asInput(client: OAuthClient): ClientMetadataInput {
  return {
    name: client.name,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    scopes: client.scopes,
    grantTypes: client.grantTypes,
    firstParty: client.firstParty,
    resources: client.resources,
    clientUri: client.clientUri,
  };
}

/** The next updatedAt: the clock, but always later than the last, since it is also the update's concurrency token. */
const nextVersion = (client: OAuthClient, now: number) => Math.max(now, client.updatedAt + 1);

/**
 * Changes a client's metadata. A client stays public or confidential for life: a public client has
 * no secret to switch to, and a confidential one's secret must not linger unused (delete and create
 * instead). Refused changes leave the client as it was; a concurrent change is a ConflictError.
 */
export async function updateClient(clientId: string, changes: ClientChanges, deps: RegistryDeps): Promise<OAuthClient> {
  const current = await getClient(clientId, deps);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as ClientChanges;
  const metadata = checkClientMetadata({ ...asInput(current), ...defined }, current.registeredBy, deps.config);
  if (metadata.type !== current.type) {
    throw new OAuthError(
      'invalid_client_metadata',
      `token_endpoint_auth_method: a ${current.type} client cannot become ${metadata.type}; create a new client instead.`,
    );
  }
  const { clientUri: _dropped, ...rest } = current;
  const updated: OAuthClient = { ...rest, ...metadata, updatedAt: nextVersion(current, deps.clock.now()) };
  await deps.oauthClients.update(updated, current.updatedAt);
  return updated;
}

/** A new secret for a confidential client; the old one stops working at once (the stored hash is replaced). */
export async function rotateClientSecret(clientId: string, deps: RegistryDeps): Promise<IssuedClient> {
  const current = await getClient(clientId, deps);
  if (current.type !== 'confidential') throw new OAuthError('invalid_client_metadata', 'A public client has no secret to rotate.');
  const secret = newClientSecret();
  const updated: OAuthClient = { ...current, secretHash: clientSecretHash(secret), updatedAt: nextVersion(current, deps.clock.now()) };
  await deps.oauthClients.update(updated, current.updatedAt);
  return { client: updated, secret };
}

/** Removes a client; false when there was none. Its codes and tokens then fail client checks (the token endpoint finds no client). */
export async function deleteClient(clientId: string, deps: Pick<Dependencies, 'oauthClients'>): Promise<boolean> {
  return deps.oauthClients.delete(clientId);
}

/** The longest an initial access token may live: a day (RFC 7591 leaves it to us; shorter is safer). */
export const REGISTRATION_TOKEN_MAX_TTL_SECONDS = 86_400;
export const REGISTRATION_TOKEN_DEFAULT_TTL_SECONDS = 3600;

/**
 * An RFC 7591 §3 initial access token for OAUTH_DYNAMIC_REGISTRATION=token: a bearer secret that
 * lets anyone holding it register clients until it expires. Shown once, stored as its hash.
 */
export async function issueRegistrationToken(
  ttlSeconds: number,
  deps: Pick<Dependencies, 'registrationTokens' | 'clock'>,
): Promise<{ token: string; expiresAt: number }> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > REGISTRATION_TOKEN_MAX_TTL_SECONDS) {
    throw new ValidationError([{ field: 'ttl', message: `must be a whole number of seconds from 60 to ${REGISTRATION_TOKEN_MAX_TTL_SECONDS}` }]);
  }
  const token = randomSecret();
  const expiresAt = toEpochSeconds(deps.clock.now()) + ttlSeconds;
  await deps.registrationTokens.create(sha256(token), expiresAt);
  return { token, expiresAt };
}

/** Whether `token` is a live initial access token. */
export async function registrationTokenIsValid(token: string, deps: Pick<Dependencies, 'registrationTokens' | 'clock'>): Promise<boolean> {
  return deps.registrationTokens.isValid(sha256(token), toEpochSeconds(deps.clock.now()));
}
