// The error shape of the OAuth endpoints (token, revocation, registration, userinfo, introspection
// for OAuth clients): `{"error", "error_description"}` JSON per OAuth 2.1 §3.2.4 and RFC 6749 §5.2,
// never problem+json. An OAuth error code is sent as it is; our other codes are mapped to the
// nearest OAuth one, keeping their status and headers (Retry-After, WWW-Authenticate, Allow).
import type { ErrorCode } from '../domain/errors.ts';
import type { HttpError } from './status.ts';
import type { HttpResult } from './types.ts';

/** Our codes that are not OAuth's, as the `error` an OAuth client understands. */
const OAUTH_CODE: Partial<Record<ErrorCode, string>> = {
  invalid_request: 'invalid_request',
  malformed_body: 'invalid_request',
  payload_too_large: 'invalid_request',
  unsupported_media_type: 'invalid_request',
  method_not_allowed: 'invalid_request',
  not_found: 'invalid_request',
  conflict: 'invalid_request',
  // RFC 6750 §3.1: refused bearer tokens (userinfo).
  invalid_token: 'invalid_token',
  token_expired: 'invalid_token',
  missing_token: 'invalid_token',
  insufficient_permission: 'insufficient_scope',
  // OAuth 2.1 §3.2.4: a refresh token (or a user behind a grant) that is no longer good.
  invalid_refresh_token: 'invalid_grant',
  invalid_credentials: 'invalid_grant',
  account_disabled: 'invalid_grant',
  email_not_verified: 'invalid_grant',
  too_many_requests: 'temporarily_unavailable',
  service_unavailable: 'temporarily_unavailable',
  internal_error: 'server_error',
};

/** The `error` value for one of our codes. */
export function oauthErrorCode(code: ErrorCode): string {
  return OAUTH_CODE[code] ?? code;
}

/** RFC 6749 §5.2: error_description is printable ASCII without `"` and `\`. */
function asciiDescription(error: HttpError): string {
  const details = error.errors?.length ? ` ${error.errors.map((e) => `${e.field}: ${e.message}`).join(' ')}` : '';
  return `${error.message}${details}`.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

export function oauthError(error: HttpError): HttpResult {
  // A problem of the body, bad everywhere else, is a 400 here: an OAuth client knows no other status for it.
  const status = error.status === 404 || error.status === 409 ? 400 : error.status;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...error.headers },
    body: JSON.stringify({ error: oauthErrorCode(error.code), error_description: asciiDescription(error) }),
  };
}
