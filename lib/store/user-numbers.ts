// The Django dialects' integer user ids (lib/domain/user-number.ts) on DynamoDB: one counter item
// bumped with an atomic ADD, and a claim item per integer written in the same transaction as the
// user's own record, so no two users can ever hold one integer, and a failed write leaves neither.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../domain/user.ts';
import type { UserNumberStore } from '../domain/user-number.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { userKey, userNumberCounterKey, userNumberKey } from './keys.ts';
import { conditionalTransaction, type TransactItems } from './transact.ts';

/**
 * The claim of `number` for `userId`, as one item of the transaction that writes the user (or
 * gives an existing user its number); refused if the integer is already held.
 */
export function userNumberClaim(tableName: string, number: number, userId: string): TransactItems[number] {
  return {
    Put: {
      TableName: tableName,
      Item: { ...userNumberKey(number), type: 'claim', userId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A claim refused for a number fresh from the counter means the counter went backwards (a partial restore). */
const counterBehind = (number: number) => new Error(`The user-number counter is behind: ${number} is already held`);

export function userNumberStore(db: Db, tableName: string): UserNumberStore {
  async function next(): Promise<number> {
    // An SDK retry of an applied but unanswered ADD skips a number: a gap, never a duplicate.
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: userNumberCounterKey,
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.value as number;
  }

  async function storedNumber(userId: string): Promise<number | undefined> {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: userKey(userId),
        ConsistentRead: true,
        ProjectionExpression: '#number',
        ExpressionAttributeNames: { '#number': 'number' },
      }),
    );
    return typeof Item?.number === 'number' ? Item.number : undefined;
  }

  return {
    next,

    async ensure(user: User) {
      if (user.number !== undefined) return user.number;
      const number = await next();
      const failed = await conditionalTransaction(db, [
        userNumberClaim(tableName, number, user.id),
        {
          Update: {
            TableName: tableName,
            Key: userKey(user.id),
            UpdateExpression: 'SET #number = :number',
            // Only a user that has none yet: of two concurrent first needs, one writes, the other reads it.
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#number)',
            ExpressionAttributeNames: { '#number': 'number' },
            ExpressionAttributeValues: { ':number': number },
          },
        },
      ]);
      if (failed.includes(0) && !failed.includes(1)) throw counterBehind(number);
      // The transaction is all or nothing: when it lost, `number` is just skipped, no claim remains.
      const kept = failed.length ? await storedNumber(user.id) : number;
      if (kept === undefined) throw new Error(`No user ${user.id} to give an integer id to`);
      user.number = kept;
      return kept;
    },

    async atLeast(number) {
      // Refused when the counter is already there or past it: nothing to do but read where it is.
      const raised = await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userNumberCounterKey,
            UpdateExpression: 'SET #value = :number',
            ConditionExpression: 'attribute_not_exists(#value) OR #value < :number',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: { ':number': number },
          }),
        ),
      );
      if (raised) return number;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: userNumberCounterKey, ConsistentRead: true }));
      return Number(Item?.value ?? 0);
    },

    async findUserId(number) {
      if (!Number.isSafeInteger(number) || number < 1) return undefined;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: userNumberKey(number), ConsistentRead: true }));
      return Item?.userId as string | undefined;
    },
  };
}
