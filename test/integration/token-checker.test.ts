// The shared token checker against DynamoDB Local with a frozen clock: every way a once-good token
// stops being good (revoked jti, ended session, "log out everywhere", disabled or deleted user, a
// service permission taken away, the end of the session or API token a service token was minted
// with) takes effect within the 1 s revocation cache and not before, and the cache never answers
// for a token other than the one it looked up.
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTokenChecker, type TokenChecker } from '../../lib/auth/token-checker.ts';
import { InvalidRefreshTokenError, InvalidTokenError } from '../../lib/domain/errors.ts';
import type { RevocationStore, TokenStateQuery } from '../../lib/domain/revocation.ts';
import type { User } from '../../lib/domain/user.ts';
import { userKey } from '../../lib/store/keys.ts';
import { type IssuedToken, issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { createApiToken, deleteApiToken } from '../../lib/use-cases/api-tokens.ts';
import { logout, logoutEverywhere } from '../../lib/use-cases/logout.ts';
import { issueServiceTokenFor, requestServiceToken } from '../../lib/use-cases/service-token.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

/** Not on a whole second, so "the same second" and "the same millisecond" differ. */
const START = Date.UTC(2026, 10, 23, 12, 0, 0, 250);

function setup(env: Record<string, string> = {}): { clock: TestClock; deps: Dependencies } {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, env) };
}

const newUser = (deps: Dependencies, permissions: string[] = []) => storedUser(deps, 'chk', { permissions });

const accessAudience = (deps: Dependencies) => deps.accessTokens.audience;
const check = (deps: Dependencies, token: IssuedToken, audience = accessAudience(deps)) => deps.tokenChecker.check(token.token, audience);
const refused = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(InvalidTokenError);

/**
 * The cache contract for one change to the table: the token is good before; right after the
 * change, and 999 ms later, the cached answer still stands; at 1000 ms the change is seen.
 */
async function refusedOnlyAfterCacheWindow(clock: TestClock, deps: Dependencies, token: IssuedToken, change: () => Promise<unknown>, audience?: string) {
  const t0 = clock.now();
  await expect(check(deps, token, audience)).resolves.toBeTruthy();
  await change();
  await expect(check(deps, token, audience)).resolves.toBeTruthy();
  clock.set(t0 + 999);
  await expect(check(deps, token, audience)).resolves.toBeTruthy();
  clock.set(t0 + 1000);
  await refused(check(deps, token, audience));
  // And it stays refused: the refusal was not a one-off.
  clock.set(t0 + 5000);
  await refused(check(deps, token, audience));
}

describe('token checker: the revocation cache window', () => {
  it('a revoked jti is accepted from the cache for 999 ms and refused at 1000 ms', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken } = await startSession(user, deps);
    await refusedOnlyAfterCacheWindow(clock, deps, accessToken, () =>
      deps.revocations.revokeJti(accessToken.jti, Math.floor(accessToken.expiresAt / 1000), clock.now()),
    );
  });

  it('a revoked session (refresh family) ends its access tokens within the window', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken, sessionId } = await startSession(user, deps);
    const other = await startSession(user, deps);
    await refusedOnlyAfterCacheWindow(clock, deps, accessToken, () => deps.sessions.revokeFamily(sessionId, 'test', clock.now()));
    // Another session of the same user is untouched.
    await expect(check(deps, other.accessToken)).resolves.toMatchObject({ claims: { sid: other.sessionId } });
  });

  it('"log out everywhere" ends older tokens, while one issued in the same frozen second is good', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken: old } = await startSession(user, deps);
    let fresh: IssuedToken | undefined;
    await refusedOnlyAfterCacheWindow(clock, deps, old, async () => {
      // What logoutEverywhere does: valid after now + 1 ms.
      await deps.users.invalidateTokensBefore(user.id, clock.now() + 1);
      // Issued at the very same instant, by the user as now stored (with validAfterMs).
      const current = (await deps.users.get(user.id))!;
      expect(current.validAfterMs).toBe(START + 1);
      fresh = await issueAccessToken(current, { signer: deps.signer, clock, settings: deps.accessTokens });
    });
    const iat = JSON.parse(Buffer.from(fresh!.token.split('.')[1]!, 'base64url').toString()).iat as number;
    // iat rounded up to the next whole second, so it is not "before" START + 1 ms.
    expect(iat).toBe(Math.floor(START / 1000) + 1);
    await expect(check(deps, fresh!)).resolves.toMatchObject({ user: { id: user.id } });
    // A brand-new checker (another Lambda instance) agrees, with nothing cached.
    const cold = testDependencies(clock);
    await refused(cold.tokenChecker.check(old.token, accessAudience(cold)));
    await expect(cold.tokenChecker.check(fresh!.token, accessAudience(cold))).resolves.toBeTruthy();
  });
});

