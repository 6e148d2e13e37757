// simplejwt's non-rotating refresh (MINISASS_REFRESH=reusable) against DynamoDB Local with a frozen
// clock: the refresh token stays valid and unspent, concurrent refreshes all succeed, and ending
// the session (logout, log out everywhere, a disabled account, expiry) ends it and every access
// token it gave, including one signed while the logout was under way.
import { describe, expect, it } from 'vitest';
import { InvalidRefreshTokenError, InvalidTokenError } from '../../lib/domain/errors.ts';
import { logout, logoutEverywhere } from '../../lib/use-cases/logout.ts';
import { refreshSession, refreshWithoutRotation, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { unusedRefreshTokens } from '../support/refresh-tokens.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 30, 9, 0, 0, 500);

function setup(): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock) };
}

const checked = (deps: Dependencies, token: string) => deps.tokenChecker.check(token, deps.accessTokens.audience);
const refusedWith = async (promise: Promise<unknown>, tokenProblem?: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidRefreshTokenError);
  expect((error as InvalidRefreshTokenError).facts?.tokenProblem).toBe(tokenProblem);
};

describe('refresh without rotation (simplejwt)', () => {
  it('gives a new access token in the same session, with the dialect’s claims, and spends nothing', async () => {
    // Prepare
    const { clock, deps } = setup();
    const user = await storedUser(deps, 'reuse');
    const session = await startSession(user, deps);
    clock.advance(60);

    // Act
    const first = await refreshWithoutRotation(session.refreshToken, deps, () => ({ user_id: 7, token_type: 'access', sid: 'forged', sub: 'forged' }));
    const second = await refreshWithoutRotation(session.refreshToken, deps);

    // Assess: the session still has its one refresh token, unused; the dialect's claims cannot override ours.
    expect(await unusedRefreshTokens(deps, session.sessionId)).toHaveLength(1);
    const claims = (await checked(deps, first.token)).claims as unknown as Record<string, unknown>;
    expect(claims).toMatchObject({ user_id: 7, token_type: 'access', sid: session.sessionId, sub: user.id });
    expect((await checked(deps, second.token)).claims.sid).toBe(session.sessionId);
  });

  it('lets concurrent refreshes with one token all succeed (nothing to race)', async () => {
    const { deps } = setup();
    const session = await startSession(await storedUser(deps, 'reuse'), deps);
    const answers = await Promise.all(Array.from({ length: 8 }, () => refreshWithoutRotation(session.refreshToken, deps)));
    expect(new Set(answers.map((a) => a.jti)).size).toBe(8);
    expect(await unusedRefreshTokens(deps, session.sessionId)).toHaveLength(1);
  });

  it('refuses the token once its session is logged out ("blacklisted"), and the access tokens it gave, even one signed during the logout', async () => {
    // Prepare
    const { deps } = setup();
    const session = await startSession(await storedUser(deps, 'reuse'), deps);
    const caller = await checked(deps, session.accessToken.token);

    // Act: a refresh racing the logout. Either it read the session before the logout ended it and
    // signed a token, or it found the session ended; which one depends on the interleaving.
    const [duringLogout] = await Promise.allSettled([refreshWithoutRotation(session.refreshToken, deps), logout(caller, undefined, deps)]);

    // Assess: the token is refused from now on, and whatever the race gave cannot outlive the logout.
    await refusedWith(refreshWithoutRotation(session.refreshToken, deps), 'revoked');
    if (duringLogout.status === 'fulfilled') await expect(checked(deps, duringLogout.value.token)).rejects.toBeInstanceOf(InvalidTokenError);
    else await refusedWith(Promise.reject(duringLogout.reason), 'revoked');
  });

  it('refuses after log out everywhere, for a disabled account, after expiry, and for unknown or rotated-away tokens', async () => {
    const { clock, deps } = setup();
    const user = await storedUser(deps, 'reuse');
    const everywhere = await startSession(user, deps);
    clock.advance(1);
    await logoutEverywhere(await checked(deps, everywhere.accessToken.token), deps);
    clock.advance(1);
    await refusedWith(refreshWithoutRotation(everywhere.refreshToken, deps), 'revoked');

    const disabled = await storedUser(deps, 'reuse');
    const disabledSession = await startSession(disabled, deps);
    await updateStoredUser(deps, disabled.id, { status: 'disabled' });
    await refusedWith(refreshWithoutRotation(disabledSession.refreshToken, deps));

    const expiring = await startSession(await storedUser(deps, 'reuse'), deps);
    clock.advance(14 * 86_400);
    await refusedWith(refreshWithoutRotation(expiring.refreshToken, deps));

    await refusedWith(refreshWithoutRotation('not-a-token', deps));
    const rotated = await startSession(await storedUser(deps, 'reuse'), deps);
    await refreshSession(rotated.refreshToken, deps);
    await refusedWith(refreshWithoutRotation(rotated.refreshToken, deps));
  });
});
