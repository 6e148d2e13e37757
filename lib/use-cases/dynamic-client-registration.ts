// RFC 7591 dynamic client registration: who may register (OAUTH_DYNAMIC_REGISTRATION), and the
// request's metadata (RFC 7591 §2, OpenID Connect RP-Initiated Logout §3.1) read into the registry's
// input with the RFC's defaults. The rules themselves are the registry's (./oauth-client-metadata.ts).
import type { DynamicRegistrationMode } from '../config/sections/oauth.ts';
import { InvalidTokenError, MissingTokenError, OAuthError } from '../domain/errors.ts';
import { SIGNING_ALG } from '../tokens/signing-alg.ts';
import type { Dependencies } from './dependencies.ts';
import type { ClientMetadataInput } from './oauth-client-metadata.ts';
import { createClient, type IssuedClient, registrationTokenIsValid } from './oauth-client-registry.ts';

type RegistrationDeps = Pick<Dependencies, 'oauthClients' | 'registrationTokens' | 'clock' | 'config'>;

const metadataError = (message: string) => new OAuthError('invalid_client_metadata', message);

/**
 * RFC 7591 §3: with `token`, the request must carry an initial access token as a bearer token
 * (RFC 6750), refused with invalid_token; with `open`, anyone may register. (`off` never gets here:
 * the endpoint does not exist then.)
 */
export async function checkRegistrationAccess(mode: DynamicRegistrationMode, bearer: string | undefined, deps: RegistrationDeps): Promise<void> {
  if (mode === 'open') return;
  if (bearer === undefined) throw new MissingTokenError();
  if (!(await registrationTokenIsValid(bearer, deps))) throw new InvalidTokenError('The initial access token is invalid or expired.');
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw metadataError(`${field} must be a string.`);
  return value;
}

function stringArray(body: Record<string, unknown>, field: string, code: 'invalid_client_metadata' | 'invalid_redirect_uri'): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new OAuthError(code, `${field} must be an array of strings.`);
  return value;
}

/** RFC 7591 §2 `scope`: space-separated scope values; RFC 6749 §3.3 allows no empty ones. */
function scopes(body: Record<string, unknown>): string[] | undefined {
  const scope = optionalString(body, 'scope');
  if (scope === undefined) return undefined;
  const values = scope.split(' ');
  if (values.some((value) => value === '')) throw metadataError('scope must be scope values separated by single spaces.');
  return values;
}

/** A name for the consent page when the client gave none: the host its users are sent back to. */
function defaultName(redirectUris: readonly string[]): string {
  try {
    return new URL(redirectUris[0] ?? '').host || 'Unnamed client';
  } catch {
    return 'Unnamed client';
  }
}

/**
 * The registry input a registration request asks for. RFC 7591 §2 defaults: grant_types
 * [authorization_code], response_types [code], token_endpoint_auth_method client_secret_basic.
 * Metadata we do not understand is ignored (RFC 7591 §2: the server MUST ignore it).
 */
export function registrationInput(body: unknown): ClientMetadataInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw metadataError('The request body must be a JSON object of client metadata.');
  const fields = body as Record<string, unknown>;
  const redirectUris = stringArray(fields, 'redirect_uris', 'invalid_redirect_uri') ?? [];
  const grantTypes = stringArray(fields, 'grant_types', 'invalid_client_metadata') ?? ['authorization_code'];
  const responseTypes = stringArray(fields, 'response_types', 'invalid_client_metadata') ?? ['code'];
  // OAuth 2.1 §4.1.1 has only the code response type (the implicit `token` is gone).
  if (responseTypes.length === 0 || responseTypes.some((type) => type !== 'code')) {
    throw metadataError('response_types: only "code" is supported.');
  }
  // RFC 7591 §2.1: response type code goes with the authorization_code grant type.
  if (!grantTypes.includes('authorization_code')) throw metadataError('response_types code needs the authorization_code grant type (RFC 7591 section 2.1).');
  // OpenID Connect Dynamic Client Registration §2: the ID token algorithm must be one we sign with.
  const idTokenAlg = optionalString(fields, 'id_token_signed_response_alg');
  if (idTokenAlg !== undefined && idTokenAlg !== SIGNING_ALG) throw metadataError(`id_token_signed_response_alg: only ${SIGNING_ALG} is supported.`);
  const name = optionalString(fields, 'client_name');
  const postLogoutRedirectUris = stringArray(fields, 'post_logout_redirect_uris', 'invalid_redirect_uri');
  const scope = scopes(fields);
  const clientUri = optionalString(fields, 'client_uri');
  return {
    name: name ?? defaultName(redirectUris),
    tokenEndpointAuthMethod: optionalString(fields, 'token_endpoint_auth_method') ?? 'client_secret_basic',
    redirectUris,
    grantTypes,
    ...(postLogoutRedirectUris ? { postLogoutRedirectUris } : {}),
    ...(scope ? { scopes: scope } : {}),
    ...(clientUri === undefined ? {} : { clientUri }),
    firstParty: false,
  };
}

/** RFC 7591 §3: registers the client a registration request describes; third-party, with the OpenID scopes at most. */
export async function registerClientDynamically(body: unknown, deps: RegistrationDeps): Promise<IssuedClient> {
  return createClient(registrationInput(body), 'dynamic', deps);
}