describe('token checker: the user behind the token', () => {
  it('a disabled user is refused once the window has passed', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken } = await startSession(user, deps);
    await refusedOnlyAfterCacheWindow(clock, deps, accessToken, () => updateStoredUser(deps, user.id, { status: 'disabled' }));
  });

  it('a deleted user item is refused once the window has passed', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken } = await startSession(user, deps);
    await refusedOnlyAfterCacheWindow(clock, deps, accessToken, () =>
      deps.db.send(new DeleteCommand({ TableName: deps.config.tableName, Key: userKey(user.id) })),
    );
  });

  it('a token for a user that never existed is refused at once', async () => {
    const { deps, clock } = setup();
    const ghost: User = { ...(await newUser(deps)), id: randomUUID() };
    const token = await issueAccessToken(ghost, { signer: deps.signer, clock, settings: deps.accessTokens });
    await refused(check(deps, token));
  });
});

describe('token checker: service tokens and their permission', () => {
  const SERVICES = '[{"id":"reports","name":"Reports","permission":"reports:read"}]';

  it('accepts a service token while the user holds the permission, and refuses it once taken away', async () => {
    const { clock, deps } = setup({ SERVICES });
    expect(deps.config.authorizerAudience).toBe(accessAudience(deps));
    const reports = deps.config.services.find((s) => s.id === 'reports')!;
    const created = await newUser(deps);
    await updateStoredUser(deps, created.id, { permissions: ['other:thing', 'reports:read'] });
    const user = (await deps.users.get(created.id))!;
    const issued = await issueServiceToken(user, reports, { signer: deps.signer, clock, settings: deps.serviceTokens });

    const principal = await deps.tokenChecker.check(issued.token, 'reports');
    expect(principal).toMatchObject({ tokenType: 'service_token', user: { id: user.id }, claims: { aud: 'reports', jti: issued.jti } });
    // Only for its own audience: not as an access token, not for an unknown service.
    await refused(check(deps, issued));
    await refused(deps.tokenChecker.check(issued.token, 'hash-verification'));

    await refusedOnlyAfterCacheWindow(clock, deps, issued, () => updateStoredUser(deps, user.id, { permissions: ['other:thing'] }), 'reports');
  });

  it('refuses a service token for a user who never had the permission', async () => {
    const { clock, deps } = setup({ SERVICES });
    const reports = deps.config.services.find((s) => s.id === 'reports')!;
    const user = await newUser(deps, ['other:thing']);
    const issued = await issueServiceToken(user, reports, { signer: deps.signer, clock, settings: deps.serviceTokens });
    await refused(deps.tokenChecker.check(issued.token, 'reports'));
  });
});

