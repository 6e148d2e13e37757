// Personal API tokens, stored in their owner's partition (pk USER#<id>, sk APITOKEN#<token id>):
// listing is one consistent Query, another user's token id simply does not exist under the
// caller's key, and the per-user limit is enforced exactly. Only the token's SHA-256 is stored.
import { DeleteCommand, GetCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiTokenRecord, ApiTokenStore, CreateOutcome } from '../domain/api-token.ts';
import { apiTokenFromItem as toRecord } from './api-token-item.ts';
import { deleteAll } from './batch-write.ts';
import type { Db } from './client.ts';
import { conditionalWrite, unlessConditionFails } from './conditional-write.ts';
import { documentClientReader } from './document-client-reader.ts';
import { apiTokenKey, userKey } from './keys.ts';
import { RETRY_POLICIES, type TryAgain, tryAgain, withRetries } from './retry-policy.ts';
import { apiTokenReads } from './token-reads.ts';
import { conditionalTransaction } from './transact.ts';

const TOKEN_SK_PREFIX = 'APITOKEN#';
const isLive = (record: ApiTokenRecord, nowSeconds: number) => record.expiresAt > nowSeconds;

export function apiTokenStore(db: Db, tableName: string): ApiTokenStore {
  /** Every item of the user's partition: the profile (with its token version) and the tokens. */
  async function partition(userId: string, tokensOnly: boolean): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: tokensOnly ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: tokensOnly ? { ':pk': userKey(userId).pk, ':prefix': TOKEN_SK_PREFIX } : { ':pk': userKey(userId).pk },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function attemptCreate(record: ApiTokenRecord, maxLive: number, nowSeconds: number): Promise<CreateOutcome | TryAgain> {
    const items = await partition(record.userId, false);
    const profile = items.find((item) => item.sk === userKey(record.userId).sk);
    if (!profile) throw new Error('API token owner does not exist');
    const live = items.filter((item) => String(item.sk).startsWith(TOKEN_SK_PREFIX) && isLive(toRecord(item), nowSeconds)).length;
    if (live >= maxLive) return 'limit-reached';
    // The count is only true while nobody else adds a token: every create bumps the user's token
    // version on the condition that it is still the one we counted under.
    const version = typeof profile.apiTokenVersion === 'number' ? profile.apiTokenVersion : undefined;
    const failed = await conditionalTransaction(db, [
      {
        Update: {
          TableName: tableName,
          Key: userKey(record.userId),
          UpdateExpression: 'SET apiTokenVersion = :next',
          ConditionExpression: version === undefined ? 'attribute_exists(pk) AND attribute_not_exists(apiTokenVersion)' : 'apiTokenVersion = :seen',
          ExpressionAttributeValues: version === undefined ? { ':next': 1 } : { ':next': version + 1, ':seen': version },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...apiTokenKey(record.userId, record.id), type: 'apiToken', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    if (!failed.length) return 'created';
    // Another create (or delete) got in since we counted: count again.
    if (failed.includes(0)) return tryAgain(new Error('Too many concurrent API token creations'));
    throw new Error('API token id already exists');
  }

  return {
    create(record, { maxLive, nowSeconds }) {
      return withRetries(RETRY_POLICIES.contended, () => attemptCreate(record, maxLive, nowSeconds));
    },

    async get(userId, tokenId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: apiTokenKey(userId, tokenId), ConsistentRead: true }));
      return Item ? toRecord(Item) : undefined;
    },

    async list(userId, nowSeconds) {
      const records = (await partition(userId, true)).map(toRecord).filter((record) => isLive(record, nowSeconds));
      return records.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    },

    async update(userId, tokenId, changes, now) {
      const sets = ['modifiedAt = :now'];
      const values: Record<string, unknown> = { ':now': now, ':nowSeconds': Math.floor(now / 1000) };
      const names: Record<string, string> = {};
      // "name" and "ttl" are DynamoDB reserved words, hence the #placeholders.
      if (changes.name !== undefined) {
        sets.push('#name = :name');
        names['#name'] = 'name';
        values[':name'] = changes.name;
      }
      if (changes.ttl !== undefined) {
        sets.push('#ttl = :ttl');
        names['#ttl'] = 'ttl';
        values[':ttl'] = changes.ttl;
      }
      if (changes.expiresAt !== undefined) {
        sets.push('expiresAt = :expiresAt');
        values[':expiresAt'] = changes.expiresAt;
      }
      const output = await unlessConditionFails(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: apiTokenKey(userId, tokenId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            // An expired token stays expired: renewing it would revive a credential its owner let lapse.
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :nowSeconds',
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return output?.Attributes ? toRecord(output.Attributes) : undefined;
    },

    delete(userId, tokenId) {
      return conditionalWrite(
        db.send(new DeleteCommand({ TableName: tableName, Key: apiTokenKey(userId, tokenId), ConditionExpression: 'attribute_exists(pk)' })),
      );
    },

    async deleteAll(userId) {
      const keys = (await partition(userId, true)).map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
      await deleteAll(db, tableName, keys);
      return keys.length;
    },

    // Authentication's part (lookupWithOwner, touch) is shared with the authorizer's light client.
    ...apiTokenReads(documentClientReader(db), tableName),
  };
}
