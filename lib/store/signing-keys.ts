// Signing keys: one partition holding a CURRENT pointer and every key (public JWK, encrypted
// private JWK). Creating the first key and rotating are conditional transactions, so concurrent
// cold starts or two rotations can never leave two "current" keys.
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { JWK } from 'jose';
import type { Db } from './client.ts';
import { failedConditions } from './errors.ts';
import { currentKeyPointer, SIGNING_KEYS_PK, signingKeyKey } from './keys.ts';

export interface StoredKey {
  kid: string;
  alg: string;
  publicJwk: JWK;
  /** The private JWK, AES-256-GCM encrypted under KEY_ENCRYPTION_SECRET (lib/tokens/key-encryption.ts). */
  encryptedPrivateJwk: string;
  createdAt: number;
  status: 'current' | 'retired';
  /** Epoch seconds: a retired key stays published until every token it signed has expired. */
  expiresAt?: number;
}

export interface KeySet {
  currentKid: string | undefined;
  keys: StoredKey[];
}

export interface SigningKeyStore {
  load(): Promise<KeySet>;
  /** Stores the first key; false when another instance won the race (load again and use theirs). */
  createFirst(key: StoredKey): Promise<boolean>;
  /** Makes `next` current and retires `previousKid` until `retireUntil`; false if someone rotated first. */
  rotate(next: StoredKey, previousKid: string, retireUntil: number): Promise<boolean>;
}

export function signingKeyStore(db: Db, tableName: string): SigningKeyStore {
  const keyItem = (key: StoredKey) => ({ ...signingKeyKey(key.kid), type: 'signingKey', ...key });

  return {
    async load() {
      const keys: StoredKey[] = [];
      let currentKid: string | undefined;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': SIGNING_KEYS_PK },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.sk === currentKeyPointer.sk) currentKid = item.kid as string;
          else {
            const { pk: _pk, sk: _sk, type: _type, ...key } = item;
            keys.push(key as StoredKey);
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { currentKid, keys };
    },

    async createFirst(key) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...currentKeyPointer, type: 'keyPointer', kid: key.kid },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: tableName, Item: keyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)) return false;
        throw error;
      }
    },

    async rotate(next, previousKid, retireUntil) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: currentKeyPointer,
                  UpdateExpression: 'SET kid = :next',
                  ConditionExpression: 'kid = :previous',
                  ExpressionAttributeValues: { ':next': next.kid, ':previous': previousKid },
                },
              },
              { Put: { TableName: tableName, Item: keyItem(next), ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                Update: {
                  TableName: tableName,
                  Key: signingKeyKey(previousKid),
                  UpdateExpression: 'SET #status = :retired, expiresAt = :until',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':retired': 'retired', ':until': retireUntil },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)) return false;
        throw error;
      }
    },
  };
}
