// The login use case against DynamoDB Local: credentials, outdated-hash upgrade, and the session
// it stores (refresh token only as a hash, in a family, with a TTL).
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { AccountDisabledError, InvalidCredentialsError } from '../../lib/domain/errors.ts';
import { needsRehash } from '../../lib/passwords/hashing.ts';
import { refreshFamilyKey, refreshTokenKey, userKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { login } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';

const password = 'correct horse battery staple';
const clock = testClock(Date.UTC(2026, 10, 23, 12));
const deps = testDependencies(clock);

async function registered(env: Record<string, string> = {}) {
  const s = randomUUID().slice(0, 8);
  const registerDeps = Object.keys(env).length ? testDependencies(clock, env) : deps;
  return register({ username: `login_${s}`, email: `login_${s}@example.com`, password }, registerDeps);
}

describe('login use case', () => {
  it('returns tokens and stores the session with only the refresh token hash', async () => {
    const user = await registered();
    const result = await login({ login: user.username, password }, deps);
    expect(result.user.id).toBe(user.id);
    expect(result.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.accessToken.expiresAt).toBe(clock.now() + 1800 * 1000);

    const table = deps.config.tableName;
    const { Item: stored } = await deps.db.send(new GetCommand({ TableName: table, Key: refreshTokenKey(sha256(result.refreshToken)) }));
    expect(stored).toMatchObject({ userId: user.id, used: false, expiresAt: Math.floor(clock.now() / 1000) + 14 * 86_400 });
    expect(JSON.stringify(stored)).not.toContain(result.refreshToken);
    const { Item: family } = await deps.db.send(new GetCommand({ TableName: table, Key: refreshFamilyKey(stored!.familyId) }));
    expect(family).toMatchObject({ userId: user.id, revoked: false });
  });

  it('gives an unknown user and a wrong password the same error', async () => {
    const user = await registered();
    const wrong = await login({ login: user.email, password: 'not the password' }, deps).catch((e) => e);
    const unknown = await login({ login: `ghost_${randomUUID()}@example.com`, password }, deps).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(unknown).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong.message).toBe(unknown.message);
  });

  it('upgrades a hash made with older argon2 parameters at the next successful login', async () => {
    const user = await registered({ ARGON2_MEMORY_KIB: '8192', ARGON2_ITERATIONS: '1' });
    expect(needsRehash(user.passwordHash, deps.config.argon2)).toBe(true);
    await login({ login: user.username, password }, deps);
    const upgraded = await deps.users.get(user.id);
    expect(upgraded!.passwordHash).not.toBe(user.passwordHash);
    expect(needsRehash(upgraded!.passwordHash, deps.config.argon2)).toBe(false);
    await expect(login({ login: user.username, password }, deps)).resolves.toBeTruthy();
  });

  it('refuses a disabled account only after the password is proven', async () => {
    const user = await registered();
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.tableName,
        Key: userKey(user.id),
        UpdateExpression: 'SET #s = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':d': 'disabled' },
      }),
    );
    await expect(login({ login: user.username, password }, deps)).rejects.toBeInstanceOf(AccountDisabledError);
    await expect(login({ login: user.username, password: 'wrong password!' }, deps)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});
