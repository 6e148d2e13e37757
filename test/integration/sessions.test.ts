// Sessions against DynamoDB Local with a frozen clock: refresh rotation, reuse detection revoking
// the whole family, the 8-way race, the reuse grace period that never leaves two live refresh
// tokens in a session (races and a property over random sequences), expiry, and logout.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRefreshTokenError, InvalidTokenError } from '../../lib/domain/errors.ts';
import { refreshFamilyKey, refreshTokenKey, revokedTokenKey, userKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { logout, logoutEverywhere } from '../../lib/use-cases/logout.ts';
import { refreshSession, type SessionTokens, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { unusedRefreshTokens } from '../support/refresh-tokens.ts';
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

  it('revokes the whole family when a used token comes back after the grace period, including its newest token and access tokens', async () => {
    const { clock, deps } = setup();
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    clock.advance(deps.config.refreshReuseGraceSeconds + 0.001);
    await refused(refreshSession(first.refreshToken, deps));

    expect(await item(deps, refreshFamilyKey(first.sessionId))).toMatchObject({ revoked: true, revokedReason: 'refresh token reuse' });
    await refused(refreshSession(second.refreshToken, deps));
    clock.advance(1); // past the token checker's cache window
    await expect(accepted(deps, second)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('with strict single use (grace 0), lets exactly one of 8 concurrent refreshes of one token succeed', async () => {
    const { deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '0' });
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

describe('REFRESH_REUSE_GRACE_SECONDS: one live refresh token per session', () => {
  const live = (deps: Dependencies, tokens: SessionTokens) => unusedRefreshTokens(deps, tokens.sessionId);

  it('is 30 s by default', () => {
    expect(setup().deps.config.refreshReuseGraceSeconds).toBe(30);
  });

  it('answers a replay inside the window by spending the earlier successor: never two live tokens', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    expect(await live(deps, first)).toEqual([sha256(second.refreshToken)]);

    clock.advance(10);
    const retried = await refreshSession(first.refreshToken, deps);
    expect(retried.sessionId).toBe(first.sessionId);
    expect(retried.refreshToken).not.toBe(second.refreshToken);
    expect(await live(deps, first)).toEqual([sha256(retried.refreshToken)]);
    // The replayed token now points at the new one; the successor is spent by the replay, at its time.
    expect(await item(deps, refreshTokenKey(sha256(first.refreshToken)))).toMatchObject({ used: true, replacedBy: sha256(retried.refreshToken) });
    expect(await item(deps, refreshTokenKey(sha256(second.refreshToken)))).toMatchObject({
      used: true,
      usedAt: clock.now(),
      replacedBy: sha256(retried.refreshToken),
    });
    expect((await item(deps, refreshFamilyKey(first.sessionId)))?.revoked).toBe(false);
    // The newest answer carries the session on.
    const third = await refreshSession(retried.refreshToken, deps);
    expect(await live(deps, first)).toEqual([sha256(third.refreshToken)]);
  });

  it('revokes the session for a replay after the window, as strict rotation does', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    clock.advance(10.001);
    await refused(refreshSession(first.refreshToken, deps));
    expect(await item(deps, refreshFamilyKey(first.sessionId))).toMatchObject({ revoked: true, revokedReason: 'refresh token reuse' });
    await refused(refreshSession(second.refreshToken, deps));
  });

  it('a spent successor presented after the window is reuse too: the session ends', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    const retried = await refreshSession(first.refreshToken, deps);
    clock.advance(11);
    await refused(refreshSession(second.refreshToken, deps));
    expect((await item(deps, refreshFamilyKey(first.sessionId)))?.revoked).toBe(true);
    await refused(refreshSession(retried.refreshToken, deps));
  });

  it('only the latest used token may be replayed: one whose successor was used is reuse, inside the window too', async () => {
    const { deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const first = await startSession(await newUser(deps), deps);
    const second = await refreshSession(first.refreshToken, deps);
    const third = await refreshSession(second.refreshToken, deps);
    await refused(refreshSession(first.refreshToken, deps));
    expect(await item(deps, refreshFamilyKey(first.sessionId))).toMatchObject({ revoked: true, revokedReason: 'refresh token reuse' });
    await refused(refreshSession(third.refreshToken, deps));
  });

  it('8 concurrent refreshes of one token leave exactly one live refresh token, and the session alive', async () => {
    const { deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const tokens = await startSession(await newUser(deps), deps);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => refreshSession(tokens.refreshToken, deps)));
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.refreshToken] : []));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidRefreshTokenError);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    const [only, ...others] = await live(deps, tokens);
    expect(others).toEqual([]);
    expect(answered.map(sha256)).toContain(only);
    expect((await item(deps, refreshFamilyKey(tokens.sessionId)))?.revoked).toBe(false);
  });

  it('8 concurrent replays of a used token inside the window leave exactly one live refresh token', async () => {
    const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10' });
    const tokens = await startSession(await newUser(deps), deps);
    const successor = await refreshSession(tokens.refreshToken, deps);
    clock.advance(5);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => refreshSession(tokens.refreshToken, deps)));
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.refreshToken] : []));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidRefreshTokenError);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    const unused = await live(deps, tokens);
    expect(unused).toHaveLength(1);
    expect(answered.map(sha256)).toContain(unused[0]);
    expect(unused).not.toContain(sha256(successor.refreshToken));
    expect((await item(deps, refreshFamilyKey(tokens.sessionId)))?.revoked).toBe(false);
  });

  it('property: whatever refreshes and replays come in whatever order, a session never has two live refresh tokens', async () => {
    // A table of its own, so counting a session's tokens by scan stays cheap.
    const tableName = await freshTable();
    const action = fc.oneof(
      fc.record({ kind: fc.constant('refresh' as const), holder: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 0, max: 14 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 10 }), async (actions) => {
        const { clock, deps } = setup({ REFRESH_REUSE_GRACE_SECONDS: '10', TABLE_NAME: tableName });
        const first = await startSession(await newUser(deps), deps);
        // Three holders of the session (tabs without shared storage), each with the token it last received.
        const held = [first.refreshToken, first.refreshToken, first.refreshToken];
        for (const step of actions) {
          if (step.kind === 'wait') clock.advance(step.seconds);
          else
            await refreshSession(held[step.holder]!, deps).then(
              (next) => {
                held[step.holder] = next.refreshToken;
              },
              (error: unknown) => expect(error).toBeInstanceOf(InvalidRefreshTokenError),
            );
          const unused = await live(deps, first);
          const revoked = (await item(deps, refreshFamilyKey(first.sessionId)))?.revoked === true;
          // At most one branch: one live token while the session stands, and it is one a holder has.
          expect(unused.length).toBeLessThanOrEqual(1);
          if (!revoked) expect(held.map(sha256)).toContain(unused[0]);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
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
