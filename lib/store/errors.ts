// Recognising DynamoDB's conditional-write failures, so store operations can turn them into domain errors.

interface CancellationReason {
  Code?: string;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * For a cancelled TransactWriteItems, the indexes of the items whose condition failed; undefined
 * when the error is something else (throttling, validation), which the caller must rethrow.
 */
export function failedConditions(error: unknown): number[] | undefined {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) return undefined;
  if (isTransactionConflict(error)) return undefined; // not a verdict yet: the caller retries
  const failed: number[] = [];
  e.CancellationReasons.forEach((reason, index) => {
    if (reason.Code === 'ConditionalCheckFailed') failed.push(index);
  });
  return failed.length ? failed : undefined;
}

/** DynamoDB cancelled the transaction because another one touched the same item at that moment. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  return e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
}
