// The deployed authorizer's dependencies (lib/wiring/authorizer.ts: the shared token checker
// on the light DynamoDB client) against DynamoDB Local, decision by decision beside the same
// authorizer on the SDK-backed dependencies every other function uses: the same answer, context
// included, for good tokens and for every way a token stops being good, a service token's parent
// ending included (in the same single BatchGetItem). The clock is frozen and moved explicitly.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { type AuthorizerHandler, createAuthorizer } from '../../lib/auth/authorizer.ts';
import type { AuthorizerEvent, AuthorizerResult } from '../../lib/auth/authorizer-events.ts';
import type { DynamoDbReader } from '../../lib/aws/dynamodb-reader.ts';
import { createLightDynamoDb } from '../../lib/aws/light-dynamodb/document-reader.ts';
import { type Config, loadConfig } from '../../lib/config/all.ts';
import { InvalidRefreshTokenError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { SIGNING_KEYS_PK } from '../../lib/store/keys.ts';
import { log } from '../../lib/support/log.ts';
import { issueAccessToken } from '../../lib/tokens/access-tokens.ts';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { createApiToken, deleteApiToken } from '../../lib/use-cases/api-tokens.ts';
import { logout, logoutEverywhere } from '../../lib/use-cases/logout.ts';
import { requestServiceToken } from '../../lib/use-cases/service-token.ts';
import { refreshSession, type SessionTokens, startSession } from '../../lib/use-cases/sessions.ts';
import { buildAuthorizerDependencies } from '../../lib/wiring/authorizer.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { asSimple, effectOf, requestEvent, tokenEvent, v2Event } from '../support/authorizer-events.ts';
import { type TestClock, testClock } from '../support/clock.ts';
import { freshTable, stackEnv, testDependencies } from '../support/deps.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const KINDS = {
  'HTTP API 2.0': (token: string) => v2Event({ authorization: `Bearer ${token}` }),
  'REST TOKEN': (token: string) => tokenEvent(`Bearer ${token}`),
  'REST REQUEST': (token: string) => requestEvent({ Authorization: `Bearer ${token}` }),
} satisfies Record<string, (token: string) => AuthorizerEvent>;
const events = (token: string) => Object.values(KINDS).map((kind) => kind(token));

interface World {
  clock: TestClock;
  deps: Dependencies;
  user: User;
  session: SessionTokens;
  /** [SDK-backed, light client] for access tokens, and for hash-verification service tokens. */
  access: [AuthorizerHandler, AuthorizerHandler];
  service: [AuthorizerHandler, AuthorizerHandler];
}

/** `env` overrides the stack's configuration, e.g. TABLE_NAME for a table of the test's own. */
async function world(env: Record<string, string> = {}): Promise<World> {
  const clock = testClock(START);
  const deps = testDependencies(clock, env);
  const serviceEnv = { ...env, AUTHORIZER_AUDIENCE: 'hash-verification' };
  const user = await storedUser(deps, 'light', { permissions: ['reports:read'] });
  const session = await startSession(user, deps);
  return {
    clock,
    deps,
    user,
    session,
    access: [createAuthorizer(deps), createAuthorizer(buildAuthorizerDependencies(loadConfig(stackEnv(env)), clock))],
    service: [createAuthorizer(testDependencies(clock, serviceEnv)), createAuthorizer(buildAuthorizerDependencies(loadConfig(stackEnv(serviceEnv)), clock))],
  };
}

const allowed = (result: AuthorizerResult) => ('isAuthorized' in result ? asSimple(result).isAuthorized : effectOf(result) === 'Allow');

/** Both authorizers decide `event`; their answers must be identical. Returns the light one's. */
async function decide([sdk, light]: [AuthorizerHandler, AuthorizerHandler], event: AuthorizerEvent): Promise<AuthorizerResult> {
  const fromLight = await light(event);
  expect(fromLight).toEqual(await sdk(event));
  return fromLight;
}

async function decideAll(pair: [AuthorizerHandler, AuthorizerHandler], token: string): Promise<boolean[]> {
  const results: boolean[] = [];
  for (const event of events(token)) results.push(allowed(await decide(pair, event)));
  return results;
}

