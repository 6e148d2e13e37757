// Account deletion on the table (lib/domain/account-deletion.ts). Step 1 is one transaction; the
// clean-up finds what the user owns with two queries (the user's partition, and gsi1 under
// USER#<id>, where every item the user owns elsewhere is listed: lib/store/keys.ts
// ownedItemListing) instead of a scan, and deletes in batches; the profile goes last.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountDeletionStore, DeletionStart, UnfinishedDeletion } from '../domain/account-deletion.ts';
import type { User } from '../domain/user.ts';
import { deleteAll } from './batch-write.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { emailClaimKeys, lookupKeys, usernameClaimKeys } from './identifier-claims.ts';
import { externalIdKey, passkeyLookupKey, userKey, userListing, userNumberKey } from './keys.ts';
import { queryAll } from './query-all.ts';
import { RETRY_POLICIES, tryAgain, withRetries } from './retry-policy.ts';
import { securityEventPut } from './security-events.ts';
import { conditionalTransaction, type TransactItems } from './transact.ts';

type Key = { pk: string; sk: string };

/** gsi1 partition of the deleted profiles whose clean-up has not finished (admin accounts finish-deletions). */
export const UNFINISHED_DELETIONS_LISTING = 'DELETIONS';
const PASSKEY_SK_PREFIX = 'MFA#PASSKEY#';

export function accountDeletionStore(db: Db, tableName: string): AccountDeletionStore {
  const get = async (key: Key) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  /** The claim keys (canonical and old forms) that this user holds now. */
  async function heldClaims(user: User): Promise<Key[]> {
    const candidates = [
      ...lookupKeys(usernameClaimKeys(user.username)),
      ...lookupKeys(emailClaimKeys(user.email)),
      ...(user.number === undefined ? [] : [userNumberKey(user.number)]),
      // Deletion frees the foreign id too: the same user may be imported or migrated again.
      ...(user.externalId === undefined ? [] : [externalIdKey(user.externalId)]),
    ];
    const items = await Promise.all(candidates.map(async (key) => ({ key, item: await get(key) })));
    return items.filter(({ item }) => item?.userId === user.id).map(({ key }) => key);
  }

  const deleteKeys = (keys: Key[]) => deleteAll(db, tableName, keys);

  return {
    begin({ user, pseudonym, now, event }: DeletionStart) {
      return withRetries(RETRY_POLICIES.optimistic, async () => {
        const claims = await heldClaims(user);
        const items: TransactItems = [
          {
            Update: {
              TableName: tableName,
              Key: userKey(user.id),
              // Never backwards: a later valid-after (another machine's clock) already covers now.
              UpdateExpression:
                'SET #status = :deleted, deletion = :deletion, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso, gsi1pk = :listing, gsi1sk = :listed REMOVE keptSessionId',
              ConditionExpression: 'attribute_exists(pk) AND #status <> :deleted',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':deleted': 'deleted',
                ':deletion': { startedAt: now, pseudonym },
                ':after': Math.max(now, user.validAfterMs ?? 0, user.apiTokensValidAfterMs ?? 0),
                ':iso': new Date(now).toISOString(),
                ':listing': UNFINISHED_DELETIONS_LISTING,
                ':listed': `${new Date(now).toISOString()}#${user.id}`,
              },
            },
          },
          ...claims.map((key) => ({
            Delete: { TableName: tableName, Key: key, ConditionExpression: 'userId = :id', ExpressionAttributeValues: { ':id': user.id } },
          })),
          securityEventPut(tableName, event),
        ];
        const failed = await conditionalTransaction(db, items);
        if (!failed.length) return 'started' as const;
        if (failed.includes(0)) return 'already' as const;
        // A claim changed hands between the read and the write (it cannot be ours any more): read again.
        return tryAgain(new Error('The account names kept changing while being freed'));
      });
    },

    async removeOwnedItems(user) {
      const partition = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': userKey(user.id).pk },
        ConsistentRead: true,
      });
      const owned = partition.filter((item) => item.sk !== userKey(user.id).sk);
      const passkeyLookups = owned
        .filter((item) => String(item.sk).startsWith(PASSKEY_SK_PREFIX))
        .map((item) => passkeyLookupKey(String(item.sk).slice(PASSKEY_SK_PREFIX.length)));
      // A credential id names one account (lib/store/passkeys.ts); the lookup is removed only if it is this one's.
      let removed = 0;
      for (const key of passkeyLookups) {
        const deleted = await conditionalWrite(
          db.send(new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'userId = :id', ExpressionAttributeValues: { ':id': user.id } })),
        );
        if (deleted) removed += 1;
      }
      // The passkeys themselves after their lookups: an interruption leaves them to find the lookups again.
      await deleteKeys(owned.map((item) => ({ pk: item.pk as string, sk: item.sk as string })));
      const listed = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': userListing(user.id) },
      });
      const keys = listed.filter((item) => item.pk !== userKey(user.id).pk).map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
      await deleteKeys(keys);
      return removed + owned.length + keys.length;
    },

    async removeProfile(userId) {
      await conditionalWrite(
        db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: userKey(userId),
            ConditionExpression: '#status = :deleted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':deleted': 'deleted' },
          }),
        ),
      );
    },

    async listUnfinished() {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': UNFINISHED_DELETIONS_LISTING },
      });
      return items
        .filter((item) => item.type === 'user' && item.status === 'deleted')
        .map((item): UnfinishedDeletion => ({ userId: item.id as string, startedAt: (item.deletion as { startedAt: number }).startedAt }));
    },
  };
}
