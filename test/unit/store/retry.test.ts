// The light DynamoDB client's retry policy against the SDK's own (@smithy/core/retry, as
// @aws-sdk/client-dynamodb configures it): the same errors retried as throttling or transient,
// the same backoff for the same random draw, the same DynamoDB base delay; and the retry quota.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, retryQuota } from '../../../lib/aws/light-dynamodb/retry.ts';
import { classifyError, type ErrorKind } from '../../../lib/aws/transient-errors.ts';
import { DYNAMODB_MAX_ATTEMPTS } from '../../../lib/store/client.ts';

const sdkKind = (error: object): ErrorKind => (isThrottlingError(error as never) ? 'throttling' : isTransientError(error as never) ? 'transient' : 'other');

const NAMES = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'LimitExceededException',
  'TimeoutError',
  'RequestTimeoutException',
  'ConditionalCheckFailedException',
  'ValidationException',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionCanceledException',
  'Error',
];
const STATUSES = [undefined, 200, 400, 403, 404, 413, 429, 500, 501, 502, 503, 504, 505];
const CODES = [
  undefined,
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EACCES',
  'ERR_SOMETHING',
];

afterEach(() => vi.restoreAllMocks());

describe('classifyError', () => {
  it('retries exactly the errors the SDK retries, as the same kind', () => {
    let cases = 0;
    for (const name of NAMES) {
      for (const status of STATUSES) {
        for (const code of CODES) {
          const error = Object.assign(new Error('x'), { name, ...(code ? { code } : {}), ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
          expect([name, status, code, classifyError(error)]).toEqual([name, status, code, sdkKind(error)]);
          cases += 1;
        }
      }
    }
    expect(cases).toBe(NAMES.length * STATUSES.length * CODES.length);
  });

  it('retries an expired signature, a corrected clock and a corrupted response as transient', () => {
    expect(classifyError(Object.assign(new Error('Signature expired: 20260101T000000Z is now earlier than ...'), { name: 'InvalidSignatureException' }))).toBe(
      'transient',
    );
    expect(classifyError(Object.assign(new Error('x'), { name: 'InvalidSignatureException', $clockSkewCorrected: true }))).toBe('transient');
    expect(classifyError(Object.assign(new Error('x'), { name: 'CRC32CheckFailed', $retryable: {} }))).toBe('transient');
    expect(classifyError(Object.assign(new Error('x'), { name: 'InvalidSignatureException' }))).toBe('other');
    expect(classifyError(undefined)).toBe('other');
  });
});

describe('backoffMs', () => {
  /** The waits the SDK's standard strategy chooses for retries 0, 1, 2, … of one request, and its quota after each. */
  async function sdkRetries(errorType: 'THROTTLING' | 'TRANSIENT', count: number) {
    vi.useFakeTimers();
    try {
      const strategy = new StandardRetryStrategy({ maxAttempts: count + 1, baseDelay: 25 });
      let token = await strategy.acquireInitialRetryToken('');
      const waits: { delay: number; capacity: number }[] = [];
      for (let retry = 0; retry < count; retry += 1) {
        const next = strategy.refreshRetryTokenForRetry(token, { errorType });
        await vi.runAllTimersAsync();
        token = await next;
        waits.push({ delay: (token as unknown as { $retryLog: { acquisitionDelay: number } }).$retryLog.acquisitionDelay, capacity: strategy.getCapacity() });
      }
      return waits;
    } finally {
      vi.useRealTimers();
    }
  }

  it.each([0, 0.001, 0.25, 0.5, 0.999999])('waits what the SDK waits, and spends what it spends, for the random draw %s', async (draw) => {
    vi.spyOn(Math, 'random').mockReturnValue(draw);
    for (const [kind, errorType] of [
      ['transient', 'TRANSIENT'],
      ['throttling', 'THROTTLING'],
    ] as const) {
      const quota = retryQuota();
      const takeAndCount = (k: typeof kind) => {
        quota.take(k);
        return quota.available();
      };
      const ours = Array.from({ length: 12 }, (_, retry) => ({ delay: backoffMs(kind, retry, () => draw), capacity: takeAndCount(kind) }));
      expect(ours).toEqual(await sdkRetries(errorType, 12));
    }
  });

  it('uses the base delay and attempt count the SDK client is configured with', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', maxAttempts: DYNAMODB_MAX_ATTEMPTS, retryMode: 'standard' });
    const strategy = (await client.config.retryStrategy()) as unknown as { baseDelay: number };
    client.destroy();
    expect(strategy.baseDelay).toBe(25);
    expect(backoffMs('transient', 0, () => 0.999999)).toBe(24);
    expect(DEFAULT_MAX_ATTEMPTS).toBe(DYNAMODB_MAX_ATTEMPTS);
  });

  it('never waits more than 20 s', () => {
    expect(backoffMs('throttling', 40, () => 0.999999)).toBe(19_999);
  });
});

describe('retryQuota', () => {
  it('pays for 35 transient retries or 100 throttled ones out of 500, then refuses', () => {
    const transient = retryQuota();
    for (let i = 0; i < 35; i += 1) expect(transient.take('transient')).toBe(14);
    expect(transient.take('transient')).toBeUndefined();
    expect(transient.take('throttling')).toBe(5); // 10 left, enough for the cheaper kind
    const throttled = retryQuota();
    for (let i = 0; i < 100; i += 1) expect(throttled.take('throttling')).toBe(5);
    expect(throttled.take('throttling')).toBeUndefined();
  });

  it('fills up again with successes, never beyond 500', () => {
    const quota = retryQuota();
    quota.take('transient');
    quota.succeeded(14); // a success after one retry gives its cost back
    expect(quota.available()).toBe(500);
    quota.take('throttling');
    quota.succeeded(undefined); // a first-try success gives back 1
    expect(quota.available()).toBe(496);
    for (let i = 0; i < 10; i += 1) quota.succeeded(undefined);
    expect(quota.available()).toBe(500);
  });
});
