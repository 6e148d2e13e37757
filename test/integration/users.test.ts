// The user store against DynamoDB Local: uniqueness under concurrency, case-insensitive lookup,
// atomic claims, and the conditional password-hash replacement.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { userKey } from '../../lib/store/keys.ts';
import { testDependencies } from '../support/deps.ts';

const deps = testDependencies();
const suffix = () => randomUUID().slice(0, 8);

function newUser(overrides: Partial<User> = {}): User {
  const s = suffix();
  return {
    id: randomUUID(),
    username: `user_${s}`,
    email: `user_${s}@example.com`,
    emailVerified: false,
    profile: { country: 'NL' },
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    status: 'active',
    permissions: [],
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    ...overrides,
  };
}

const exists = async (userId: string) => (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: userKey(userId) }))).Item !== undefined;

describe('user store', () => {
  it('creates a user and finds it by id, username and email, case-insensitively', async () => {
    const user = newUser({ username: `Jane_${suffix()}` });
    await deps.users.create(user);
    expect(await deps.users.get(user.id)).toEqual(user);
    expect((await deps.users.findByLogin(user.username.toUpperCase()))?.id).toBe(user.id);
    expect((await deps.users.findByLogin(user.email.toUpperCase()))?.id).toBe(user.id);
    expect(await deps.users.findByLogin(`nobody_${suffix()}`)).toBeUndefined();
  });

  it('treats full-width and composed forms as the same username (NFKC)', async () => {
    const s = suffix();
    await deps.users.create(newUser({ username: `jane${s}` }));
    const fullWidth = `ｊａｎｅ${s}`;
    await expect(deps.users.create(newUser({ username: fullWidth }))).rejects.toBeInstanceOf(ConflictError);
  });

  it('lets exactly one of 10 concurrent registrations with one email win, and leaves no trace of the others', async () => {
    const email = `race_${suffix()}@example.com`;
    const users = Array.from({ length: 10 }, () => newUser({ email }));
    const results = await Promise.allSettled(users.map((user) => deps.users.create(user)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const failure of lost) {
      expect(failure.reason).toBeInstanceOf(ConflictError);
      expect(failure.reason.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    }
    const present = await Promise.all(users.map((user) => exists(user.id)));
    expect(present.filter(Boolean)).toHaveLength(1);
  });

  it('names both fields when username and email are both taken', async () => {
    const first = newUser();
    await deps.users.create(first);
    const error = await deps.users.create(newUser({ username: first.username, email: first.email })).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'username']);
  });

  it('replaces the password hash only if it is still the expected one', async () => {
    const user = newUser();
    await deps.users.create(user);
    expect(await deps.users.replacePasswordHash(user.id, 'stale-hash', 'new-1')).toBe(false);
    expect((await deps.users.get(user.id))?.passwordHash).toBe(user.passwordHash);
    expect(await deps.users.replacePasswordHash(user.id, user.passwordHash, 'new-2')).toBe(true);
    expect((await deps.users.get(user.id))?.passwordHash).toBe('new-2');
  });
});
