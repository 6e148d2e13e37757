// Password-reset and email-verification tokens: single-use, stored only as SHA-256 hashes, with a
// TTL. Using one is a transaction that deletes it (on the condition that it still exists and has
// not expired) together with the change it authorises, so a token works exactly once and a
// change never happens without its token being spent. A user may hold several live links of each
// kind; the change one of them makes voids the others in the same transaction.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OneTimeToken, OneTimeTokenStore } from '../domain/one-time-token.ts';
import type { Db } from './client.ts';
import { ownedItemListing, resetTokenKey, userKey, verifyTokenKey } from './keys.ts';
import { transactIfConditionsHold } from './transact.ts';

const live = (item: Record<string, unknown> | undefined, nowSeconds: number) =>
  item !== undefined && typeof item.expiresAt === 'number' && item.expiresAt > nowSeconds;

/** A reset generation as stored; absent (users and links from before generations existed) is 0. */
const generationOf = (item: Record<string, unknown>, attribute: string): number => (typeof item[attribute] === 'number' ? item[attribute] : 0);

function toToken(item: Record<string, unknown>): OneTimeToken {
  return {
    userId: item.userId as string,
    expiresAt: item.expiresAt as number,
    ...(typeof item.email === 'string' ? { email: item.email } : {}),
    ...(item.sk === 'RESET' ? { generation: generationOf(item, 'generation') } : {}),
  };
}

export function oneTimeTokenStore(db: Db, tableName: string): OneTimeTokenStore {
  async function get(key: { pk: string; sk: string }) {
    return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  }

  return {
    async createResetToken(tokenHash, token, now) {
      // Beside the user's other links, not instead of them (a new request must not void the link
      // the owner is about to use). No condition, for the reason given at createVerifyToken.
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...resetTokenKey(tokenHash),
            ...ownedItemListing(token.userId, 'RESET', tokenHash),
            type: 'resetToken',
            ...token,
            generation: token.generation ?? 0,
            createdAt: now,
          },
        }),
      );
    },

    async findResetToken(tokenHash, nowSeconds) {
      const item = await get(resetTokenKey(tokenHash));
      if (!live(item, nowSeconds)) return undefined;
      const user = await get(userKey(item!.userId as string));
      // A reset since the link was issued moved the generation on: the link is void.
      return user !== undefined && generationOf(user, 'resetGeneration') === generationOf(item!, 'generation') ? toToken(item!) : undefined;
    },

    async resetPassword({ tokenHash, userId, generation, newPasswordHash, now }) {
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
            // +1 ms: a token issued in this very millisecond counts as before the change. Moving the
            // generation on voids every other reset link of the user in this same write, however
            // many there are, so the transaction stays two items. resetTokenHash is the newest-link
            // marker of earlier versions, no longer read. A reset spares no session: keptSessionId goes.
            UpdateExpression:
              'SET passwordHash = :hash, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso, resetGeneration = :next REMOVE resetTokenHash, keptSessionId',
            ConditionExpression: `#status = :active AND ${generation === 0 ? '(attribute_not_exists(resetGeneration) OR resetGeneration = :generation)' : 'resetGeneration = :generation'}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':hash': newPasswordHash,
              ':after': now + 1,
              ':iso': new Date(now).toISOString(),
              ':generation': generation,
              ':next': generation + 1,
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
          Item: { ...verifyTokenKey(tokenHash), ...ownedItemListing(token.userId, 'VERIFY', tokenHash), type: 'verifyToken', ...token, createdAt: now },
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
            // The link proves ownership of the address it was sent to, not of a later one; once the
            // address is verified, the user's other links for it are void.
            ConditionExpression: 'email = :email AND NOT emailVerified = :true',
            ExpressionAttributeValues: { ':true': true, ':iso': new Date(now).toISOString(), ':email': token.email },
          },
        },
      ]);
    },
  };
}
