// The store's helpers for writes whose failed condition is an answer (lib/store/conditional-write.ts)
// and for reading a cancelled transaction (lib/store/errors.ts): a failed condition is a result,
// anything else goes on unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import { conditionalWrite, unlessConditionFails } from '../../../lib/store/conditional-write.ts';
import { transactionVerdict } from '../../../lib/store/errors.ts';

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });
const conditionFailed = () => named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } });

/** Errors that are not a failed condition: DynamoDB's other refusals, an outage, a bug. */
const otherErrors = fc.oneof(
  fc.constantFrom('ValidationException', 'ResourceNotFoundException', 'TransactionCanceledException', 'AccessDeniedException').map((name) => named(name)),
  fc.constant(new DependencyUnavailableError(named('ThrottlingException'))),
  fc.constant(new TypeError('x is undefined')),
  fc
    .string()
    .filter((name) => name !== 'ConditionalCheckFailedException')
    .map((name) => named(name)),
);

describe('conditionalWrite', () => {
  it('is true when the write was applied, false when its condition failed', async () => {
    expect(await conditionalWrite(Promise.resolve({ $metadata: {} }))).toBe(true);
    expect(await conditionalWrite(Promise.reject(conditionFailed()))).toBe(false);
  });

  it('rethrows every other failure as it was', async () => {
    await fc.assert(
      fc.asyncProperty(otherErrors, async (error) => {
        await expect(conditionalWrite(Promise.reject(error))).rejects.toBe(error);
        await expect(unlessConditionFails(Promise.reject(error))).rejects.toBe(error);
      }),
    );
  });
});

describe('unlessConditionFails', () => {
  it("gives the write's output when applied, undefined when its condition failed", async () => {
    const output = { Attributes: { failures: 2 } };
    expect(await unlessConditionFails(Promise.resolve(output))).toBe(output);
    expect(await unlessConditionFails(Promise.reject(conditionFailed()))).toBeUndefined();
  });
});

describe('transactionVerdict', () => {
  const cancelled = (...codes: string[]) => named('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });
  const verdictCode = fc.constantFrom('None', 'ConditionalCheckFailed');

  it('names the items whose condition failed, in order', () => {
    fc.assert(
      fc.property(fc.array(verdictCode, { minLength: 1, maxLength: 25 }), (codes) => {
        const failed = codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : []));
        expect(transactionVerdict(cancelled(...codes))).toEqual(failed.length ? failed : undefined);
      }),
    );
  });

  it('is undecided when DynamoDB cancelled before deciding (a conflict or throttling), whatever else it says', () => {
    fc.assert(
      fc.property(
        fc.array(verdictCode, { maxLength: 10 }),
        fc.constantFrom('TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'),
        fc.nat(),
        (codes, undecided, at) => {
          const all: string[] = [...codes];
          all.splice(at % (codes.length + 1), 0, undecided);
          expect(transactionVerdict(cancelled(...all))).toBe('undecided');
        },
      ),
    );
  });

  it('has nothing to say about other errors, or a cancellation for another reason', () => {
    expect(transactionVerdict(conditionFailed())).toBeUndefined();
    expect(transactionVerdict(new DependencyUnavailableError(cancelled('TransactionConflict')))).toBeUndefined();
    expect(transactionVerdict(cancelled('ValidationError'))).toBeUndefined();
    expect(transactionVerdict(undefined)).toBeUndefined();
  });
});
