// Users written straight into the test table (no argon2, no HTTP), and direct edits to them, for
// integration tests about what happens after registration.
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../../lib/domain/user.ts';
import { userKey } from '../../lib/store/keys.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';

/** Creates an active user named `<prefix>_<random>`; `overrides` change any field. */
export async function storedUser(deps: Pick<Dependencies, 'users'>, prefix: string, overrides: Partial<User> = {}): Promise<User> {
  const s = randomUUID().slice(0, 8);
  const user: User = {
    id: randomUUID(),
    username: `${prefix}_${s}`,
    email: `${prefix}_${s}@example.com`,
    emailVerified: true,
    profile: {},
    passwordHash: 'not-used-here',
    status: 'active',
    permissions: [],
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    ...overrides,
  };
  await deps.users.create(user);
  return user;
}

/** Sets attributes of a stored user directly, as an admin tool or a later feature would. */
export async function updateStoredUser(deps: Pick<Dependencies, 'db' | 'config'>, userId: string, attributes: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(attributes);
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.tableName,
      Key: userKey(userId),
      UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
    }),
  );
}
