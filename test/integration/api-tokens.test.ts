// Personal API tokens against DynamoDB Local with a frozen clock: the lifecycle, owner isolation,
// the per-user limit under concurrency, expiry before DynamoDB's TTL runs, last use, and how the
// shared token checker treats them.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/auth/token-checker.ts';
import { ConflictError, InsufficientPermissionError, InvalidTokenError, NotFoundError } from '../../lib/domain/errors.ts';
import { apiTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { createApiToken, deleteAllApiTokens, deleteApiToken, getApiToken, listApiTokens, updateApiToken } from '../../lib/use-cases/api-tokens.ts';
import { logout } from '../../lib/use-cases/logout.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 500);

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, env) };
}

async function sessionCaller(deps: Dependencies): Promise<Principal> {
  const user = await storedUser(deps, 'tok', { permissions: ['reports:read'] });
  const { accessToken } = await startSession(user, deps);
  return deps.tokenChecker.check(accessToken.token, deps.accessTokens.audience);
}

const check = (deps: Dependencies, token: string) => deps.tokenChecker.check(token, deps.accessTokens.audience);
const stored = async (deps: Dependencies, userId: string, tokenId: string) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: apiTokenKey(userId, tokenId), ConsistentRead: true }))).Item;

describe('API token lifecycle', () => {
  it('creates a token stored only as a hash, usable as its owner until deleted', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const { record, token } = await createApiToken(caller, { name: '  CI deploys ', ttl: 3600 }, deps);
    expect(record).toMatchObject({ name: 'CI deploys', ttl: 3600, expiresAt: Math.floor(START / 1000) + 3600 });

    const item = await stored(deps, caller.user.id, record.id);
    expect(item?.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(item)).not.toContain(token);

    const principal = await check(deps, token);
    expect(principal).toMatchObject({ tokenType: 'api_token', user: { id: caller.user.id }, claims: { sub: caller.user.id, jti: record.id } });

    await deleteApiToken(caller, record.id, deps);
    // Cached for at most a second, then refused.
    await expect(check(deps, token)).resolves.toBeTruthy();
    clock.advance(1);
    await expect(check(deps, token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(deleteApiToken(caller, record.id, deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('uses the default lifetime, lists newest first without secrets, and renames and renews', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const first = await createApiToken(caller, { name: 'first' }, deps);
    expect(first.record.ttl).toBe(30 * 86_400);
    clock.advance(5);
    const second = await createApiToken(caller, { name: 'second', ttl: 60 }, deps);

    const listed = await listApiTokens(caller, deps);
    expect(listed.map((r) => r.name)).toEqual(['second', 'first']);
    expect(JSON.stringify(listed)).not.toContain(first.token);

    clock.advance(30);
    const renewed = await updateApiToken(caller, second.record.id, { name: 'renamed', ttl: 120 }, deps);
    expect(renewed).toMatchObject({ name: 'renamed', ttl: 120, expiresAt: Math.floor(clock.now() / 1000) + 120, modifiedAt: clock.now() });
    expect(renewed.createdAt).toBe(second.record.createdAt);
    expect((await getApiToken(caller, second.record.id, deps)).name).toBe('renamed');
  });

  it('honours expiry before DynamoDB deletes the item, and an expired token cannot be renewed', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const { record, token } = await createApiToken(caller, { name: 'short', ttl: 60 }, deps);
    clock.advance(59);
    await expect(check(deps, token)).resolves.toBeTruthy();
    clock.advance(1);
    await expect(check(deps, token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(await stored(deps, caller.user.id, record.id)).toBeDefined();
    expect(await listApiTokens(caller, deps)).toEqual([]);
    await expect(updateApiToken(caller, record.id, { ttl: 3600 }, deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("keeps every user's tokens to themselves", async () => {
    const { deps } = setup();
    const owner = await sessionCaller(deps);
    const other = await sessionCaller(deps);
    const { record, token } = await createApiToken(owner, { name: 'mine' }, deps);
    await expect(getApiToken(other, record.id, deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateApiToken(other, record.id, { name: 'stolen' }, deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteApiToken(other, record.id, deps)).rejects.toBeInstanceOf(NotFoundError);
    await deleteAllApiTokens(other, deps);
    expect(await listApiTokens(other, deps)).toEqual([]);
    await expect(check(deps, token)).resolves.toMatchObject({ user: { id: owner.user.id } });
    await expect(getApiToken(owner, 'not-a-uuid', deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes all of a user’s tokens at once', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const tokens = await Promise.all(['a', 'b', 'c'].map((name) => createApiToken(caller, { name }, deps)));
    await deleteAllApiTokens(caller, deps);
    expect(await listApiTokens(caller, deps)).toEqual([]);
    clock.advance(1);
    for (const { token } of tokens) await expect(check(deps, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('the per-user limit', () => {
  it('lets concurrent creates fill the limit exactly, never beyond', async () => {
    const { deps } = setup({ API_TOKEN_MAX_PER_USER: '3' });
    const caller = await sessionCaller(deps);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => createApiToken(caller, { name: `t${i}` }, deps)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    expect(await listApiTokens(caller, deps)).toHaveLength(3);
  });

  it('counts only live tokens', async () => {
    const { clock, deps } = setup({ API_TOKEN_MAX_PER_USER: '1' });
    const caller = await sessionCaller(deps);
    await createApiToken(caller, { name: 'short', ttl: 60 }, deps);
    const error = await createApiToken(caller, { name: 'blocked' }, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/1 API tokens, the most allowed/);
    clock.advance(60);
    await expect(createApiToken(caller, { name: 'after expiry' }, deps)).resolves.toBeTruthy();
  });
});

describe('API tokens as credentials', () => {
  it('records the last use at most once a minute', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const { record, token } = await createApiToken(caller, { name: 'used' }, deps);
    expect((await getApiToken(caller, record.id, deps)).lastUsedAt).toBeUndefined();
    await check(deps, token);
    expect((await stored(deps, caller.user.id, record.id))?.lastUsedAt).toBe(START);
    clock.advance(30);
    await check(deps, token);
    expect((await stored(deps, caller.user.id, record.id))?.lastUsedAt).toBe(START);
    clock.advance(31);
    await check(deps, token);
    expect((await stored(deps, caller.user.id, record.id))?.lastUsedAt).toBe(clock.now());
  });

  it('stops working when the owner is disabled', async () => {
    const { clock, deps } = setup();
    const caller = await sessionCaller(deps);
    const { token } = await createApiToken(caller, { name: 'x' }, deps);
    await updateStoredUser(deps, caller.user.id, { status: 'disabled' });
    clock.advance(1);
    await expect(check(deps, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('are refused for a wrong secret, for a service audience, and cannot manage tokens or log out', async () => {
    const { deps } = setup();
    const caller = await sessionCaller(deps);
    const { token } = await createApiToken(caller, { name: 'x' }, deps);
    const viaApiToken = await check(deps, token);
    await expect(createApiToken(viaApiToken, { name: 'more' }, deps)).rejects.toBeInstanceOf(InsufficientPermissionError);
    await expect(listApiTokens(viaApiToken, deps)).rejects.toBeInstanceOf(InsufficientPermissionError);
    await expect(logout(viaApiToken, undefined, deps)).rejects.toBeInstanceOf(InsufficientPermissionError);
    await expect(deps.tokenChecker.check(token, 'hash-verification')).rejects.toBeInstanceOf(InvalidTokenError);

    // A well-formed token whose hash does not match the stored one (as a guessed secret would be).
    const { record, token: other } = await createApiToken(caller, { name: 'y' }, deps);
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.tableName,
        Key: apiTokenKey(caller.user.id, record.id),
        UpdateExpression: 'SET tokenHash = :h',
        ExpressionAttributeValues: { ':h': sha256('some other secret') },
      }),
    );
    await expect(check(deps, other)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
