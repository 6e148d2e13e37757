// The counters behind throttling (lib/abuse/): requests per source IP and minute, and the failed-
// login counters (one per login name, one per device proof). They live in the table, not in
// memory, so every Lambda instance sees the same count. Each change is one atomic UpdateItem, and
// a login attempt is reserved by a conditional one (lib/abuse/login-throttle.ts says why): DynamoDB
// serialises writes to one item, so of any number of concurrent reservations only as many pass as
// the condition admits. Every item expires by TTL.
//
// The rolling 24-hour budget of a login name, as sliding window counters. A condition cannot add
// numbers (no "sum of the last 24 hourly counts < limit"), so the item keeps one attribute per
// overlapping window instead: `w<s>` counts the failures reserved in the 25 whole hours s .. s+24
// (hours since the epoch). A failure reserved in hour h lies in the 25 windows W_{h-24} .. W_h; its
// reservation ADDs 1 to each of them on the condition that each is below the limit
// (attribute_not_exists OR < limit), all in the same UpdateItem as the streak, so one write
// decides. Why that bounds every 24 hours: any interval [t, t+24h) starts in hour s = floor(t/1h)
// and ends before hour s+25, so it lies inside the hours s .. s+24 of W_s; every failure in it was
// counted in W_s, and W_s never passed the limit (each ADD to it was conditional on it being below
// it, and DynamoDB serialises writes to the item). So no 24-hour interval holds more than the limit.
// The price of whole hours: after a full window a name may wait up to an hour longer than a
// perfect sliding log would make it (it never gets more). A success gives its failure back: ADD -1
// to the windows of the hour it was reserved in (the reservation remembers that hour).
// Windows no reservation can reach again (W_s with s < h-24) are REMOVEd by the reservations of
// hour h: W_{h-49} .. W_{h-25}, the ones the previous 25 hours left behind; anything older (after
// more than a day of silence) is gone with the item's TTL, which a reservation sets past its last
// live window.
// DynamoDB limits (developer guide, "Expression parameters"): an expression is at most 4 KB, and
// has at most 300 operators or functions; a placeholder name is at most 255 bytes. The condition
// is 25 clauses `(attribute_not_exists(#w12) OR #w12 < :dayLimit)` of at most 50 characters (about
// 1.35 KB with the ANDs) plus the streak's 150, with 25 × 4 operators and functions plus the
// streak's dozen; the update is 25 ADDs, 25 REMOVEs and 4 SETs of at most 12 characters each
// (about 0.7 KB). Placeholders (#w0 .. #w24, #x0 .. #x24) stand for the names `w<s>` (s has six
// digits until the year 2084), so no reserved word can clash. The item holds at most 50 such
// numbers (about 0.5 KB), so a write stays one write unit.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type LoginCounter, type ThrottleStore, WINDOW_HOURS } from '../domain/throttle.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { ipBudgetKey, loginFailuresKey } from './keys.ts';

const MINUTE_MS = 60_000;

/** The attribute holding window W_s's failures: one per window, so a new hour needs no reset. */
const windowAttribute = (start: number) => `w${start}`;

/** The starts of the windows holding hour `hour`, oldest first: hour-24 .. hour. */
const windowsHolding = (hour: number) => Array.from({ length: WINDOW_HOURS }, (_, i) => hour - WINDOW_HOURS + 1 + i);

function toCounter(item: Record<string, unknown> | undefined, hour: number): LoginCounter {
  const number = (name: string) => (typeof item?.[name] === 'number' ? (item[name] as number) : 0);
  const hourWindows = windowsHolding(hour).map((start) => number(windowAttribute(start)));
  return {
    failures: number('failures'),
    openAt: number('openAt'),
    streakEndsAt: number('streakEndsAt'),
    dayFailures: Math.max(...hourWindows),
    hourWindows,
  };
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
  async function loginCounter(subject: string, hour: number): Promise<LoginCounter | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: loginFailuresKey(subject), ConsistentRead: true }));
    return Item ? toCounter(Item, hour) : undefined;
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

    async reserveLoginAttempt({ subject, now, streak, budget, expiresAt }) {
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
      if (budget) {
        // One more failure in every window holding this hour, each on the condition that it is below the limit.
        Object.assign(update.values, { ':one': 1, ':dayLimit': budget.limit });
        windowsHolding(budget.hour).forEach((start, i) => {
          update.names[`#w${i}`] = windowAttribute(start);
          update.conditions.push(`(attribute_not_exists(#w${i}) OR #w${i} < :dayLimit)`);
          update.adds.push(`#w${i} :one`);
        });
        // The windows that ended in the last 25 hours: no reservation reaches them again.
        windowsHolding(budget.hour - WINDOW_HOURS).forEach((start, i) => {
          update.names[`#x${i}`] = windowAttribute(start);
          update.removes.push(`#x${i}`);
        });
      }
      const hour = budget?.hour ?? 0;
      let output: { Attributes?: Record<string, unknown> | undefined };
      try {
        output = await db.send(update.command(tableName, subject, { ReturnValues: 'ALL_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        // The refusal carries the item as it was (raw attribute values): no second read needed.
        const item = (error as { Item?: Record<string, { N?: string }> }).Item;
        if (item) {
          const numbers = Object.entries(item).flatMap(([name, value]) => (value?.N === undefined ? [] : [[name, Number(value.N)]]));
          return { reserved: false, before: toCounter(Object.fromEntries(numbers), hour) };
        }
        return { reserved: false, before: (await loginCounter(subject, hour)) ?? toCounter(undefined, hour) };
      }
      const before = toCounter(output.Attributes, hour);
      return { reserved: true, before, failures: streak?.form === 'continue' ? before.failures + 1 : 1 };
    },

    async settleLoginAttempt({ subject, streak, releaseHour }) {
      const writes: Promise<unknown>[] = [];
      const unconditional = new Update();
      unconditional.conditions.push('attribute_exists(pk)');
      if (streak?.kind === 'end') unconditional.removes.push('failures', 'openAt', 'streakEndsAt');
      if (releaseHour !== undefined) {
        // The failure leaves every window it was counted in. A window that has ended meanwhile (the
        // hour turned between reservation and settlement) may come back as a stray -1: no
        // reservation reads it again, and the next ones remove it.
        unconditional.values[':minusOne'] = -1;
        windowsHolding(releaseHour).forEach((start, i) => {
          unconditional.names[`#w${i}`] = windowAttribute(start);
          unconditional.adds.push(`#w${i} :minusOne`);
        });
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
