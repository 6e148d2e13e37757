// The counters behind throttling (lib/abuse/): requests per source IP and minute, and the failed-
// login counters (one per login name, one per device proof). They live in the table, not in
// memory, so every Lambda instance sees the same count. Each change is one atomic UpdateItem, and
// a login attempt is reserved by a conditional one (lib/abuse/login-throttle.ts says why): DynamoDB
// serialises writes to one item, so of any number of concurrent reservations only as many pass as
// the condition admits. Every item expires by TTL.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LoginCounter, ThrottleStore } from '../domain/throttle.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { ipBudgetKey, loginFailuresKey } from './keys.ts';

const MINUTE_MS = 60_000;

/** The attribute holding a daily window's failures: one per window, so a new day needs no reset. */
const dayAttribute = (window: number) => `day${window}`;

function toCounter(item: Record<string, unknown> | undefined, dayWindow: number): LoginCounter {
  const number = (name: string) => (typeof item?.[name] === 'number' ? (item[name] as number) : 0);
  return { failures: number('failures'), openAt: number('openAt'), streakEndsAt: number('streakEndsAt'), dayFailures: number(dayAttribute(dayWindow)) };
}

/** The parts of one UpdateItem, joined at the end. */
class Update {
  readonly conditions: string[] = [];
  readonly sets: string[] = [];
  readonly adds: string[] = [];
  readonly removes: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  expression(): string {
    return [
      this.sets.length ? `SET ${this.sets.join(', ')}` : '',
      this.adds.length ? `ADD ${this.adds.join(', ')}` : '',
      this.removes.length ? `REMOVE ${this.removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  command(tableName: string, subject: string, extra: Record<string, unknown> = {}) {
    return new UpdateCommand({
      TableName: tableName,
      Key: loginFailuresKey(subject),
      UpdateExpression: this.expression(),
      ...(this.conditions.length ? { ConditionExpression: this.conditions.join(' AND ') } : {}),
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
      ...extra,
    });
  }
}

export function throttleStore(db: Db, tableName: string): ThrottleStore {
  async function loginCounter(subject: string, dayWindow: number): Promise<LoginCounter | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: loginFailuresKey(subject), ConsistentRead: true }));
    return Item ? toCounter(Item, dayWindow) : undefined;
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

    loginCounter,

    async reserveLoginAttempt({ subject, now, streak, day, expiresAt }) {
      const update = new Update();
      update.sets.push('expiresAt = :expiresAt');
      update.values[':expiresAt'] = expiresAt;
      if (streak) {
        Object.assign(update.values, {
          ':one': 1,
          ':zero': 0,
          ':now': now,
          ':provisionalOpenAt': streak.provisionalOpenAt,
          ':provisionalEndsAt': streak.provisionalEndsAt,
        });
        const fresh = 'attribute_not_exists(failures) OR failures = :zero';
        if (streak.form === 'continue') {
          // An open streak below the limit, or past it once its wait is over (and no other attempt
          // is being checked: a reservation pushes openAt out until it is settled).
          update.conditions.push(`(${fresh} OR (streakEndsAt > :now AND (failures < :max OR openAt <= :now)))`);
          update.values[':max'] = streak.maxFailures;
          update.adds.push('failures :one');
        } else {
          update.conditions.push(`(${fresh} OR streakEndsAt <= :now)`);
          update.sets.push('failures = :one');
        }
        update.sets.push('openAt = :provisionalOpenAt', 'streakEndsAt = :provisionalEndsAt');
      }
      if (day) {
        Object.assign(update.names, { '#day': dayAttribute(day.window), '#previousDay': dayAttribute(day.window - 1) });
        Object.assign(update.values, { ':one': 1, ':dayLimit': day.limit });
        update.conditions.push('(attribute_not_exists(#day) OR #day < :dayLimit)');
        update.adds.push('#day :one');
        update.removes.push('#previousDay');
      }
      const dayWindow = day?.window ?? 0;
      let output: { Attributes?: Record<string, unknown> | undefined };
      try {
        output = await db.send(update.command(tableName, subject, { ReturnValues: 'ALL_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        // The refusal carries the item as it was (raw attribute values): no second read needed.
        const item = (error as { Item?: Record<string, { N?: string }> }).Item;
        if (item) {
          const numbers = Object.entries(item).flatMap(([name, value]) => (value?.N === undefined ? [] : [[name, Number(value.N)]]));
          return { reserved: false, before: toCounter(Object.fromEntries(numbers), dayWindow) };
        }
        return { reserved: false, before: (await loginCounter(subject, dayWindow)) ?? toCounter(undefined, dayWindow) };
      }
      const before = toCounter(output.Attributes, dayWindow);
      return { reserved: true, before, failures: streak?.form === 'continue' ? before.failures + 1 : 1 };
    },

    async settleLoginAttempt({ subject, streak, releaseDay }) {
      const writes: Promise<unknown>[] = [];
      const unconditional = new Update();
      unconditional.conditions.push('attribute_exists(pk)');
      if (streak?.kind === 'end') unconditional.removes.push('failures', 'openAt', 'streakEndsAt');
      if (releaseDay !== undefined) {
        unconditional.names['#day'] = dayAttribute(releaseDay);
        unconditional.values[':minusOne'] = -1;
        unconditional.adds.push('#day :minusOne');
      }
      if (unconditional.removes.length || unconditional.adds.length) writes.push(conditionalWrite(db.send(unconditional.command(tableName, subject))));
      if (streak && streak.kind !== 'end') {
        // Only the newest reservation settles the streak: if a later attempt was reserved since,
        // its own settlement decides when the next may come.
        const conditional = new Update();
        conditional.conditions.push('failures = :failures');
        conditional.values[':failures'] = streak.failures;
        if (streak.kind === 'failed') {
          Object.assign(conditional.values, { ':openAt': streak.openAt, ':streakEndsAt': streak.streakEndsAt });
          conditional.sets.push('openAt = :openAt', 'streakEndsAt = :streakEndsAt');
        } else if (streak.before.failures === 0) {
          conditional.removes.push('failures', 'openAt', 'streakEndsAt');
        } else {
          const { failures, openAt, streakEndsAt } = streak.before;
          Object.assign(conditional.values, { ':before': failures, ':openAt': openAt, ':streakEndsAt': streakEndsAt });
          conditional.sets.push('failures = :before', 'openAt = :openAt', 'streakEndsAt = :streakEndsAt');
        }
        writes.push(conditionalWrite(db.send(conditional.command(tableName, subject))));
      }
      await Promise.all(writes);
    },

    async clearLoginCounters(subjects) {
      await Promise.all([...new Set(subjects)].map((subject) => db.send(new DeleteCommand({ TableName: tableName, Key: loginFailuresKey(subject) }))));
    },
  };
}
