// Recognising DynamoDB's answers that carry a verdict (a condition that failed) or no verdict yet
// (a transaction cancelled by a conflict), so the store's helpers (./conditional-write.ts,
// ./transact.ts) can interpret them. By name: the SDK's errors and the light client's share them.

interface CancellationReason {
  Code?: string;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Why DynamoDB cancels a transaction before deciding its conditions: trying again may succeed. */
const UNDECIDED_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * What a failed TransactWriteItems says: the indexes of the items whose condition failed (the
 * verdict); 'undecided' when DynamoDB cancelled it before deciding (another transaction touched
 * the same item, or throttling), so the caller tries again; undefined for any other error, which
 * the caller rethrows.
 */
export function transactionVerdict(error: unknown): number[] | 'undecided' | undefined {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  const reasons = e.CancellationReasons ?? [];
  if (reasons.some((reason) => UNDECIDED_REASONS.has(reason.Code ?? ''))) return 'undecided';
  const failed = reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
  return failed.length ? failed : undefined;
}
