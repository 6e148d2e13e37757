// The one mapper from errors to RFC 9457 problem+json. AppErrors show their message; anything else
// is logged in full and answered with a bare 500 that reveals nothing.
import { AppError, ServiceUnavailableError } from '../errors.ts';
import { log } from '../log.ts';
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

/** Errors the AWS SDK raises when DynamoDB or SES is throttling or unreachable after its retries. */
const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  // Transactions that kept colliding with concurrent ones on the same item, after our retries.
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

function isUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: unknown; cause?: { code?: string } };
  return isTransactionConflict(error) || UNAVAILABLE.has(e?.name ?? '') || UNAVAILABLE.has(e?.code ?? '') || UNAVAILABLE.has(e?.cause?.code ?? '');
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isUnavailable(error)) return new ServiceUnavailableError(1);
  return undefined;
}

export function problem(error: AppError): HttpResult {
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
export type ErrorRenderer = (error: AppError) => HttpResult;

/** Maps any thrown value to a response; unexpected ones are logged (redacted) and hidden. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}, render: ErrorRenderer = problem): HttpResult {
  const known = toAppError(error);
  if (known) {
    if (known.status >= 500) log.warn('dependency unavailable', { ...context, error });
    return render(known);
  }
  log.error('unhandled error', { ...context, error });
  return render(new AppError(500, 'internal_error', 'Something went wrong on our side.'));
}
