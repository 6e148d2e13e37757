// The one place that turns an error's stable code into HTTP: its status and the headers that go
// with it (RFC 9110 Allow and Retry-After, RFC 6750 / RFC 7617 WWW-Authenticate challenges).
import type { AppError, ErrorCode } from '../domain/errors.ts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  malformed_body: 400,
  invalid_link: 400,
  invalid_credentials: 401,
  invalid_token: 401,
  token_expired: 401,
  missing_token: 401,
  invalid_refresh_token: 401,
  insufficient_permission: 403,
  email_not_verified: 403,
  account_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_verified: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal_error: 500,
  service_unavailable: 503,
  // OAuth 2.1 §3.2.4: invalid_client is 401 (with a challenge when the client used Basic), the rest 400.
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unsupported_token_type: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  unsupported_response_type: 400,
  access_denied: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  mfa_required: 401,
  mfa_enrollment_required: 401,
  step_up_required: 401,
  invalid_mfa_token: 401,
  invalid_mfa_code: 401,
};

/**
 * RFC 6750 section 3: a refused bearer token gets a challenge naming invalid_token. A missing token
 * names it too (RFC 6750 suggests a bare "Bearer"), so clients have one rule: 401 + invalid_token
 * means "log in again". Wrong passwords get no challenge here: see BASIC_CHALLENGE.
 */
const CHALLENGES: Partial<Record<ErrorCode, string>> = {
  invalid_token: 'Bearer error="invalid_token"',
  token_expired: 'Bearer error="invalid_token", error_description="The token has expired"',
  missing_token: 'Bearer error="invalid_token", error_description="No token was sent"',
};

/**
 * RFC 7617: the challenge an HTTP Basic client expects when its credentials are refused. Only a
 * request that sent Basic credentials to a route that reads them gets it: a browser that sees it
 * on any 401, a fetch() of a JSON login included, opens its own credentials dialog. A JSON login's
 * wrong password is a 401 without WWW-Authenticate: no scheme would be true (RFC 9110 §11.6.1 asks
 * for one, but the credentials form is our own, not an HTTP authentication scheme).
 */
const BASIC_CHALLENGE = 'Basic realm="auth", charset="UTF-8"';

/** What the request itself said about its credentials, for the challenge. */
export interface ChallengeContext {
  /** The handler took the credentials from `Authorization: Basic`. */
  usedBasic?: boolean;
}

/** An error as HTTP sees it. */
export interface HttpError {
  status: number;
  code: ErrorCode;
  message: string;
  errors?: AppError['errors'];
  /** What the message was about, for a dialect that words it its own way (AppError.facts). */
  facts?: AppError['facts'];
  /** RFC 9457 extension members (AppError.members). */
  members?: AppError['members'];
  headers: Record<string, string>;
}

export function httpStatus(error: AppError): number {
  return STATUS_BY_CODE[error.code];
}

export function toHttpError(error: AppError, request: ChallengeContext = {}): HttpError {
  const headers: Record<string, string> = {};
  // OAuth 2.1 §3.2.4: a client refused after authenticating with Basic gets the Basic challenge too.
  const basicChallenge = error.code === 'invalid_credentials' || error.code === 'invalid_client';
  const challenge = basicChallenge ? (request.usedBasic ? BASIC_CHALLENGE : undefined) : CHALLENGES[error.code];
  if (challenge) headers['www-authenticate'] = challenge;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if ('allowed' in error && Array.isArray(error.allowed)) headers.allow = error.allowed.join(', ');
  return {
    status: httpStatus(error),
    code: error.code,
    message: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.facts ? { facts: error.facts } : {}),
    ...(error.members ? { members: error.members } : {}),
    headers,
  };
}
