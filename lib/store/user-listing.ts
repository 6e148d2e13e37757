// Every user's profile item, page after page, by a Scan of the table: for `admin export`, which
// writes each page as it arrives, so no more than one page of users is ever held in memory.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../domain/user.ts';
import type { Db } from './client.ts';
import { userFromItem } from './user-item.ts';

export interface UserListingOptions {
  /** Items DynamoDB looks at per page (before the filter; default: as many as fit in 1 MB). */
  pageItems?: number;
}

/**
 * Yields the users (every status, `deleted` included: the caller decides) one Scan page at a time;
 * a page may be empty (it held only other items). Consistent reads: every user created before the
 * listing began is in it.
 */
export async function* userPages(db: Db, tableName: string, options: UserListingOptions = {}): AsyncGenerator<User[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#type = :user AND sk = :profile',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':user': 'user', ':profile': 'PROFILE' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...(options.pageItems ? { Limit: options.pageItems } : {}),
      }),
    );
    yield (page.Items ?? []).map(userFromItem);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
