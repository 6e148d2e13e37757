// The one error model: every failure a client can cause is an AppError with a stable,
// machine-readable `code` (clients switch on it, never on the message) and a message that is safe
// to show. Errors here know nothing of HTTP: lib/http/status.ts maps each code to a status and
// headers, and a compatibility dialect may shape it differently. Anything that is not an AppError
// is a bug and becomes a bare 500 whose details go only to the log.

/** A field-level problem, reported as `errors: [{field, message}]` in problem+json. */
export interface FieldError {
  field: string;
  message: string;
}

/** Every stable code, in one table (jose's `code`, better-auth's BASE_ERROR_CODES). */
export const ERROR_CODES = [
  'invalid_request',
  'malformed_body',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'conflict',
  'invalid_credentials',
  'invalid_token',
  'token_expired',
  'missing_token',
  'invalid_refresh_token',
  'insufficient_permission',
  'invalid_link',
  'email_not_verified',
  'already_verified',
  'too_many_requests',
  'account_disabled',
  'service_unavailable',
  'internal_error',
  // OAuth 2.1 §3.2.4 (token endpoint), §4.1.2.1 (authorization endpoint), RFC 7591 §3.2.2
  // (registration), RFC 7009 §2.2.1 (revocation), RFC 8707 §2 (resource indicators), OIDC Core
  // §3.1.2.6. They are answered in OAuth's own shape on OAuth endpoints (lib/http/oauth-errors.ts).
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'unsupported_token_type',
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'unsupported_response_type',
  'access_denied',
  'login_required',
  'consent_required',
  'interaction_required',
  // Multi-factor authentication (lib/domain/mfa.ts): a second step is needed, or was refused.
  'mfa_required',
  'mfa_enrollment_required',
  'step_up_required',
  'invalid_mfa_token',
  'invalid_mfa_code',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What a message was about, kept apart from the message so a dialect can word it its own way
 * (Django REST Framework's `Method "GET" not allowed.`): the method, the Content-Type as sent, the
 * parser's complaint, or the JSON type given where an object was expected.
 */
export interface ErrorFacts {
  method?: string;
  contentType?: string;
  parseError?: string;
  jsonType?: 'array' | 'string' | 'integer' | 'float' | 'boolean' | 'null';
  /** Why a token was refused, where a dialect names it (simplejwt's "Token is blacklisted"). */
  tokenProblem?: 'revoked' | 'wrong_type' | 'bad_header';
}

export interface AppErrorOptions {
  errors?: FieldError[];
  facts?: ErrorFacts;
  /** Seconds after which trying again may succeed (throttling, outages). */
  retryAfterSeconds?: number;
  /** RFC 9457 §3.2 extension members the client acts on (the mfa_token of mfa_required). */
  members?: Record<string, unknown>;
  cause?: unknown;
}

/** Base class: `code` is part of the API contract; `message` is shown to clients. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;
  readonly facts?: ErrorFacts;
  readonly members?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.errors) this.errors = options.errors;
    if (options.facts) this.facts = options.facts;
    if (options.members) this.members = options.members;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], message = 'The request has invalid fields.') {
    super('invalid_request', message, { errors });
  }
}

export class MalformedBodyError extends AppError {
  constructor(message: string, facts?: ErrorFacts) {
    super('malformed_body', message, facts ? { facts } : {});
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  /** @param sent the Content-Type header as sent (parameters included), for dialects that echo it */
  constructor(contentType: string, sent?: string) {
    super(
      'unsupported_media_type',
      `Content type "${contentType}" is not supported; send application/json, application/x-www-form-urlencoded or multipart/form-data.`,
      sent === undefined ? {} : { facts: { contentType: sent.slice(0, 200) } },
    );
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'No such resource.') {
    super('not_found', message);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly allowed: readonly string[];

  constructor(method: string, allowed: readonly string[]) {
    super('method_not_allowed', `Method ${method} is not allowed here; use ${allowed.join(', ')}.`, { facts: { method } });
    this.allowed = allowed;
  }
}

export class ConflictError extends AppError {
  constructor(errors: FieldError[], message = 'Already taken.') {
    super('conflict', message, { errors });
  }
}

/** Wrong password and unknown user share this error, so the answer does not reveal which. */
export class InvalidCredentialsError extends AppError {
  constructor(message = 'Invalid username/email or password.') {
    super('invalid_credentials', message);
  }
}

/** RFC 6750: a missing, malformed, forged or revoked bearer token. Deliberately terse. */
export class InvalidTokenError extends AppError {
  constructor(message = 'Authentication error: Invalid token.') {
    super('invalid_token', message);
  }
}

/** The exact message is part of the contract: TCAP clients match on it to know when to refresh. */
export const TOKEN_EXPIRED_MESSAGE = 'Authentication error: Token has expired. Please refresh.';

export class TokenExpiredError extends AppError {
  constructor() {
    super('token_expired', TOKEN_EXPIRED_MESSAGE);
  }
}

export class MissingTokenError extends AppError {
  constructor() {
    super('missing_token', 'Authentication required: send Authorization: Bearer <token> or X-Auth-Token.');
  }
}

/** A refresh token that is unknown, expired, already used, or whose session has ended. */
export class InvalidRefreshTokenError extends AppError {
  constructor(tokenProblem?: ErrorFacts['tokenProblem']) {
    super('invalid_refresh_token', 'The refresh token is invalid, expired or revoked; log in again.', tokenProblem ? { facts: { tokenProblem } } : {});
  }
}

/** An authenticated caller who lacks the permission an operation needs. */
export class InsufficientPermissionError extends AppError {
  constructor(message: string) {
    super('insufficient_permission', message);
  }
}

/** A password-reset or verification link that is unknown, expired, already used, or voided by the use of another. */
export class InvalidLinkError extends AppError {
  constructor() {
    super('invalid_link', 'This link has expired or has already been used. Request a new one.');
  }
}

export class EmailNotVerifiedError extends AppError {
  constructor() {
    super('email_not_verified', 'Confirm your email address first: follow the link in the mail we sent you.');
  }
}

export class AlreadyVerifiedError extends AppError {
  constructor() {
    super('already_verified', 'Your email address is already verified.');
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message, { retryAfterSeconds });
  }
}

export class AccountDisabledError extends AppError {
  constructor() {
    super('account_disabled', 'This account is disabled.');
  }
}

/**
 * A dependency (DynamoDB, SES) is unavailable after retries, or kept refusing an operation for a
 * transient reason; the client may try again later. `cause` keeps the original for the log.
 */
export class DependencyUnavailableError extends AppError {
  constructor(cause?: unknown, retryAfterSeconds = 1) {
    super('service_unavailable', 'The service is temporarily unavailable; try again shortly.', { retryAfterSeconds, cause });
  }
}

/** The MFA methods a second step may use (lib/domain/mfa.ts), as mfa_required names them. */
export type SecondStepMethod = 'totp' | 'webauthn' | 'recovery_code';

/**
 * The password was right and the account has a second factor: the client continues at
 * POST /login/mfa (or /login/webauthn) with the opaque, single-use `mfa_token`. Without a token
 * (a compatibility dialect, which has no second step to continue with) it only says why.
 */
export class MfaRequiredError extends AppError {
  constructor(second?: { mfaToken: string; methods: SecondStepMethod[] }) {
    super(
      'mfa_required',
      second
        ? 'This account has multi-factor authentication: send a code from your authenticator app, a passkey or a recovery code with the mfa_token.'
        : 'This account needs multi-factor authentication, which this login route cannot ask for: sign in through POST /login or the hosted login page.',
      second ? { members: { mfa_token: second.mfaToken, methods: second.methods } } : {},
    );
  }
}

/** MFA_POLICY=required and the account has no factor yet: enrol one with the mfa_token before any token is issued. */
export class MfaEnrollmentRequiredError extends AppError {
  constructor(mfaToken: string) {
    super(
      'mfa_enrollment_required',
      'This service requires multi-factor authentication: enrol a factor with the mfa_token (POST /mfa/totp or /mfa/webauthn/register/options) to finish signing in.',
      {
        members: { mfa_token: mfaToken, methods: ['totp', 'webauthn'] },
      },
    );
  }
}

/** The operation needs an authentication (with MFA, when the account has a factor) no older than STEP_UP_MAX_AGE. */
export class StepUpRequiredError extends AppError {
  constructor(maxAgeSeconds: number) {
    super(
      'step_up_required',
      `This operation needs a sign-in (with your second factor, if you have one) from the last ${Math.round(maxAgeSeconds / 60)} minutes: sign in again and retry.`,
      {
        members: { max_age: maxAgeSeconds },
      },
    );
  }
}

/** An mfa_token that is unknown, expired, already used, out of attempts, or voided by a password change. */
export class InvalidMfaTokenError extends AppError {
  constructor() {
    super('invalid_mfa_token', 'This sign-in has expired or was already completed; sign in again with your password.');
  }
}

/** A wrong, replayed or already used second-factor code (or a refused passkey assertion). */
export class InvalidMfaCodeError extends AppError {
  constructor(attemptsLeft?: number) {
    super('invalid_mfa_code', 'The code is not valid.', attemptsLeft === undefined ? {} : { members: { attempts_left: attemptsLeft } });
  }
}

/** The OAuth error codes (a subset of ErrorCode), as OAuth's own JSON and redirects name them. */
export type OAuthErrorCode = Extract<
  ErrorCode,
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_token_type'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
>;

/**
 * An OAuth protocol error: the code is the RFC's own `error` value, the message its
 * `error_description` (RFC 6749 §5.2: human-readable ASCII, for the client's developer).
 */
export class OAuthError extends AppError {
  constructor(code: OAuthErrorCode, message: string) {
    super(code, message);
  }
}

/** A bug on our side, as clients see it: nothing about what went wrong. */
export class InternalError extends AppError {
  constructor() {
    super('internal_error', 'Something went wrong on our side.');
  }
}

/** One bad environment variable and what is wrong with it ("must be between 60 and 86400, got 5"). */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * Thrown at cold start when the environment is wrong; never reaches a client as such. It names
 * every bad variable it found, so one attempt shows everything to fix.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(variable: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(variableOrProblems: string | readonly ConfigProblem[], problem = '') {
    const problems = typeof variableOrProblems === 'string' ? [{ variable: variableOrProblems, problem }] : [...variableOrProblems];
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
