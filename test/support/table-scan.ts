// Scanning the whole test table for anything that still names a user (its id, username, email):
// the proof that an account's deletion left nothing behind. Other tests' items share the table,
// so every attribute type DynamoDB returns (sets, big numbers) is turned into text.
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../../lib/use-cases/dependencies.ts';

const asText = (_key: string, value: unknown) => (value instanceof Set ? [...value] : typeof value === 'bigint' ? value.toString() : value);

/** Every item whose attributes mention one of `needles` (case-insensitive). */
export async function itemsNaming(deps: Pick<Dependencies, 'db' | 'config'>, needles: string[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await deps.db.send(
      new ScanCommand({ TableName: deps.config.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item, asText).toLowerCase();
      if (needles.some((needle) => text.includes(needle.toLowerCase()))) found.push(item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}
