// The one list of AWS failures that are worth another try, read two ways: classifyError tells a
// retry loop whether and how to retry (the AWS SDK's standard retry mode, which the light DynamoDB
// client reproduces: ./light-dynamodb/retry.ts), and isTransientFailure tells the adapters which
// failures left after the retries are an outage (DependencyUnavailableError, ./dependency-failures.ts)
// rather than a bug or a refused request. What the SDK raises for each was provoked against
// refused, hanging and fake endpoints (test/integration/faults.test.ts):
//  - refused connection: Error, code ECONNREFUSED (ECONNRESET / EPIPE when the peer dies mid-call);
//  - hanging endpoint: name TimeoutError, code ETIMEDOUT (the request timeout of each client);
//  - throttling: ThrottlingException, ProvisionedThroughputExceededException, RequestLimitExceeded,
//    SES Throttling;
//  - 5xx: InternalServerError, ServiceUnavailableException, or a SyntaxError when a proxy's 5xx
//    page is not JSON: all carry $metadata.httpStatusCode >= 500.

/** Error codes AWS uses for "slow down" (@smithy/service-error-classification's list). */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  // A transaction with the same client token is still being applied (a retry raced the original).
  'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
/** Node.js socket errors: the connection broke (a kept-alive socket after a Lambda freeze) or never came up. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * Not retried by the SDK, yet an outage rather than a bug when it is what remains: a single-item
 * write that collided with a transaction on the same item, and service errors by name, whatever
 * status a proxy put on them.
 */
const UNAVAILABLE_AFTER_RETRIES = new Set(['TransactionConflictException', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException']);

export type ErrorKind = 'throttling' | 'transient' | 'other';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: { name?: string; code?: string };
  $metadata?: { httpStatusCode?: number };
  /** Set by the light client when the error came from a wrong clock it has since corrected. */
  $clockSkewCorrected?: boolean;
  /** The SDK's retryable trait: set on errors known to be worth another try (a corrupted response). */
  $retryable?: { throttling?: boolean };
}

/** Whether and how the SDK's standard retry mode retries `error`; the light client asks the same. */
export function classifyError(error: unknown): ErrorKind {
  const e = (error ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || THROTTLING_CODES.has(e.name ?? '') || e.$retryable?.throttling === true) return 'throttling';
  if (
    e.$retryable !== undefined ||
    TRANSIENT_CODES.has(e.name ?? '') ||
    NETWORK_CODES.has(e.code ?? '') ||
    (status !== undefined && TRANSIENT_STATUSES.has(status)) ||
    e.$clockSkewCorrected === true ||
    (e.name === 'InvalidSignatureException' && (e.message ?? '').includes('Signature expired'))
  ) {
    return 'transient';
  }
  return 'other';
}

/**
 * A failure that remains after the client's retries and means the dependency is throttled,
 * unreachable, overloaded or timing out (so a client may try again later), not a bug or a request
 * the service refused. Network codes are looked for on the error's cause too: some SDK paths wrap them.
 */
export function isTransientFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    classifyError(error) !== 'other' ||
    UNAVAILABLE_AFTER_RETRIES.has(e.name ?? '') ||
    NETWORK_CODES.has(e.cause?.code ?? '') ||
    TRANSIENT_CODES.has(e.cause?.name ?? '') ||
    status >= 500
  );
}