describe('the authorizer on its light client', () => {
  it('allows a good access token with the same context as the SDK-backed one', async () => {
    const w = await world();
    expect(await decideAll(w.access, w.session.accessToken.token)).toEqual([true, true, true]);
    const result = await decide(w.access, KINDS['HTTP API 2.0'](w.session.accessToken.token));
    expect(result.context).toMatchObject({ sub: w.user.id, permissions: 'reports:read', token_type: 'access_token', sid: w.session.sessionId });
  });

  it('refuses, as the SDK-backed one does, a revoked jti, an ended session, "log out everywhere" and a disabled user', async () => {
    const endings: [string, (w: World) => Promise<unknown>][] = [
      ['revoked jti', (w) => w.deps.revocations.revokeJti(w.session.accessToken.jti, Math.floor(w.session.accessToken.expiresAt / 1000), w.clock.now())],
      ['ended session', (w) => w.deps.sessions.revokeFamily(w.session.sessionId, 'logout', w.clock.now())],
      ['log out everywhere', (w) => w.deps.users.invalidateTokensBefore(w.user.id, w.clock.now() + 1)],
      ['disabled user', (w) => updateStoredUser(w.deps, w.user.id, { status: 'disabled' })],
    ];
    for (const [what, end] of endings) {
      const w = await world();
      expect([what, await decideAll(w.access, w.session.accessToken.token)]).toEqual([what, [true, true, true]]);
      await end(w);
      w.clock.advance(1); // past the one-second lookup cache
      expect([what, await decideAll(w.access, w.session.accessToken.token)]).toEqual([what, [false, false, false]]);
    }
  });

  it('refuses an expired token with the refresh message', async () => {
    const w = await world();
    w.clock.advance((w.session.accessToken.expiresAt - START) / 1000 + 6); // exp + the 5 s leeway, and one more
    const result = await decide(w.access, KINDS['HTTP API 2.0'](w.session.accessToken.token));
    expect(result.context).toMatchObject({ code: 'token_expired' });
  });

  it('allows a service token only where its service is the audience', async () => {
    const w = await world();
    const service = w.deps.config.services.find((s) => s.id === 'hash-verification')!;
    const { token } = await issueServiceToken(w.user, service, { signer: w.deps.signer, clock: w.clock, settings: w.deps.serviceTokens });
    expect(await decideAll(w.service, token)).toEqual([true, true, true]);
    expect(await decideAll(w.access, token)).toEqual([false, false, false]);
    expect(await decideAll(w.service, w.session.accessToken.token)).toEqual([false, false, false]);
  });

  it('allows an API token, records its use through the light client, and refuses it once deleted', async () => {
    const w = await world();
    const caller = await w.deps.tokenChecker.check(w.session.accessToken.token, w.deps.config.accessTokenAudience);
    const { record, token } = await createApiToken(caller, { name: 'ci' }, w.deps);
    const [, light] = w.access;
    // The light one first: the write of its last use must come from the light client.
    const result = await light(KINDS['HTTP API 2.0'](token));
    expect(result).toMatchObject({ isAuthorized: true, context: { token_type: 'api_token', jti: record.id, sub: w.user.id } });
    expect((await w.deps.apiTokens.get(w.user.id, record.id))?.lastUsedAt).toBe(w.clock.now());
    expect(await decideAll(w.access, token)).toEqual([true, true, true]);
    await w.deps.apiTokens.delete(w.user.id, record.id);
    w.clock.advance(1);
    expect(await decideAll(w.access, token)).toEqual([false, false, false]);
  });

  it('finds a signing key that appeared after it loaded the key set', async () => {
    // A table of its own: rotating the shared one would change the keys under other tests.
    const w = await world({ TABLE_NAME: await freshTable() });
    expect(await decideAll(w.access, w.session.accessToken.token)).toEqual([true, true, true]);
    // Two rotations: the key now signing was created after the light instance read the set.
    await w.deps.signer.rotate();
    await w.deps.signer.rotate();
    w.clock.advance(1); // an unknown kid reloads the set at most once a second
    const { accessToken } = await startSession(w.user, w.deps);
    expect(accessToken.token).not.toBe(w.session.accessToken.token);
    expect(await decideAll(w.access, accessToken.token)).toEqual([true, true, true]);
  });
});

