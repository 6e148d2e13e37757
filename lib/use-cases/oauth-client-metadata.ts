// What an OAuth client may be registered with: one set of rules for the admin CLI and for RFC 7591
// dynamic registration, so no path registers what the other refuses. A bad redirect URI is an
// `invalid_redirect_uri`, anything else an `invalid_client_metadata` (RFC 7591 §3.2.2); both name
// the field and the reason, for the client's developer.
import type { Config } from '../config/all.ts';
import { OAuthError } from '../domain/errors.ts';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod, GRANT_TYPES, type GrantType, type OAuthClient, OIDC_SCOPES } from '../domain/oauth-client.ts';
import { redirectUriProblem } from '../domain/redirect-uri.ts';

/** Client metadata as an operator or a registering client gives it, before any check. */
export interface ClientMetadataInput {
  name: string;
  /** RFC 7591 §2 `token_endpoint_auth_method`; `none` makes a public client. */
  tokenEndpointAuthMethod: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  /** Absent: the OpenID Connect scopes for a client that signs users in, none for a client_credentials-only one. */
  scopes?: readonly string[];
  grantTypes: readonly string[];
  firstParty?: boolean;
  resources?: readonly string[];
  clientUri?: string | undefined;
}

/** The checked metadata: what an OAuthClient record holds besides its id, secret and dates. */
export type ClientMetadata = Pick<
  OAuthClient,
  'name' | 'type' | 'tokenEndpointAuthMethod' | 'redirectUris' | 'postLogoutRedirectUris' | 'scopes' | 'grantTypes' | 'firstParty' | 'resources' | 'clientUri'
>;

export type Registrar = OAuthClient['registeredBy'];

/** Limits that keep a client item far below DynamoDB's 400 KB and a consent page readable. */
export const CLIENT_LIMITS = { nameLength: 100, redirectUris: 20, scopes: 50, scopeLength: 128, resources: 20, uriLength: 2000 } as const;

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

const metadataError = (message: string) => new OAuthError('invalid_client_metadata', message);

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw metadataError('client_name must not be empty.');
  if (trimmed.length > CLIENT_LIMITS.nameLength) throw metadataError(`client_name is longer than ${CLIENT_LIMITS.nameLength} characters.`);
  if (CONTROL.test(trimmed)) throw metadataError('client_name contains control characters.');
  return trimmed;
}

function checkRedirectUris(field: string, uris: readonly string[]): string[] {
  if (uris.length > CLIENT_LIMITS.redirectUris) throw metadataError(`${field} has more than ${CLIENT_LIMITS.redirectUris} entries.`);
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    // RFC 7591 §3.2.2: "invalid_redirect_uri: The value of one or more redirection URIs is invalid."
    if (problem) throw new OAuthError('invalid_redirect_uri', `${field}: '${uri.slice(0, 200)}' ${problem}.`);
  }
  return unique(uris);
}

function checkGrantTypes(grantTypes: readonly string[], registrar: Registrar): GrantType[] {
  if (grantTypes.length === 0) throw metadataError('grant_types must name at least one grant type.');
  const unknown = grantTypes.filter((grant) => !(GRANT_TYPES as readonly string[]).includes(grant));
  if (unknown.length) throw metadataError(`grant_types: unsupported ${unknown.join(', ')}; supported are ${GRANT_TYPES.join(', ')}.`);
  const grants = unique(grantTypes) as GrantType[];
  // Client credentials let a client act for itself against our resources: only an operator grants that.
  if (registrar === 'dynamic' && grants.includes('client_credentials')) {
    throw metadataError('grant_types: client_credentials is only available to clients an operator registers.');
  }
  // OAuth 2.1 §4.2.3 (no refresh token for client credentials): a refresh token only ever comes from a code.
  if (grants.includes('refresh_token') && !grants.includes('authorization_code')) {
    throw metadataError('grant_types: refresh_token needs authorization_code (refresh tokens are only issued for authorization codes).');
  }
  return grants;
}

function checkScopes(scopes: readonly string[] | undefined, grants: readonly GrantType[], registrar: Registrar): string[] {
  const signsUsersIn = grants.includes('authorization_code');
  const chosen = unique(scopes ?? (signsUsersIn ? OIDC_SCOPES : []));
  if (chosen.length > CLIENT_LIMITS.scopes) throw metadataError(`scope has more than ${CLIENT_LIMITS.scopes} values.`);
  for (const scope of chosen) {
    if (scope.length > CLIENT_LIMITS.scopeLength || !SCOPE_TOKEN.test(scope)) {
      throw metadataError(`scope: '${scope.slice(0, 200)}' is not a scope token (RFC 6749 section 3.3).`);
    }
  }
  // The scopes of our own APIs are the operator's to give; a self-registered client gets the OpenID ones only.
  const foreign = chosen.filter((scope) => !(OIDC_SCOPES as readonly string[]).includes(scope));
  if (registrar === 'dynamic' && foreign.length) {
    throw metadataError(`scope: ${foreign.join(' ')} not available to dynamically registered clients; they may have ${OIDC_SCOPES.join(' ')}.`);
  }
  if (signsUsersIn && chosen.length === 0) throw metadataError('scope must name at least one scope for a client that signs users in.');
  return chosen;
}

