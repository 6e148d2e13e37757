// Personal API tokens, stored in their owner's partition (pk USER#<id>, sk APITOKEN#<token id>):
// listing is one consistent Query, another user's token id simply does not exist under the
// caller's key, and the per-user limit is enforced exactly. Only the token's SHA-256 is stored.
import { BatchWriteCommand, DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { apiTokenFromItem as toRecord } from './api-token-item.ts';
import type { Db } from './client.ts';
import { documentClientReader } from './document-client-reader.ts';
import { failedConditions, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { apiTokenKey, userKey } from './keys.ts';
import { apiTokenReads } from './token-reads.ts';
import { transactWrite } from './transact.ts';
import type { User } from './users.ts';

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** The lifetime asked for, seconds. */
  ttl: number;
  tokenHash: string;
  /** Epoch milliseconds. */
  createdAt: number;
  modifiedAt: number;
  lastUsedAt?: number;
  /** Epoch seconds (the TTL attribute). */
  expiresAt: number;
}

export type CreateOutcome = 'created' | 'limit-reached';

export interface ApiTokenStore {
  /** Stores a token unless the owner already has `maxLive` live tokens. */
  create(record: ApiTokenRecord, limits: { maxLive: number; nowSeconds: number }): Promise<CreateOutcome>;
  /** One of the owner's tokens (live or not), or undefined. */
  get(userId: string, tokenId: string): Promise<ApiTokenRecord | undefined>;
  /** The owner's live tokens, newest first. */
  list(userId: string, nowSeconds: number): Promise<ApiTokenRecord[]>;
  /** Renames and/or renews a live token; undefined when the owner has no such live token. */
  update(userId: string, tokenId: string, changes: { name?: string; ttl?: number; expiresAt?: number }, now: number): Promise<ApiTokenRecord | undefined>;
  /** False when the owner has no such token. */
  delete(userId: string, tokenId: string): Promise<boolean>;
  /** Deletes every token of the owner; returns how many. */
  deleteAll(userId: string): Promise<number>;
  /** The token's record and its owner, in one consistent read (for authentication). */
  lookupWithOwner(userId: string, tokenId: string): Promise<{ record?: ApiTokenRecord; user?: User }>;
  /** Records a use, unless one was recorded less than `minIntervalMs` ago (spares writes). */
  touch(userId: string, tokenId: string, now: number, minIntervalMs: number): Promise<void>;
}

const TOKEN_SK_PREFIX = 'APITOKEN#';
/** Concurrent creates for one user retry this often before giving up with a 503-mapped error. */
const CREATE_ATTEMPTS = 8;

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

  async function attemptCreate(record: ApiTokenRecord, maxLive: number, nowSeconds: number): Promise<CreateOutcome | 'retry'> {
    const items = await partition(record.userId, false);
    const profile = items.find((item) => item.sk === userKey(record.userId).sk);
    if (!profile) throw new Error('API token owner does not exist');
    const live = items.filter((item) => String(item.sk).startsWith(TOKEN_SK_PREFIX) && isLive(toRecord(item), nowSeconds)).length;
    if (live >= maxLive) return 'limit-reached';
    // The count is only true while nobody else adds a token: every create bumps the user's token
    // version on the condition that it is still the one we counted under.
    const version = typeof profile.apiTokenVersion === 'number' ? profile.apiTokenVersion : undefined;
    try {
      await transactWrite(db, {
        TransactItems: [
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
        ],
      });
      return 'created';
    } catch (error) {
      if (failedConditions(error)?.includes(0) || isTransactionConflict(error)) return 'retry';
      throw error;
    }
  }

  return {
    async create(record, { maxLive, nowSeconds }) {
      for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt += 1) {
        const outcome = await attemptCreate(record, maxLive, nowSeconds);
        if (outcome !== 'retry') return outcome;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 15 * attempt));
      }
      throw Object.assign(new Error('Too many concurrent API token creations'), { name: 'TransactionConflictException' });
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
      if (changes.name !== undefined) (sets.push('#name = :name'), (names['#name'] = 'name'), (values[':name'] = changes.name));
      if (changes.ttl !== undefined) (sets.push('#ttl = :ttl'), (names['#ttl'] = 'ttl'), (values[':ttl'] = changes.ttl));
      if (changes.expiresAt !== undefined) (sets.push('expiresAt = :expiresAt'), (values[':expiresAt'] = changes.expiresAt));
      try {
        const { Attributes } = await db.send(
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
        );
        return Attributes ? toRecord(Attributes) : undefined;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return undefined;
        throw error;
      }
    },

    async delete(userId, tokenId) {
      try {
        await db.send(new DeleteCommand({ TableName: tableName, Key: apiTokenKey(userId, tokenId), ConditionExpression: 'attribute_exists(pk)' }));
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async deleteAll(userId) {
      const keys = (await partition(userId, true)).map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
      for (let i = 0; i < keys.length; i += 25) {
        let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 1; pending.length; attempt += 1) {
          const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
          if (pending.length && attempt >= 5) throw Object.assign(new Error('BatchWriteItem left items unprocessed'), { name: 'ProvisionedThroughputExceededException' });
          if (pending.length) await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
        }
      }
      return keys.length;
    },

    // Authentication's part (lookupWithOwner, touch) is shared with the authorizer's light client.
    ...apiTokenReads(documentClientReader(db), tableName),
  };
}
