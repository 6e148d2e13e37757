// The one transient-error list (lib/aws/transient-errors.ts) as the conversion reads it
// (lib/aws/dependency-failures.ts): outages become DependencyUnavailableError with the original as
// cause; verdicts, refusals and bugs pass unchanged. (classifyError, the retry view of the same
// list, is held against the SDK's own classification in ./retry.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asDependencyFailure, convertingFailures } from '../../../lib/aws/dependency-failures.ts';
import { classifyError, isTransientFailure } from '../../../lib/aws/transient-errors.ts';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';

const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status, attempts: 3 } }), ...extra });

const OUTAGES = [
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  Object.assign(new Error('timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
  sdkError('ThrottlingException', 400),
  sdkError('ProvisionedThroughputExceededException', 400),
  sdkError('RequestLimitExceeded', 400),
  sdkError('Throttling', 400), // SES
  sdkError('TransactionInProgressException', 400),
  sdkError('TransactionConflictException', 400),
  sdkError('InternalServerError', 500),
  sdkError('ServiceUnavailableException', 503),
  sdkError('SyntaxError', 503), // a proxy's HTML error page
  sdkError('Unknown', 501),
  sdkError('Unknown', 429),
];

const VERDICTS_AND_BUGS = [
  sdkError('ConditionalCheckFailedException', 400),
  sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'TransactionConflict' }] }),
  sdkError('ValidationException', 400),
  sdkError('ResourceNotFoundException', 400),
  sdkError('AccessDeniedException', 400),
  sdkError('MessageRejected', 400), // SES: an unverified sender is a configuration fault
  new TypeError('x is undefined'),
];

describe('asDependencyFailure', () => {
  it.each(OUTAGES.map((e) => [e.name, e]))('turns %s into DependencyUnavailableError, keeping it as the cause', (_, error) => {
    const converted = asDependencyFailure(error);
    expect(converted).toBeInstanceOf(DependencyUnavailableError);
    expect(converted).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
    expect((converted as Error).cause).toBe(error);
  });

  it.each(VERDICTS_AND_BUGS.map((e) => [e.name, e]))('passes %s unchanged', (_, error) => {
    expect(asDependencyFailure(error)).toBe(error);
  });

  it('converts whatever the retry policy retries, so nothing retried can leave as a bug', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.constantFrom('ThrottlingException', 'TimeoutError', 'ValidationException', 'Error', 'SlowDown'),
          code: fc.option(fc.constantFrom('ECONNRESET', 'EPIPE', 'EACCES'), { nil: undefined }),
          status: fc.option(fc.constantFrom(200, 400, 429, 500, 503, 504), { nil: undefined }),
        }),
        ({ name, code, status }) => {
          const error = sdkError(name, status, code ? { code } : {});
          if (classifyError(error) !== 'other') expect(isTransientFailure(error)).toBe(true);
        },
      ),
    );
  });

  it('is not fooled by values that are not errors', () => {
    for (const value of [undefined, null, 'ECONNREFUSED', 503, {}]) expect(asDependencyFailure(value)).toBe(value);
  });
});

describe('convertingFailures', () => {
  it('returns what the call returns, and converts what it throws', async () => {
    expect(await convertingFailures(async () => 42)).toBe(42);
    const refused = OUTAGES[0]!;
    await expect(convertingFailures(() => Promise.reject(refused))).rejects.toMatchObject({ code: 'service_unavailable', cause: refused });
    const verdict = VERDICTS_AND_BUGS[0]!;
    await expect(convertingFailures(() => Promise.reject(verdict))).rejects.toBe(verdict);
  });
});
