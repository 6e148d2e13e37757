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
};

/**
 * RFC 6750 section 3: a refused bearer token gets a challenge naming invalid_token. A missing token
 * names it too (RFC 6750 suggests a bare "Bearer"), so clients have one rule: 401 + invalid_token
 * means "log in again". Wrong passwords get the Basic challenge (RFC 7617) HTTP Basic clients expect.
 */
const CHALLENGES: Partial<Record<ErrorCode, string>> = {
  invalid_credentials: 'Basic realm="auth", charset="UTF-8"',
  invalid_token: 'Bearer error="invalid_token"',
  token_expired: 'Bearer error="invalid_token", error_description="The token has expired"',
  missing_token: 'Bearer error="invalid_token", error_description="No token was sent"',
};

/** An error as HTTP sees it. */
export interface HttpError {
  status: number;
  code: ErrorCode;
  message: string;
  errors?: AppError['errors'];
  headers: Record<string, string>;
}

export function httpStatus(error: AppError): number {
  return STATUS_BY_CODE[error.code];
}

export function toHttpError(error: AppError): HttpError {
  const headers: Record<string, string> = {};
  const challenge = CHALLENGES[error.code];
  if (challenge) headers['www-authenticate'] = challenge;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if ('allowed' in error && Array.isArray(error.allowed)) headers.allow = error.allowed.join(', ');
  return { status: httpStatus(error), code: error.code, message: error.message, ...(error.errors ? { errors: error.errors } : {}), headers };
}
