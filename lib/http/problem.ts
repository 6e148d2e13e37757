// The one mapper from errors to RFC 9457 problem+json. AppErrors show their message; anything else
// is logged in full and answered with a bare 500 that reveals nothing.
import { AppError, DependencyUnavailableError, InternalError } from '../domain/errors.ts';
import { log } from '../support/log.ts';
import { type ChallengeContext, type HttpError, toHttpError } from './status.ts';
import type { HttpResult } from './types.ts';

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

/**
 * Only AppErrors are known: the adapters turn a dependency's outage into DependencyUnavailableError
 * themselves (lib/aws/dependency-failures.ts). Anything else is a bug: undefined, answered 500.
 */
export function toAppError(error: unknown): AppError | undefined {
  return error instanceof AppError ? error : undefined;
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
  // Extension members never replace the standard ones (RFC 9457 §3.2).
  for (const [name, value] of Object.entries(error.members ?? {})) if (!(name in body)) body[name] = value;
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...error.headers },
    body: JSON.stringify(body),
  };
}

/** Shapes an error for the wire: problem+json natively, a dialect's own envelope on compatibility routes. */
export type ErrorRenderer = (error: HttpError) => HttpResult;

/**
 * Maps any thrown value to a response; unexpected ones are logged (redacted) and hidden.
 * @param request what the request said about its credentials (which challenge, if any, to send)
 */
export function errorResponse(
  error: unknown,
  context: Record<string, unknown> = {},
  render: ErrorRenderer = problem,
  request: ChallengeContext = {},
): HttpResult {
  const known = toAppError(error);
  if (known) {
    // Operators need to see outages: the original failure (the cause), and its attempts, which show
    // the client did retry before giving up.
    if (known instanceof DependencyUnavailableError) {
      log.warn('dependency unavailable', {
        ...context,
        error: known.cause ?? known,
        attempts: (known.cause as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts,
      });
    }
    return render(toHttpError(known, request));
  }
  log.error('unhandled error', { ...context, error });
  return render(toHttpError(new InternalError()));
}
