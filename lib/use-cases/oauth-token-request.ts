// The parameters of a token request (OAuth 2.1 §3.2.2, §4.1.3, §4.2, §4.3; RFC 7636 §4.5; RFC 8707
// §2), read into one typed request per grant. Unknown parameters are ignored (OAuth 2.1 §3.2.2:
// "The authorization server MUST ignore unrecognized request parameters"); a missing or malformed
// one is `invalid_request`, an unknown grant `unsupported_grant_type`, a malformed scope
// `invalid_scope`, a malformed resource `invalid_target`. What the values mean is the grants' to judge.
import { type FieldError, OAuthError, ValidationError } from '../domain/errors.ts';

export type TokenRequest =
  | { grantType: 'authorization_code'; code: string; redirectUri?: string; codeVerifier: string }
  | { grantType: 'refresh_token'; refreshToken: string; scopes?: string[] }
  | { grantType: 'client_credentials'; scopes?: string[]; resource?: string };

/** RFC 7636 §4.1: code_verifier = 43*128 unreserved characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), joined by single spaces. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** Generous bounds: none of our codes, tokens or URIs come near them, and nothing longer reaches a table key. */
const MAX = { code: 256, refresh_token: 512, redirect_uri: 2048, scope: 1024, resource: 2048 } as const;

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError([{ field: name, message: 'This parameter must be text.' }]);
  return value;
}

function required(params: Record<string, unknown>, name: keyof typeof MAX | 'code_verifier', problems: FieldError[]): string {
  const value = text(params, name);
  if (value === undefined) problems.push({ field: name, message: 'This parameter is required.' });
  else if (name !== 'code_verifier' && value.length > MAX[name]) problems.push({ field: name, message: `Use at most ${MAX[name]} characters.` });
  return value ?? '';
}

/** RFC 6749 §3.3: the requested scope as a set; undefined when none was asked for. */
export function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value.length > MAX.scope || !SCOPE.test(value)) throw new OAuthError('invalid_scope', 'The scope is malformed (RFC 6749 section 3.3).');
  return [...new Set(value.split(' '))];
}

/** RFC 8707 §2: an absolute URI without a fragment. */
function parseResource(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = value.length <= MAX.resource ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || value.includes('#')) throw new OAuthError('invalid_target', 'The resource must be an absolute URI without a fragment (RFC 8707 section 2).');
  return value;
}

function done<T>(request: T, problems: FieldError[]): T {
  if (problems.length) throw new ValidationError(problems);
  return request;
}

/** The token request in `params` (the form body), or the OAuth error that answers it. */
export function parseTokenRequest(params: Record<string, unknown>): TokenRequest {
  const grantType = text(params, 'grant_type');
  const problems: FieldError[] = [];
  switch (grantType) {
    case undefined:
      throw new ValidationError([{ field: 'grant_type', message: 'This parameter is required.' }]);
    case 'authorization_code': {
      const code = required(params, 'code', problems);
      const codeVerifier = required(params, 'code_verifier', problems);
      if (codeVerifier && !CODE_VERIFIER.test(codeVerifier))
        problems.push({ field: 'code_verifier', message: 'Use 43 to 128 unreserved characters (RFC 7636 section 4.1).' });
      const redirectUri = text(params, 'redirect_uri');
      if (redirectUri !== undefined && redirectUri.length > MAX.redirect_uri)
        problems.push({ field: 'redirect_uri', message: `Use at most ${MAX.redirect_uri} characters.` });
      return done({ grantType, code, codeVerifier, ...(redirectUri !== undefined ? { redirectUri } : {}) }, problems);
    }
    case 'refresh_token': {
      const refreshToken = required(params, 'refresh_token', problems);
      done(undefined, problems);
      const scopes = parseScope(text(params, 'scope'));
      return { grantType, refreshToken, ...(scopes ? { scopes } : {}) };
    }
    case 'client_credentials': {
      const scopes = parseScope(text(params, 'scope'));
      const resource = parseResource(text(params, 'resource'));
      return { grantType, ...(scopes ? { scopes } : {}), ...(resource !== undefined ? { resource } : {}) };
    }
    default:
      throw new OAuthError('unsupported_grant_type', 'Use authorization_code, refresh_token or client_credentials.');
  }
}