describe('token checker: a service token dies with what minted it', () => {
  const SERVICE = 'hash-verification';
  const asService = (deps: Dependencies, token: IssuedToken) => check(deps, token, SERVICE);
  /** Minted through POST /service-token's use case with `bearer`, as a client would. */
  const mintWith = async (deps: Dependencies, bearer: string) => (await requestServiceToken(bearer, { requested_service: SERVICE }, deps)).token;
  const claimsOf = (token: IssuedToken) => JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  /** A user, a login session, and a service token minted with that session's access token. */
  async function minted() {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const session = await startSession(user, deps);
    const caller = await check(deps, session.accessToken);
    const service = await mintWith(deps, session.accessToken.token);
    return { clock, deps, user, session, caller, service };
  }

  it('names its session, and is refused within the window once the session is logged out', async () => {
    const { clock, deps, session, caller, service } = await minted();
    expect(claimsOf(service)).toMatchObject({ sid: session.sessionId });
    expect(claimsOf(service)).not.toHaveProperty('api_token_id');
    await refusedOnlyAfterCacheWindow(clock, deps, service, () => logout(caller, undefined, deps), SERVICE);
  });

  it('is refused within the window once its session is revoked', async () => {
    const { clock, deps, user, session, service } = await minted();
    // A sibling minted in another session of the same user is untouched.
    const other = await startSession(user, deps);
    const sibling = await mintWith(deps, other.accessToken.token);
    await refusedOnlyAfterCacheWindow(clock, deps, service, () => deps.sessions.revokeFamily(session.sessionId, 'test', clock.now()), SERVICE);
    await expect(asService(deps, sibling)).resolves.toMatchObject({ tokenType: 'service_token', claims: { sid: other.sessionId } });
  });

  it('is refused within the window after "log out everywhere"', async () => {
    const { clock, deps, caller, service } = await minted();
    await refusedOnlyAfterCacheWindow(clock, deps, service, () => logoutEverywhere(caller, deps), SERVICE);
  });

  it('is refused within the window once refresh-token reuse revokes its session', async () => {
    const { clock, deps, session, service } = await minted();
    await refusedOnlyAfterCacheWindow(
      clock,
      deps,
      service,
      async () => {
        // The successor is used, then the first token comes back: reuse, grace or not.
        const next = await refreshSession(session.refreshToken, deps);
        await refreshSession(next.refreshToken, deps);
        await expect(refreshSession(session.refreshToken, deps)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
      },
      SERVICE,
    );
  });

  it('survives its session being refreshed', async () => {
    const { clock, deps, session, service } = await minted();
    const next = await refreshSession(session.refreshToken, deps);
    clock.advance(1);
    await refreshSession(next.refreshToken, deps);
    clock.advance(1);
    await expect(asService(deps, service)).resolves.toMatchObject({ claims: { sid: session.sessionId } });
  });

  it('names its API token, and is refused within the window once that token is deleted', async () => {
    const { clock, deps, caller } = await minted();
    const api = await createApiToken(caller, { name: 'ci' }, deps);
    const service = await mintWith(deps, api.token);
    expect(claimsOf(service)).toMatchObject({ api_token_id: api.record.id });
    expect(claimsOf(service)).not.toHaveProperty('sid');
    await refusedOnlyAfterCacheWindow(clock, deps, service, () => deleteApiToken(caller, api.record.id, deps), SERVICE);
  });

  it('is refused the moment its API token expires, though DynamoDB has not deleted it', async () => {
    const { clock, deps, caller } = await minted();
    const api = await createApiToken(caller, { name: 'short', ttl: 60 }, deps);
    const service = await mintWith(deps, api.token);
    clock.advance(59);
    await expect(asService(deps, service)).resolves.toBeTruthy();
    clock.advance(1); // the lookup is cached, but expiry is judged at each check
    await refused(asService(deps, service));
  });

  it("is refused for an API token id that is not the user's own", async () => {
    const { deps, user, caller } = await minted();
    const api = await createApiToken(caller, { name: 'mine' }, deps);
    const stranger = await newUser(deps);
    // Signed by us, though never issued like this: the parent is looked up in the token's own user's partition.
    const foreign = await issueServiceTokenFor(stranger, SERVICE, deps, { apiTokenId: api.record.id });
    await refused(asService(deps, foreign.token));
    const own = await issueServiceTokenFor(user, SERVICE, deps, { apiTokenId: api.record.id });
    await expect(asService(deps, own.token)).resolves.toBeTruthy();
  });

  it('minted with a sessionless access token (a compatibility login), is refused once that token is logged out', async () => {
    const { clock, deps, user } = await minted();
    const sessionless = await issueAccessToken(user, { signer: deps.signer, clock, settings: deps.accessTokens });
    const service = await mintWith(deps, sessionless.token);
    expect(claimsOf(service)).toMatchObject({ parent_jti: sessionless.jti });
    const caller = await check(deps, sessionless);
    await refusedOnlyAfterCacheWindow(clock, deps, service, () => logout(caller, undefined, deps), SERVICE);
  });

  it('minted with a password (no parent), outlives any one session and ends with "log out everywhere"', async () => {
    const { clock, deps, user, caller } = await minted();
    const { token: service } = await issueServiceTokenFor(user, SERVICE, deps);
    expect(Object.keys(claimsOf(service)).filter((name) => ['sid', 'api_token_id', 'parent_jti'].includes(name))).toEqual([]);
    await logout(caller, undefined, deps);
    clock.advance(1);
    await expect(asService(deps, service)).resolves.toBeTruthy();
    const fresh = await startSession((await deps.users.get(user.id))!, deps);
    await refusedOnlyAfterCacheWindow(clock, deps, service, async () => logoutEverywhere(await check(deps, fresh.accessToken), deps), SERVICE);
  });
});

describe('token checker: the cache is per token', () => {
  it("never answers for one token with another token's state", async () => {
    const { clock, deps } = setup();
    const alice = await newUser(deps);
    const bob = await newUser(deps);
    const a = (await startSession(alice, deps)).accessToken;
    const b = (await startSession(bob, deps)).accessToken;
    // Alice's good state is cached; Bob's token, revoked before it was ever checked, is refused at once.
    await expect(check(deps, a)).resolves.toMatchObject({ user: { id: alice.id } });
    await deps.revocations.revokeJti(b.jti, Math.floor(b.expiresAt / 1000), clock.now());
    await refused(check(deps, b));
    await expect(check(deps, a)).resolves.toMatchObject({ user: { id: alice.id } });

    // Two tokens of one user: revoking one, the other's cached state stays its own.
    const a2 = await issueAccessToken(alice, { signer: deps.signer, clock, settings: deps.accessTokens });
    await expect(check(deps, a2)).resolves.toMatchObject({ claims: { jti: a2.jti } });
    await deps.revocations.revokeJti(a.jti, Math.floor(a.expiresAt / 1000), clock.now());
    clock.advance(1);
    await refused(check(deps, a));
    await expect(check(deps, a2)).resolves.toMatchObject({ user: { id: alice.id }, claims: { jti: a2.jti } });
    // And a principal is always the token's own user.
    const unrevoked = await issueAccessToken(bob, { signer: deps.signer, clock, settings: deps.accessTokens });
    await expect(check(deps, unrevoked)).resolves.toMatchObject({ user: { id: bob.id }, claims: { sub: bob.id } });
  });
});

describe('token checker: lookups', () => {
  function countingChecker(deps: Dependencies, cacheMs?: number): { checker: TokenChecker; lookups: TokenStateQuery[] } {
    const lookups: TokenStateQuery[] = [];
    const revocations: RevocationStore = {
      lookup: (query, nowSeconds) => {
        lookups.push(query);
        return deps.revocations.lookup(query, nowSeconds);
      },
      revokeJti: (...args) => deps.revocations.revokeJti(...args),
    };
    const checker = createTokenChecker({
      verificationKeys: deps.verificationKeys,
      clock: deps.clock,
      revocations,
      accessTokens: deps.accessTokens,
      serviceTokens: deps.serviceTokens,
      services: deps.config.services,
      ...(cacheMs === undefined ? {} : { cacheMs }),
    });
    return { checker, lookups };
  }

  it('50 checks of one token within 1 s cost one lookup, and the next second costs another', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken, sessionId } = await startSession(user, deps);
    const { checker, lookups } = countingChecker(deps);
    for (let i = 0; i < 50; i += 1) {
      clock.set(START + i * 20); // 0 .. 980 ms
      await expect(checker.check(accessToken.token, accessAudience(deps))).resolves.toBeTruthy();
    }
    expect(lookups).toEqual([{ jti: accessToken.jti, userId: user.id, familyId: sessionId }]);
    clock.set(START + 1000);
    await checker.check(accessToken.token, accessAudience(deps));
    expect(lookups).toHaveLength(2);
    clock.set(START + 1999);
    await checker.check(accessToken.token, accessAudience(deps));
    expect(lookups).toHaveLength(2);
  });

  it("a service token's parent is part of the same single lookup", async () => {
    const { deps } = setup();
    const user = await newUser(deps);
    const session = await startSession(user, deps);
    const api = await createApiToken(await check(deps, session.accessToken), { name: 'ci' }, deps);
    const { checker, lookups } = countingChecker(deps);
    const viaSession = (await requestServiceToken(session.accessToken.token, { requested_service: 'hash-verification' }, deps)).token;
    const viaApiToken = (await requestServiceToken(api.token, { requested_service: 'hash-verification' }, deps)).token;
    await checker.check(viaSession.token, 'hash-verification');
    await checker.check(viaApiToken.token, 'hash-verification');
    expect(lookups).toEqual([
      { jti: viaSession.jti, userId: user.id, familyId: session.sessionId },
      { jti: viaApiToken.jti, userId: user.id, parentApiTokenId: api.record.id },
    ]);
  });

  it('refused tokens cost no lookup when the signature already fails, and each token its own', async () => {
    const { deps } = setup();
    const user = await newUser(deps);
    const { checker, lookups } = countingChecker(deps);
    const a = await startSession(user, deps);
    const b = await startSession(user, deps);
    const [h, p, sig] = a.accessToken.token.split('.') as [string, string, string];
    await expect(checker.check(`${h}.${p}.${sig.slice(0, 40)}${sig[40] === 'A' ? 'B' : 'A'}${sig.slice(41)}`, accessAudience(deps))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    expect(lookups).toHaveLength(0);
    await checker.check(a.accessToken.token, accessAudience(deps));
    await checker.check(b.accessToken.token, accessAudience(deps));
    expect(lookups.map((q) => q.jti)).toEqual([a.accessToken.jti, b.accessToken.jti]);
  });

  it('a longer cacheMs is capped at 1000 ms, the revocation guarantee', async () => {
    const { clock, deps } = setup();
    const user = await newUser(deps);
    const { accessToken } = await startSession(user, deps);
    const { checker, lookups } = countingChecker(deps, 60_000);
    await checker.check(accessToken.token, accessAudience(deps));
    clock.set(START + 1000);
    await checker.check(accessToken.token, accessAudience(deps));
    expect(lookups).toHaveLength(2);
  });
});
