// The counters behind throttling (lib/abuse/): requests per source IP and minute, and failed logins
// per account. They live in the table, not in memory, so every Lambda instance sees the same count;
// each change is one atomic UpdateItem (ADD), and every item expires by TTL.
import { GetCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { toEpochSeconds } from '../support/clock.ts';
import type { Db } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { ipBudgetKey, loginFailuresKey } from './keys.ts';

export interface LoginFailures {
  /** Failures in the current streak (each within the window of the one before). */
  failures: number;
  lastFailureAt: number;
}

export interface ThrottleStore {
  /** Counts one request of `action` from `ip` in the minute holding `now`; returns that minute's count. */
  countRequest(action: string, ip: string, now: number): Promise<number>;
  /** The failure streak of a login subject as stored (it may have ended; the policy decides). */
  loginFailures(subject: string): Promise<LoginFailures | undefined>;
  /**
   * Adds a failure to the streak if its last failure is after `streakCutoff`, else starts a new
   * streak at 1. `expiresAt` (epoch seconds) is when the item may go.
   */
  recordLoginFailure(subject: string, now: number, streakCutoff: number, expiresAt: number): Promise<LoginFailures>;
  clearLoginFailures(subject: string): Promise<void>;
}

const MINUTE_MS = 60_000;

export function throttleStore(db: Db, tableName: string): ThrottleStore {
  /** ADDs a failure if the streak is still open; undefined when there is no open streak. */
  async function extendStreak(subject: string, now: number, cutoff: number, expiresAt: number): Promise<LoginFailures | undefined> {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: loginFailuresKey(subject),
          UpdateExpression: 'ADD failures :one SET lastFailureAt = :now, expiresAt = :expiresAt',
          ConditionExpression: 'lastFailureAt > :cutoff',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':expiresAt': expiresAt, ':cutoff': cutoff },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { failures: Attributes!.failures as number, lastFailureAt: Attributes!.lastFailureAt as number };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /** Starts a streak at 1 unless a concurrent failure has just opened one. */
  async function startStreak(subject: string, now: number, cutoff: number, expiresAt: number): Promise<LoginFailures | undefined> {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: loginFailuresKey(subject),
          UpdateExpression: 'SET failures = :one, lastFailureAt = :now, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR lastFailureAt <= :cutoff',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':expiresAt': expiresAt, ':cutoff': cutoff },
        }),
      );
      return { failures: 1, lastFailureAt: now };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
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

    async recordLoginFailure(subject, now, cutoff, expiresAt) {
      // Two rounds cover the one race there is: another failure opening the streak between our steps.
      for (let attempt = 0; attempt < 2; attempt++) {
        const recorded = (await extendStreak(subject, now, cutoff, expiresAt)) ?? (await startStreak(subject, now, cutoff, expiresAt));
        if (recorded) return recorded;
      }
      throw new Error('login failure could not be recorded: the streak kept changing');
    },

    async clearLoginFailures(subject) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: loginFailuresKey(subject) }));
    },
  };
}
