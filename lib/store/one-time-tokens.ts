// Password-reset and email-verification tokens: single-use, stored only as SHA-256 hashes, with a
// TTL. Using one is a transaction that deletes it (on the condition that it still exists and has
// not expired) together with the change it authorises, so a token works exactly once and a
// change never happens without its token being spent.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OneTimeToken, OneTimeTokenStore } from '../domain/one-time-token.ts';
import type { Db } from './client.ts';
import { resetTokenKey, userKey, verifyTokenKey } from './keys.ts';
import { transactIfConditionsHold, transactWrite } from './transact.ts';

const live = (item: Record<string, unknown> | undefined, nowSeconds: number) =>
  item !== undefined && typeof item.expiresAt === 'number' && item.expiresAt > nowSeconds;

function toToken(item: Record<string, unknown>): OneTimeToken {
  return { userId: item.userId as string, expiresAt: item.expiresAt as number, ...(typeof item.email === 'string' ? { email: item.email } : {}) };
}

export function oneTimeTokenStore(db: Db, tableName: string): OneTimeTokenStore {
  async function get(key: { pk: string; sk: string }) {
    return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  }

  return {
    async createResetToken(tokenHash, token, now) {
      await transactWrite(db, [
        { Put: { TableName: tableName, Item: { ...resetTokenKey(tokenHash), type: 'resetToken', ...token, createdAt: now } } },
        {
          Update: {
            TableName: tableName,
            Key: userKey(token.userId),
            UpdateExpression: 'SET resetTokenHash = :hash',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':hash': tokenHash },
          },
        },
      ]);
    },

    async findResetToken(tokenHash, nowSeconds) {
      const item = await get(resetTokenKey(tokenHash));
      if (!live(item, nowSeconds)) return undefined;
      const user = await get(userKey(item!.userId as string));
      return user?.resetTokenHash === tokenHash ? toToken(item!) : undefined;
    },

    async resetPassword({ tokenHash, userId, newPasswordHash, now }) {
      return transactIfConditionsHold(db, [
        {
          Delete: {
            TableName: tableName,
            Key: resetTokenKey(tokenHash),
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :nowSeconds AND userId = :userId',
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(now / 1000), ':userId': userId },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: userKey(userId),
            // +1 ms: a token issued in this very millisecond counts as before the change.
            UpdateExpression: 'SET passwordHash = :hash, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso REMOVE resetTokenHash',
            ConditionExpression: 'resetTokenHash = :token AND #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':hash': newPasswordHash,
              ':after': now + 1,
              ':iso': new Date(now).toISOString(),
              ':token': tokenHash,
              ':active': 'active',
            },
          },
        },
      ]);
    },

    async discard(kind, tokenHash) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: kind === 'reset' ? resetTokenKey(tokenHash) : verifyTokenKey(tokenHash) }));
    },

    async createVerifyToken(tokenHash, token, now) {
      await db.send(
        // No attribute_not_exists condition: the key is the hash of 256 random bits, so it cannot
        // collide, and a condition would turn the SDK's retry of a put whose answer was lost into
        // a ConditionalCheckFailedException (and the registration into a 500).
        new PutCommand({
          TableName: tableName,
          Item: { ...verifyTokenKey(tokenHash), type: 'verifyToken', ...token, createdAt: now },
        }),
      );
    },

    async findVerifyToken(tokenHash, nowSeconds) {
      const item = await get(verifyTokenKey(tokenHash));
      return live(item, nowSeconds) ? (toToken(item!) as OneTimeToken & { email: string }) : undefined;
    },

    async verifyEmail(tokenHash, token, now) {
      return transactIfConditionsHold(db, [
        {
          Delete: {
            TableName: tableName,
            Key: verifyTokenKey(tokenHash),
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :nowSeconds',
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(now / 1000) },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: userKey(token.userId),
            UpdateExpression: 'SET emailVerified = :true, updatedAt = :iso',
            // The link proves ownership of the address it was sent to, not of a later one.
            ConditionExpression: 'email = :email',
            ExpressionAttributeValues: { ':true': true, ':iso': new Date(now).toISOString(), ':email': token.email },
          },
        },
      ]);
    },
  };
}
