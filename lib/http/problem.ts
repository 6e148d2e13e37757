// The one mapper from errors to RFC 9457 problem+json. AppErrors show their message; anything else
// is logged in full and answered with a bare 500 that reveals nothing.
import { AppError, DependencyUnavailableError, InternalError } from '../domain/errors.ts';
import { toHttpError, type HttpError } from './status.ts';
import { log } from '../support/log.ts';
import type { HttpResult } from './types.ts';
import { isTransactionConflict } from '../store/errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// What the AWS SDK throws once its own retries are spent, provoked against refused, hanging and
// fake endpoints answering each error (see test/integration/faults.test.ts):
//  - refused connection: Error, code ECONNREFUSED (ECONNRESET / EPIPE when the peer dies mid-call);
//  - hanging endpoint: name TimeoutError, code ETIMEDOUT (the requestTimeout in lib/store/client.ts);
//  - throttling: ThrottlingException, ProvisionedThroughputExceededException, RequestLimitExceeded,
//    SES Throttling;
//  - DynamoDB 5xx: InternalServerError, ServiceUnavailableException, or a SyntaxError when a proxy's
//    5xx page is not JSON: all carry $metadata.httpStatusCode >= 500.

/** Throttled, unreachable, overloaded or timing out: by error name or Node network error code. */
const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // A transaction with the same client token is still being applied (a retry raced the original).
  'TransactionInProgressException',
  // Transactions that kept colliding with concurrent ones on the same item, after our retries.
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Seconds a client should wait before trying again (RFC 9110 Retry-After); the SDK has already backed off. */
export const RETRY_AFTER_SECONDS = 1;

interface SdkErrorShape {
  name?: string;
  code?: string;
  cause?: { name?: string; code?: string };
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** A dependency failure the client may retry (503), rather than a bug (500) or a refused request. */
export function isDependencyFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    isTransactionConflict(error) ||
    [e.name, e.code, e.cause?.name, e.cause?.code].some((name) => typeof name === 'string' && UNAVAILABLE.has(name)) ||
    status === 429 ||
    status >= 500
  );
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  return isDependencyFailure(error) ? new DependencyUnavailableError(error, RETRY_AFTER_SECONDS) : undefined;
}

export function problem(error: HttpError): HttpResult {
  const body: Record<string, unknown> = {
    type: `urn:auth-service:problem:${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
  };
  if (error.errors?.length) body.errors = error.errors;
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...error.headers },
    body: JSON.stringify(body),
  };
}

/** Shapes an error for the wire: problem+json natively, a dialect's own envelope on compatibility routes. */
export type ErrorRenderer = (error: HttpError) => HttpResult;

/** Maps any thrown value to a response; unexpected ones are logged (redacted) and hidden. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}, render: ErrorRenderer = problem): HttpResult {
  const known = toAppError(error);
  if (known) {
    // Operators need to see outages; attempts shows the SDK did retry before giving up.
    if (known instanceof DependencyUnavailableError) log.warn('dependency unavailable', { ...context, error, attempts: (error as SdkErrorShape)?.$metadata?.attempts });
    return render(toHttpError(known));
  }
  log.error('unhandled error', { ...context, error });
  return render(toHttpError(new InternalError()));
}