describe('the authorizer refuses a service token once what minted it has ended', () => {
  const SERVICE = 'hash-verification';
  const accessCaller = (w: World, token: string) => w.deps.tokenChecker.check(token, w.deps.config.accessTokenAudience);
  const mint = async (w: World, bearer: string) => (await requestServiceToken(bearer, { requested_service: SERVICE }, w.deps)).token.token;

  /** Each way a parent ends, with the bearer the service token is minted with. */
  const endings: [string, (w: World) => Promise<{ bearer: string; end: () => Promise<unknown> }>][] = [
    [
      'logout',
      async (w) => ({ bearer: w.session.accessToken.token, end: async () => logout(await accessCaller(w, w.session.accessToken.token), undefined, w.deps) }),
    ],
    [
      'revoked session',
      async (w) => ({ bearer: w.session.accessToken.token, end: () => w.deps.sessions.revokeFamily(w.session.sessionId, 'admin', w.clock.now()) }),
    ],
    [
      'log out everywhere',
      async (w) => ({ bearer: w.session.accessToken.token, end: async () => logoutEverywhere(await accessCaller(w, w.session.accessToken.token), w.deps) }),
    ],
    [
      'refresh token reuse',
      async (w) => ({
        bearer: w.session.accessToken.token,
        end: async () => {
          const next = await refreshSession(w.session.refreshToken, w.deps);
          await refreshSession(next.refreshToken, w.deps);
          await expect(refreshSession(w.session.refreshToken, w.deps)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
        },
      }),
    ],
    [
      'API token deleted',
      async (w) => {
        const caller = await accessCaller(w, w.session.accessToken.token);
        const { record, token } = await createApiToken(caller, { name: 'ci' }, w.deps);
        return { bearer: token, end: () => deleteApiToken(caller, record.id, w.deps) };
      },
    ],
    [
      'sessionless access token logged out',
      async (w) => {
        const sessionless = await issueAccessToken(w.user, { signer: w.deps.signer, clock: w.clock, settings: w.deps.accessTokens });
        return { bearer: sessionless.token, end: async () => logout(await accessCaller(w, sessionless.token), undefined, w.deps) };
      },
    ],
  ];

  it.each(endings)('%s: allowed before, refused by both authorizers once the 1 s cache has passed', async (_what, prepare) => {
    const w = await world();
    const { bearer, end } = await prepare(w);
    const serviceToken = await mint(w, bearer);
    expect(await decideAll(w.service, serviceToken)).toEqual([true, true, true]);
    await end();
    w.clock.advance(1); // past the one-second lookup cache
    expect(await decideAll(w.service, serviceToken)).toEqual([false, false, false]);
  });

  it('looks the parent up in the one BatchGetItem of first sight, session and API token alike', async () => {
    const w = await world();
    const caller = await accessCaller(w, w.session.accessToken.token);
    const api = await createApiToken(caller, { name: 'ci' }, w.deps);
    const config = loadConfig(stackEnv({ AUTHORIZER_AUDIENCE: SERVICE }));
    const light = createLightDynamoDb(config);
    const calls: string[] = [];
    const counting: DynamoDbReader = {
      batchGet: (input) => {
        calls.push('BatchGetItem');
        return light.batchGet(input);
      },
      query: (input) => {
        calls.push('Query');
        return light.query(input);
      },
      update: (input) => {
        calls.push('UpdateItem');
        return light.update(input);
      },
    };
    const authorizer = createAuthorizer(buildAuthorizerDependencies(config, w.clock, counting));
    // The key set first, so that what follows counts only the token state.
    await authorizer(KINDS['HTTP API 2.0'](await mint(w, w.session.accessToken.token)));
    for (const bearer of [w.session.accessToken.token, api.token]) {
      calls.length = 0;
      const result = await authorizer(KINDS['HTTP API 2.0'](await mint(w, bearer)));
      expect(allowed(result)).toBe(true);
      expect(calls).toEqual(['BatchGetItem']);
    }
  });
});

describe('the authorizer holds no private key', () => {
  /** The configuration with the KMS settings made unreadable: any read of one fails the test. */
  function withoutKms(config: Config): Config {
    const unreadable = { ...config };
    for (const field of ['kmsKeyId', 'kmsEndpoint', 'keyContext'] as const) {
      Object.defineProperty(unreadable, field, {
        get: () => {
          throw new Error(`the authorizer read ${field}`);
        },
      });
    }
    return unreadable;
  }

  it('never reads the KMS settings nor builds a KMS client, yet allows what the signer signs, before and after a rotation', async () => {
    const w = await world({ TABLE_NAME: await freshTable() });
    const config = withoutKms(loadConfig(stackEnv({ TABLE_NAME: w.deps.config.tableName })));
    expect(() => config.kmsKeyId).toThrow(/kmsKeyId/);
    const authorizer = createAuthorizer(buildAuthorizerDependencies(config, w.clock));
    expect(Object.keys(buildAuthorizerDependencies(config, w.clock)).sort()).toEqual(['config', 'tokenChecker']);
    for (const event of events(w.session.accessToken.token)) expect(allowed(await authorizer(event))).toBe(true);

    await w.deps.signer.rotate();
    await w.deps.signer.rotate(); // the key now signing did not exist when the authorizer read the set
    w.clock.advance(1);
    const { accessToken } = await startSession(w.user, w.deps);
    for (const event of events(accessToken.token)) expect(allowed(await authorizer(event))).toBe(true);
  });
});

describe('the authorizer on its light client, when things are missing', () => {
  it('never creates signing keys: a table without any refuses every token and stays without', async () => {
    const w = await world();
    const tableName = await freshTable();
    const authorizer = createAuthorizer(buildAuthorizerDependencies(loadConfig(stackEnv({ TABLE_NAME: tableName })), w.clock));
    for (const event of events(w.session.accessToken.token)) expect(allowed(await authorizer(event))).toBe(false);
    const { Items } = await w.deps.db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SIGNING_KEYS_PK } }),
    );
    expect(Items).toEqual([]);
  });

  it('fails closed (throws, so API Gateway answers 500) when DynamoDB cannot be reached', async () => {
    const w = await world();
    const errors = vi.spyOn(log, 'error').mockImplementation(() => {});
    try {
      const unreachable = createAuthorizer(buildAuthorizerDependencies(loadConfig(stackEnv({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' })), w.clock));
      await expect(unreachable(KINDS['HTTP API 2.0'](w.session.accessToken.token))).rejects.toMatchObject({
        code: 'service_unavailable',
        cause: { code: 'ECONNREFUSED' },
      });
      expect(errors).toHaveBeenCalledWith('authorizer failed', expect.anything());
    } finally {
      errors.mockRestore();
    }
  });
});
