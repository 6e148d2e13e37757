// Every user's profile item, page after page, by a Scan of the table: for `admin export`, which
// writes each page as it arrives, so no more than one page of users is ever held in memory, and for
// `admin migrate-identifiers` (./identifier-claims.ts), which reads only the names.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../domain/user.ts';
import type { Db } from './client.ts';
import { userFromItem } from './user-item.ts';

export interface UserListingOptions {
  /** Items DynamoDB looks at per page (before the filter; default: as many as fit in 1 MB). */
  pageItems?: number;
}

/**
 * Yields the users' profile items as stored, one Scan page at a time, with only `attributes` when
 * given; a page may be empty (it held only other items). Consistent reads: every user created
 * before the listing began is in it.
 */
export async function* profileItemPages(
  db: Db,
  tableName: string,
  options: UserListingOptions & { attributes?: readonly string[] } = {},
): AsyncGenerator<Record<string, unknown>[]> {
  const names = Object.fromEntries((options.attributes ?? []).map((attribute, i) => [`#a${i}`, attribute]));
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#type = :user AND sk = :profile',
        ExpressionAttributeNames: { '#type': 'type', ...names },
        ExpressionAttributeValues: { ':user': 'user', ':profile': 'PROFILE' },
        ...(options.attributes ? { ProjectionExpression: Object.keys(names).join(', ') } : {}),
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...(options.pageItems ? { Limit: options.pageItems } : {}),
      }),
    );
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The users (every status, `deleted` included: the caller decides), one Scan page at a time (profileItemPages). */
export async function* userPages(db: Db, tableName: string, options: UserListingOptions = {}): AsyncGenerator<User[]> {
  for await (const items of profileItemPages(db, tableName, options)) yield items.map(userFromItem);
}
