// What the table holds for one session's refresh tokens, read straight from DynamoDB: the count of
// live ones is what "one live refresh token per session" is about.
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';

/** The hashes of the family's refresh tokens that are still unused, by a consistent scan of the whole table. */
export async function unusedRefreshTokens(deps: Pick<Dependencies, 'db' | 'config'>, familyId: string): Promise<string[]> {
  const hashes: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await deps.db.send(
      new ScanCommand({
        TableName: deps.config.tableName,
        ConsistentRead: true,
        FilterExpression: '#type = :type AND familyId = :family AND used = :false',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'refreshToken', ':family': familyId, ':false': false },
        ExclusiveStartKey: startKey,
      }),
    );
    hashes.push(...(page.Items ?? []).map((item) => String(item.pk).slice('REFRESH#'.length)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return hashes;
}