/** RFC 8707 §2: a resource is an absolute URI without a fragment. */
function checkResources(resources: readonly string[], grants: readonly GrantType[], config: Pick<Config, 'accessTokenAudience' | 'services'>): string[] {
  const chosen = unique(resources);
  if (chosen.length > CLIENT_LIMITS.resources) throw metadataError(`resources has more than ${CLIENT_LIMITS.resources} entries.`);
  for (const resource of chosen) {
    let url: URL | undefined;
    try {
      url = new URL(resource);
    } catch {
      url = undefined;
    }
    if (!url || resource.length > CLIENT_LIMITS.uriLength)
      throw metadataError(`resources: '${resource.slice(0, 200)}' is not an absolute URI (RFC 8707 section 2).`);
    if (resource.includes('#')) throw metadataError(`resources: '${resource}' has a fragment (RFC 8707 section 2).`);
    // A client_credentials token for our own API would act as a user token there; one for a
    // service's id would be read by that service as if a user's permission had granted it.
    if (resource === config.accessTokenAudience) throw metadataError(`resources: '${resource}' is the audience of user access tokens.`);
    if (config.services.some((service) => service.id === resource)) throw metadataError(`resources: '${resource}' is a service id (SERVICES).`);
  }
  const credentialsGrant = grants.includes('client_credentials');
  // The client_credentials token's audience is always one of these (never our own API): without one it could get nothing.
  if (credentialsGrant && chosen.length === 0) throw metadataError('resources: client_credentials needs at least one resource its tokens are for.');
  if (!credentialsGrant && chosen.length) throw metadataError('resources are only used by the client_credentials grant.');
  return chosen;
}

/** RFC 7591 §2 `client_uri`: a web page about the client, shown on the consent page, so https (or http on loopback). */
function checkClientUri(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  const loopback = url?.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!url || uri.length > CLIENT_LIMITS.uriLength || (url.protocol !== 'https:' && !loopback) || url.username || url.password) {
    throw metadataError('client_uri must be an https URL (http only on a loopback address) without user information.');
  }
  return uri;
}

/**
 * Checks client metadata and returns it normalised (repeats removed, defaults filled in).
 * A client registered by RFC 7591 (`dynamic`) is always third-party, never gets
 * client_credentials or resources, and may only have the OpenID Connect scopes.
 */
export function checkClientMetadata(
  input: ClientMetadataInput,
  registrar: Registrar,
  config: Pick<Config, 'accessTokenAudience' | 'services'>,
): ClientMetadata {
  const name = checkName(input.name);
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(input.tokenEndpointAuthMethod)) {
    throw metadataError(`token_endpoint_auth_method: unsupported '${input.tokenEndpointAuthMethod}'; supported are ${CLIENT_AUTH_METHODS.join(', ')}.`);
  }
  const method = input.tokenEndpointAuthMethod as ClientAuthMethod;
  // OAuth 2.1 §2.1: a public client has no credentials, so `none` exactly when public.
  const type = method === 'none' ? 'public' : 'confidential';
  const grantTypes = checkGrantTypes(input.grantTypes, registrar);
  // OAuth 2.1 §4.2: client credentials are for confidential clients only.
  if (type === 'public' && grantTypes.includes('client_credentials')) {
    throw metadataError('grant_types: client_credentials needs a confidential client (token_endpoint_auth_method other than none).');
  }
  const redirectUris = checkRedirectUris('redirect_uris', input.redirectUris);
  // RFC 7591 §2: redirect_uris are required for the redirect-based flows (the authorization code here).
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must name at least one URI for the authorization_code grant.');
  }
  const postLogoutRedirectUris = checkRedirectUris('post_logout_redirect_uris', input.postLogoutRedirectUris ?? []);
  const scopes = checkScopes(input.scopes, grantTypes, registrar);
  if (registrar === 'dynamic' && input.resources?.length) throw metadataError('resources are only available to clients an operator registers.');
  const resources = checkResources(input.resources ?? [], grantTypes, config);
  const clientUri = checkClientUri(input.clientUri);
  return {
    name,
    type,
    tokenEndpointAuthMethod: method,
    redirectUris,
    postLogoutRedirectUris,
    scopes,
    grantTypes,
    // Self-registered clients always ask the user for consent.
    firstParty: registrar === 'admin' && input.firstParty === true,
    resources,
    ...(clientUri === undefined ? {} : { clientUri }),
  };
}
