// Validating an authorization request (OAuth 2.1 §4.1.1, OIDC Core §3.1.2.1) in two steps, because
// they fail differently (OAuth 2.1 §4.1.2.1, RFC 9700 §4.1): until the client and its redirect URI
// are known to be registered, nothing may be sent to the redirect URI (UntrustedRedirectError: an
// error page on our side); after that, every problem goes back to the client as an error redirect
// (OAuthError, its `code` the RFC's `error`).

import { ACR_VALUES } from '../domain/authentication.ts';
import { type AuthorizationParameters, PROMPT_VALUES, type Prompt } from '../domain/authorization-request.ts';
import { AppError, OAuthError, ValidationError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import { redirectUriMatches } from '../domain/redirect-uri.ts';

/** The request's parameters: a name sent more than once has several values. */
export type RawParameters = Readonly<Record<string, readonly string[]>>;

/**
 * The client or redirect URI is unknown, missing or not registered: never redirect (OAuth 2.1
 * §4.1.2.1: "the authorization server MUST NOT automatically redirect the user agent to the invalid
 * redirection URI"), but say why on our own page.
 */
export class UntrustedRedirectError extends ValidationError {
  constructor(field: 'client_id' | 'redirect_uri', message: string) {
    super([{ field, message }], message);
  }
}

/** RFC 6749 §3.3 scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** Far beyond what any client sends; an unbounded value would only fill the table. */
const MAX_LENGTH: Record<string, number> = { client_id: 128, redirect_uri: 2000, state: 2048, nonce: 512, login_hint: 254, scope: 2048, acr_values: 256 };
/** OIDC Core §3.1.2.1 max_age, in seconds; a year is plenty. */
const MAX_AGE_LIMIT = 31_536_000;

/** The single value of `name`, or undefined; a repeated one is refused (RFC 6749 §3.1). */
function single(raw: RawParameters, name: string, onRepeat: (message: string) => Error): string | undefined {
  const values = Object.hasOwn(raw, name) ? raw[name] : undefined;
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw onRepeat(`The ${name} parameter is given more than once.`);
  const value = values[0]!;
  if (value.length > (MAX_LENGTH[name] ?? 2048)) throw onRepeat(`The ${name} parameter is too long.`);
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  return value === '' ? undefined : value;
}

/** Step one: the client and its redirect URI, or UntrustedRedirectError. */
export async function trustedClient(
  raw: RawParameters,
  findClient: (clientId: string) => Promise<OAuthClient | undefined>,
): Promise<{ client: OAuthClient; redirectUri: string }> {
  const clientId = single(raw, 'client_id', (message) => new UntrustedRedirectError('client_id', message));
  if (!clientId) throw new UntrustedRedirectError('client_id', 'The request names no client (client_id).');
  const client = /^[\x21-\x7E]+$/.test(clientId) ? await findClient(clientId) : undefined;
  if (!client) throw new UntrustedRedirectError('client_id', 'The application that sent you here is not registered.');
  const redirectUri = single(raw, 'redirect_uri', (message) => new UntrustedRedirectError('redirect_uri', message));
  // OIDC Core §3.1.2.1 makes redirect_uri REQUIRED, and OAuth 2.1 §2.3.1 compares it exactly.
  if (!redirectUri) throw new UntrustedRedirectError('redirect_uri', 'The request names no redirect_uri.');
  if (!redirectUriMatches(client.redirectUris, redirectUri)) {
    throw new UntrustedRedirectError('redirect_uri', 'The redirect_uri is not registered for this application.');
  }
  return { client, redirectUri };
}

/** OAuth's invalid_request, sent back to the client (not a field error of a form). */
const invalidRequest = (message: string) => new AppError('invalid_request', message);

/** Step two: everything else, for a trusted client and redirect URI; throws OAuthError. */
export function authorizationParameters(raw: RawParameters, client: OAuthClient, redirectUri: string): AuthorizationParameters {
  // The state first: an error redirect carries it whenever it could be read.
  const value = (name: string) => single(raw, name, invalidRequest);
  const state = value('state');
  for (const [name, values] of Object.entries(raw)) {
    if (values.length > 1) throw invalidRequest(`The ${name} parameter is given more than once.`);
  }
  // OIDC Core §6.1 / §6.2: request objects are not supported (request_parameter_supported false).
  if (value('request') !== undefined || value('request_uri') !== undefined) throw invalidRequest('Request objects (request, request_uri) are not supported.');

  const responseType = value('response_type');
  if (!responseType) throw invalidRequest('The response_type parameter is missing.');
  // OAuth 2.1 §4.1.1: the code flow only (no implicit, no hybrid).
  if (responseType !== 'code') throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported.');
  const responseMode = value('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') throw invalidRequest('Only response_mode=query is supported.');
  if (!client.grantTypes.includes('authorization_code')) throw new OAuthError('unauthorized_client', 'This client may not use the authorization code grant.');

  // OAuth 2.1 §4.1.1 and RFC 9700 §2.1.1: PKCE for every client, and only S256 (plain is refused).
  const codeChallenge = value('code_challenge');
  const method = value('code_challenge_method');
  if (!codeChallenge) throw invalidRequest('PKCE is required: send code_challenge and code_challenge_method=S256.');
  if (method !== 'S256') throw invalidRequest('code_challenge_method must be S256.');
  if (!S256_CHALLENGE.test(codeChallenge)) throw invalidRequest('code_challenge must be the 43-character base64url SHA-256 of the code verifier.');

  const scope = value('scope');
  if (!scope) throw new OAuthError('invalid_scope', 'The scope parameter is missing.');
  const scopes = [...new Set(scope.split(' ').filter(Boolean))];
  if (scopes.length === 0 || scopes.some((s) => !SCOPE_TOKEN.test(s))) throw new OAuthError('invalid_scope', 'The scope parameter is malformed.');
  const refused = scopes.filter((s) => !client.scopes.includes(s));
  if (refused.length) throw new OAuthError('invalid_scope', `This client may not ask for: ${refused.join(' ')}.`);

  const prompt = promptValues(value('prompt'));
  const maxAgeText = value('max_age');
  if (maxAgeText !== undefined && (!/^\d{1,9}$/.test(maxAgeText) || Number(maxAgeText) > MAX_AGE_LIMIT)) {
    throw invalidRequest('max_age must be a number of seconds.');
  }
  const nonce = value('nonce');
  const loginHint = value('login_hint');
  const acrValues = acrValuesOf(value('acr_values'));
  return {
    clientId: client.clientId,
    redirectUri,
    scopes,
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    codeChallenge,
    prompt,
    ...(maxAgeText === undefined ? {} : { maxAge: Number(maxAgeText) }),
    ...(loginHint === undefined ? {} : { loginHint }),
    ...(acrValues.length ? { acrValues } : {}),
  };
}

/** OIDC Core §3.1.2.1 acr_values: space-separated, in order of preference; values we do not offer are ignored (a voluntary claim). */
function acrValuesOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(text.split(' ').filter((v) => (ACR_VALUES as readonly string[]).includes(v)))];
}

/** OIDC Core §3.1.2.1: space-separated; `none` with any other value is an error. */
function promptValues(text: string | undefined): Prompt[] {
  if (text === undefined) return [];
  const values = [...new Set(text.split(' ').filter(Boolean))];
  for (const v of values) {
    if (!(PROMPT_VALUES as readonly string[]).includes(v)) throw invalidRequest(`prompt=${v} is not supported; use none, login or consent.`);
  }
  if (values.includes('none') && values.length > 1) throw invalidRequest('prompt=none cannot be combined with other prompt values.');
  return values as Prompt[];
}
