// The Django dialects' integer user ids against DynamoDB Local: the counter never hands one integer
// to two users, under concurrent registrations or concurrent first needs, and a registration that
// fails leaves no claim on the integer it drew.
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lib/domain/errors.ts';
import type { UserNumberStore } from '../../lib/domain/user-number.ts';
import { register } from '../../lib/use-cases/register.ts';
import { testDependencies } from '../support/deps.ts';
import { CHEAP_ARGON2 } from '../support/service-handlers.ts';
import { storedUser } from '../support/users.ts';

const deps = testDependencies(undefined, CHEAP_ARGON2);
const suffix = () => randomUUID().slice(0, 8);
const registration = (username = `num_${suffix()}`) => ({ username, email: `num_${suffix()}@example.com`, password: 'correct horse battery staple' });

/** Every integer claim that names `userId` (a full scan: there is no index by user). */
async function claimsOf(userId: string): Promise<number[]> {
  const found: number[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new ScanCommand({
        TableName: deps.config.tableName,
        FilterExpression: 'begins_with(pk, :prefix) AND userId = :user',
        ExpressionAttributeValues: { ':prefix': 'USERNUMBER#', ':user': userId },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) found.push(Number(String(item.pk).slice('USERNUMBER#'.length)));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

describe('integer user ids', () => {
  it('concurrent registrations each get their own integer, claimed for them', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => register(registration(), deps)));
    const numbers = users.map((user) => user.number);
    expect(
      numbers.every((n) => Number.isSafeInteger(n) && n! > 0),
      numbers.join(','),
    ).toBe(true);
    expect(new Set(numbers).size).toBe(users.length);
    for (const user of users) {
      expect((await deps.users.get(user.id))?.number).toBe(user.number);
      expect(await deps.userNumbers.findUserId(user.number!)).toBe(user.id);
    }
  });

  it('concurrent first needs of an account without one agree on a single integer, and only it is claimed', async () => {
    const legacy = await storedUser(deps, 'legacy');
    expect(legacy.number).toBeUndefined();
    // Each caller holds its own copy of the account, as separate Lambdas would.
    const copies = await Promise.all(Array.from({ length: 8 }, () => deps.users.get(legacy.id)));
    const numbers = await Promise.all(copies.map((copy) => deps.userNumbers.ensure(copy!)));
    expect(new Set(numbers).size, numbers.join(',')).toBe(1);
    expect((await deps.users.get(legacy.id))?.number).toBe(numbers[0]);
    expect(await claimsOf(legacy.id)).toEqual([numbers[0]]);
    // Later needs read it; no new draw.
    expect(await deps.userNumbers.ensure((await deps.users.get(legacy.id))!)).toBe(numbers[0]);
  });

  it('a registration refused as a conflict leaves its drawn integer unclaimed; the next one works', async () => {
    const drawn: number[] = [];
    const counting: UserNumberStore = {
      ...deps.userNumbers,
      next: async () => {
        const n = await deps.userNumbers.next();
        drawn.push(n);
        return n;
      },
    };
    const spied = { users: deps.users, userNumbers: counting, clock: deps.clock, config: deps.config };
    const first = await register(registration(), spied);
    await expect(register(registration(first.username), spied)).rejects.toBeInstanceOf(ConflictError);
    expect(drawn).toHaveLength(2);
    expect(await deps.userNumbers.findUserId(drawn[1]!)).toBeUndefined();
    const next = await register(registration(), spied);
    expect(next.number).toBeGreaterThan(drawn[1]!);
    expect(await deps.userNumbers.findUserId(next.number!)).toBe(next.id);
  });

  it('looks nothing up for what cannot be an id', async () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(await deps.userNumbers.findUserId(n)).toBeUndefined();
  });
});
