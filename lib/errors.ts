// The one error model: every failure a client can cause is an AppError with an HTTP status, a
// stable machine-readable code, and a message that is safe to show. Anything else is a bug and
// becomes a bare 500 whose details go only to the log (see lib/http/problem.ts).

/** A field-level problem, reported as `errors: [{field, message}]` in problem+json. */
export interface FieldError {
  field: string;
  message: string;
}

/** Base class: `status` and `code` are part of the API contract; `message` is shown to clients. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (options.errors) this.errors = options.errors;
    if (options.headers) this.headers = options.headers;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], message = 'The request has invalid fields.') {
    super(400, 'invalid_request', message, { errors });
  }
}

export class MalformedBodyError extends AppError {
  constructor(message: string) {
    super(400, 'malformed_body', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(contentType: string) {
    super(
      415,
      'unsupported_media_type',
      `Content type "${contentType}" is not supported; send application/json, ` +
        'application/x-www-form-urlencoded or multipart/form-data.',
    );
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'No such resource.') {
    super(404, 'not_found', message);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `Method ${method} is not allowed here; use ${allowed.join(', ')}.`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class ConflictError extends AppError {
  constructor(errors: FieldError[], message = 'Already taken.') {
    super(409, 'conflict', message, { errors });
  }
}

/** Wrong password and unknown user share this error, so the answer does not reveal which. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'Invalid username/email or password.', {
      headers: { 'www-authenticate': 'Basic realm="auth", charset="UTF-8"' },
    });
  }
}

/** RFC 6750: a missing, malformed, forged or revoked bearer token. Deliberately terse. */
export class InvalidTokenError extends AppError {
  constructor(message = 'Authentication error: Invalid token.') {
    super(401, 'invalid_token', message, {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }
}

/** The exact message is part of the contract: TCAP clients match on it to know when to refresh. */
export const TOKEN_EXPIRED_MESSAGE = 'Authentication error: Token has expired. Please refresh.';

export class TokenExpiredError extends AppError {
  constructor() {
    super(401, 'token_expired', TOKEN_EXPIRED_MESSAGE, {
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The token has expired"' },
    });
  }
}

export class MissingTokenError extends AppError {
  constructor() {
    // RFC 6750 suggests a bare "Bearer" challenge here; we name invalid_token as for every other
    // refused credential, so clients have one rule: 401 + invalid_token means "log in again".
    super(401, 'missing_token', 'Authentication required: send Authorization: Bearer <token> or X-Auth-Token.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="No token was sent"' },
    });
  }
}

/** A refresh token that is unknown, expired, already used, or whose session has ended. */
export class InvalidRefreshTokenError extends AppError {
  constructor() {
    super(401, 'invalid_refresh_token', 'The refresh token is invalid, expired or revoked; log in again.');
  }
}

/** An authenticated caller who lacks the permission an operation needs. */
export class InsufficientPermissionError extends AppError {
  constructor(message: string) {
    super(403, 'insufficient_permission', message);
  }
}

/** A password-reset or verification link that is unknown, expired, already used or superseded. */
export class InvalidLinkError extends AppError {
  constructor() {
    super(400, 'invalid_link', 'This link has expired or has already been used. Request a new one.');
  }
}

export class EmailNotVerifiedError extends AppError {
  constructor() {
    super(403, 'email_not_verified', 'Confirm your email address first: follow the link in the mail we sent you.');
  }
}

export class AlreadyVerifiedError extends AppError {
  constructor() {
    super(409, 'already_verified', 'Your email address is already verified.');
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}

export class AccountDisabledError extends AppError {
  constructor() {
    super(403, 'account_disabled', 'This account is disabled.');
  }
}

/** A dependency (DynamoDB, SES) is unavailable after retries; the client may try again later. */
export class ServiceUnavailableError extends AppError {
  constructor(retryAfterSeconds = 1) {
    super(503, 'service_unavailable', 'The service is temporarily unavailable; try again shortly.', {
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}

/** Thrown at cold start when the environment is wrong; never reaches a client as such. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}
