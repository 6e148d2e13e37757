// TransactWriteItems, the store's way. DynamoDB cancels a transaction that races another on the
// same item (or is throttled) without deciding its conditions, and the SDK does not retry that: a
// short jittered retry (RETRY_POLICIES.transactionConflict) lets the conditions give the real
// answer, and a transaction still undecided after it is an outage (DependencyUnavailableError).
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { transactionVerdict } from './errors.ts';
import { RETRY_POLICIES, type RetryTiming, tryAgain, withRetries } from './retry-policy.ts';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Runs a transaction whose conditions mean something: [] when it was applied, else the indexes
 * (into `items`) of the items whose condition failed. Any other failure is thrown.
 */
export function conditionalTransaction(db: Db, items: TransactItems, timing?: RetryTiming): Promise<number[]> {
  return withRetries(
    RETRY_POLICIES.transactionConflict,
    async () => {
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return [];
      } catch (error) {
        const verdict = transactionVerdict(error);
        if (verdict === 'undecided') return tryAgain(error);
        if (verdict) return verdict;
        throw error;
      }
    },
    timing,
  );
}

/** True when the transaction was applied, false when a condition failed (another writer won, or the thing is no longer valid). */
export async function transactIfConditionsHold(db: Db, items: TransactItems): Promise<boolean> {
  return (await conditionalTransaction(db, items)).length === 0;
}

/**
 * A transaction whose conditions only guard against the impossible (a random key taken, a user
 * that vanished): a failed one is a bug, thrown as such.
 */
export async function transactWrite(db: Db, items: TransactItems): Promise<void> {
  const failed = await conditionalTransaction(db, items);
  if (failed.length) throw new Error(`A transaction guard failed unexpectedly (items ${failed.join(', ')})`);
}
