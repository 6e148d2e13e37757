// BatchWriteItem, the store's way: requests in chunks of DynamoDB's limit (25), and whatever it
// leaves unprocessed (throttling) sent again with a short backoff (RETRY_POLICIES.unprocessedItems);
// still unprocessed after that is an error. Used by the bulk removals (API tokens, an account's
// deletion) and by moving security events under a pseudonym.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { RETRY_POLICIES, tryAgain, withRetries } from './retry-policy.ts';

/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_LIMIT = 25;

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export async function batchWrite(db: Db, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: unknown[] = requests.slice(start, start + BATCH_WRITE_LIMIT);
    await withRetries(RETRY_POLICIES.unprocessedItems, async () => {
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as WriteRequest[] } }));
      pending = UnprocessedItems?.[tableName] ?? [];
      return pending.length ? tryAgain(new Error('BatchWriteItem left items unprocessed')) : undefined;
    });
  }
}

/** Deletes the items with these keys. */
export function deleteAll(db: Db, tableName: string, keys: readonly Record<string, unknown>[]): Promise<void> {
  return batchWrite(
    db,
    tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}
