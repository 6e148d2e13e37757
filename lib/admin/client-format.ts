// How the `clients` commands report to the operator: the client's registration in a few lines (or
// as RFC 7591 client information with --json), and a new secret or token once, labelled as such.
import type { OAuthClient } from '../domain/oauth-client.ts';
import { clientInformation } from '../http/oauth-client-view.ts';

const list = (items: readonly string[]) => (items.length ? items.join(' ') : 'none');

/** The registration, one fact per line; never the secret or its hash. */
export function clientDetails(client: OAuthClient): string {
  return [
    `${client.clientId}  ${JSON.stringify(client.name)}`,
    `  type: ${client.type} (${client.tokenEndpointAuthMethod}), ${client.firstParty ? 'first-party (no consent screen)' : 'third-party (asks for consent)'}, registered by ${client.registeredBy === 'admin' ? 'an operator' : 'dynamic registration'}`,
    `  grant types: ${list(client.grantTypes)}`,
    `  scopes: ${list(client.scopes)}`,
    `  redirect URIs: ${list(client.redirectUris)}`,
    `  post-logout redirect URIs: ${list(client.postLogoutRedirectUris)}`,
    ...(client.resources.length ? [`  resources: ${list(client.resources)}`] : []),
    ...(client.clientUri ? [`  client URI: ${client.clientUri}`] : []),
    `  created ${new Date(client.createdAt).toISOString()}, updated ${new Date(client.updatedAt).toISOString()}`,
  ].join('\n');
}

/** The client as JSON (RFC 7591 §3.2.1 names), the secret only when just issued. */
export function clientJson(client: OAuthClient, secret?: string): string {
  return JSON.stringify({ ...clientInformation(client, secret), first_party: client.firstParty, resources: client.resources }, null, 2);
}

const secretLine = (secret: string) => `Client secret (shown only now; store it in the client's secret store): ${secret}`;

export function clientCreated(client: OAuthClient, secret: string | undefined): string {
  return [`Created client:`, clientDetails(client), ...(secret ? [secretLine(secret)] : ['Public client: no secret; it must use PKCE.'])].join('\n');
}

export function clientUpdated(client: OAuthClient): string {
  return `Updated client:\n${clientDetails(client)}`;
}

export function clientDeleted(clientId: string, deleted: boolean): string {
  return deleted
    ? `Deleted client ${clientId}: its secret, codes and refresh tokens no longer work at the token endpoint.`
    : `No client ${clientId}; nothing changed.`;
}

export function secretRotated(client: OAuthClient, secret: string): string {
  return `New secret for ${client.clientId} (${JSON.stringify(client.name)}); the old one stopped working now.\n${secretLine(secret)}`;
}

export function clientList(clients: readonly OAuthClient[]): string {
  if (clients.length === 0) return 'No clients.';
  return clients
    .map((c) => `${c.clientId}  ${c.type}  ${c.firstParty ? 'first-party' : 'third-party'}  ${JSON.stringify(c.name)}  ${list(c.redirectUris)}`)
    .join('\n');
}

export function registrationTokenIssued(token: string, expiresAt: number): string {
  return [
    `Initial access token for POST /oauth/register (OAUTH_DYNAMIC_REGISTRATION=token), valid until ${new Date(expiresAt * 1000).toISOString()}.`,
    'Send it as "Authorization: Bearer <token>"; it registers any number of clients until then. Shown only now:',
    token,
  ].join('\n');
}
