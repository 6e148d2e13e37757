// Sessions against DynamoDB Local with a frozen clock: refresh rotation, reuse detection revoking
// the whole family, the 8-way race, the optional reuse grace period, expiry, and logout.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { InvalidRefreshTokenError, InvalidTokenError } from '../../lib/domain/errors.ts';
import { refreshFamilyKey, refreshTokenKey, revokedTokenKey, userKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { logout, logoutEverywhere } from '../../lib/use-cases/logout.ts';
import { refreshSession, type SessionTokens, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 250);

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, env) };
}

const newUser = (deps: Dependencies) => storedUser(deps, 'sess');

const item = async (deps: Dependencies, key: { pk: string; sk: string }) =>
  (await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: key, ConsistentRead: true }))).Item;

const refused = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(InvalidRefreshTokenError);

/** The access token as the rest of the system sees it: through the shared token checker. */
const accepted = (deps: Dependencies, tokens: SessionTokens) => deps.tokenChecker.check(tokens.accessToken.token, deps.accessTokens.audience);

describe('refresh rotation', () => {
  it('exchanges a refresh token for new tokens in the same session and spends the old one', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const first = await startSession(user, deps);
    clock.advance(60);
    const second = await refreshSession(first.refreshToken, deps);

    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.sessionId).toBe(first.sessionId);
    expect((await accepted(deps, second)).claims.sid).toBe(first.sessionId);

    const old = await item(deps, refreshTokenKey(sha256(first.refreshToken)));
    expect(old).toMatchObject({ used: true, usedAt: clock.now(), replacedBy: sha256(second.refreshToken) });
    const next = await item(deps, refreshTokenKey(sha256(second.refreshToken)));
    expect(next).toMatchObject({ used: false, familyId: first.sessionId, expiresAt: Math.floor(clock.now() / 1000) + 14 * 86_400 });
    // Only hashes are stored.
    expect(JSON.stringify([old, next])).not.toContain(second.refreshToken);
    // The session lives as long as its newest token.
    expect((await item(deps, refreshFamilyKey(first.sessionId)))?.expiresAt).toBe(next?.expiresAt);
  });

  it('refuses unknown and expired refresh tokens, even before DynamoDB has deleted them', async () => {
    const { clock, deps } = setup();
    await refused(refreshSession('not-a-token', deps));
    const tokens = await startSession(await newUser(deps), deps);
    clock.advance(14 * 86_400 - 1);
    const fresh = await refreshSession(tokens.refreshToken, deps);
    clock.advance(14 * 86_400);
    await refused(refreshSession(fresh.refreshToken, deps));
  });

  it('revokes the whole family when a used token comes back, including its newest token and access tokens', async () => {
    const { clock, deps } = setup();
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    await refused(refreshSession(first.refreshToken, deps));

    expect(await item(deps, refreshFamilyKey(first.sessionId))).toMatchObject({ revoked: true, revokedReason: 'refresh token reuse' });
    await refused(refreshSession(second.refreshToken, deps));
    clock.advance(1); // past the token checker's cache window
    await expect(accepted(deps, second)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('lets exactly one of 8 concurrent refreshes of one token succeed', async () => {
    const { deps } = setup();
    const tokens = await startSession(await newUser(deps), deps);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => refreshSession(tokens.refreshToken, deps)));
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidRefreshTokenError);
    // The losers presented a spent token: without a grace period that is reuse, so the session ends.
    expect((await item(deps, refreshFamilyKey(tokens.sessionId)))?.revoked).toBe(true);
  });

  it('does not revoke anything for a refresh token of a session that has already ended', async () => {
    const { deps } = setup();
    const tokens = await startSession(await newUser(deps), deps);
    await deps.sessions.revokeFamily(tokens.sessionId, 'logout', START);
    await refused(refreshSession(tokens.refreshToken, deps));
    expect(await item(deps, refreshTokenKey(sha256(tokens.refreshToken)))).toMatchObject({ used: false });
  });
});

describe('REFRESH_REUSE_GRACE_SECONDS', () => {
  it('lets a client that lost the answer retry with the previous token inside the window, not after', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);

    clock.advance(10);
    const retried = await refreshSession(first.refreshToken, deps);
    expect(retried.sessionId).toBe(first.sessionId);
    expect(retried.refreshToken).not.toBe(second.refreshToken);
    // Both successors belong to the live session.
    const third = await refreshSession(second.refreshToken, deps);

    clock.advance(1);
    await refused(refreshSession(first.refreshToken, deps));
    expect((await item(deps, refreshFamilyKey(first.sessionId)))?.revoked).toBe(true);
    await refused(refreshSession(third.refreshToken, deps));
    await refused(refreshSession(retried.refreshToken, deps));
  });
});

describe('logout', () => {
  it('revokes the access token (jti until its exp) and its session', async () => {
    const { clock, deps } = setup();
    const tokens = await startSession(await newUser(deps), deps);
    const caller = await accepted(deps, tokens);
    await logout(caller, undefined, deps);

    expect(await item(deps, revokedTokenKey(caller.claims.jti))).toMatchObject({ expiresAt: caller.claims.exp });
    expect((await item(deps, refreshFamilyKey(tokens.sessionId)))?.revoked).toBe(true);
    await refused(refreshSession(tokens.refreshToken, deps));
    clock.advance(1);
    await expect(accepted(deps, tokens)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it("ends the session of a refresh token alone, but never someone else's from an authenticated call", async () => {
    const { deps } = setup();
    const mine = await startSession(await newUser(deps), deps);
    const theirs = await startSession(await newUser(deps), deps);
    await logout(await accepted(deps, mine), theirs.refreshToken, deps);
    expect((await item(deps, refreshFamilyKey(theirs.sessionId)))?.revoked).toBe(false);

    await logout(undefined, theirs.refreshToken, deps);
    expect((await item(deps, refreshFamilyKey(theirs.sessionId)))?.revoked).toBe(true);
    // Unknown tokens are ignored: nothing to say about them.
    await expect(logout(undefined, 'unknown', deps)).resolves.toBeUndefined();
  });

  it('logout everywhere ends every earlier session, while a login in the same millisecond works', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const [a, b] = [await startSession(user, deps), await startSession(user, deps)];
    await logoutEverywhere(await accepted(deps, a), deps);
    const stored = await item(deps, userKey(user.id));
    expect(stored?.validAfterMs).toBe(clock.now() + 1);

    const after = await startSession({ ...user, validAfterMs: stored?.validAfterMs as number }, deps);
    await refused(refreshSession(a.refreshToken, deps));
    await refused(refreshSession(b.refreshToken, deps));
    clock.advance(1);
    await expect(accepted(deps, a)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(accepted(deps, b)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(accepted(deps, after)).resolves.toMatchObject({ user: { id: user.id } });
    await expect(refreshSession(after.refreshToken, deps)).resolves.toMatchObject({ sessionId: after.sessionId });
  });

  it('refuses to refresh for a disabled user', async () => {
    const { deps } = setup();
    const user = await newUser(deps);
    const tokens = await startSession(user, deps);
    await updateStoredUser(deps, user.id, { status: 'disabled' });
    await refused(refreshSession(tokens.refreshToken, deps));
  });
});
