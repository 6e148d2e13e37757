// The counters behind throttling (lib/abuse/): requests per source IP and minute, and failed logins
// per account. They live in the table, not in memory, so every Lambda instance sees the same count;
// each change is one atomic UpdateItem (ADD), and every item expires by TTL.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LoginFailures, ThrottleStore } from '../domain/throttle.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Db } from './client.ts';
import { conditionalWrite, unlessConditionFails } from './conditional-write.ts';
import { ipBudgetKey, loginFailuresKey } from './keys.ts';
import { RETRY_POLICIES, tryAgain, withRetries } from './retry-policy.ts';

const MINUTE_MS = 60_000;

export function throttleStore(db: Db, tableName: string): ThrottleStore {
  /** ADDs a failure if the streak is still open; undefined when there is no open streak. */
  async function extendStreak(subject: string, now: number, cutoff: number, expiresAt: number): Promise<LoginFailures | undefined> {
    const output = await unlessConditionFails(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: loginFailuresKey(subject),
          UpdateExpression: 'ADD failures :one SET lastFailureAt = :now, expiresAt = :expiresAt',
          ConditionExpression: 'lastFailureAt > :cutoff',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':expiresAt': expiresAt, ':cutoff': cutoff },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return output && { failures: output.Attributes!.failures as number, lastFailureAt: output.Attributes!.lastFailureAt as number };
  }

  /** Starts a streak at 1 unless a concurrent failure has just opened one. */
  async function startStreak(subject: string, now: number, cutoff: number, expiresAt: number): Promise<LoginFailures | undefined> {
    const started = await conditionalWrite(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: loginFailuresKey(subject),
          UpdateExpression: 'SET failures = :one, lastFailureAt = :now, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR lastFailureAt <= :cutoff',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':expiresAt': expiresAt, ':cutoff': cutoff },
        }),
      ),
    );
    return started ? { failures: 1, lastFailureAt: now } : undefined;
  }

  return {
    async countRequest(action, ip, now) {
      // One item per minute: a plain fixed window, so one unconditional ADD both counts and reads.
      const minute = Math.floor(now / MINUTE_MS);
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: ipBudgetKey(action, ip, minute),
          UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': toEpochSeconds((minute + 2) * MINUTE_MS) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Attributes!.count as number;
    },

    async loginFailures(subject) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: loginFailuresKey(subject), ConsistentRead: true }));
      return Item ? { failures: Item.failures as number, lastFailureAt: Item.lastFailureAt as number } : undefined;
    },

    recordLoginFailure(subject, now, cutoff, expiresAt) {
      // Extend the open streak, or else start one; a concurrent failure that opened a streak between
      // the two steps makes both fail their conditions, and the next round extends that streak.
      return withRetries(RETRY_POLICIES.optimistic, async () => {
        const recorded = (await extendStreak(subject, now, cutoff, expiresAt)) ?? (await startStreak(subject, now, cutoff, expiresAt));
        return recorded ?? tryAgain(new Error('The login failure streak kept changing'));
      });
    },

    async clearLoginFailures(subject) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: loginFailuresKey(subject) }));
    },
  };
}
