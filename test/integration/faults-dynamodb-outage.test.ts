// A DynamoDB Local of this file's own, killed mid-test and started again on the same data: the
// handlers answer 503 with Retry-After while it is down, the deployed authorizer (light client)
// fails closed, and the user, the session and the interrupted refresh token survive.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerHandler } from '../../lib/auth/authorizer.ts';
import { createDb, type Db } from '../../lib/store/client.ts';
import { ensureTable } from '../../scripts/local-table.ts';
import { asSimple, v2Event } from '../support/authorizer-events.ts';
import { stackEnv } from '../support/deps.ts';
import { type StoppableDynamo, stoppableDynamo } from '../support/fault-injection.ts';
import { captureLogs } from '../support/log-capture.ts';
import { portsBeside } from '../support/ports-beside.ts';
import {
  CHEAP_ARGON2,
  expectUnavailable,
  type Handlers,
  keepProcessEnv,
  loadService,
  newAccount,
  PASSWORD,
  registeredSession,
  send,
  storedAccount,
} from '../support/service-handlers.ts';

keepProcessEnv();

describe('DynamoDB Local killed during the test, then started again on the same data', () => {
  // Offset 70 (test/support/ports-beside.ts): start-stop.test.ts's fourth `npm start` takes 50, and
  // with two workers both files may run at once.
  const port = portsBeside(70).dynamo;
  const tableName = 'faults-restart';
  let dynamo: StoppableDynamo;
  let handlers: Handlers;
  let authorizer: AuthorizerHandler;
  let raw: Db;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    dynamo = await stoppableDynamo(port);
    await dynamo.start();
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
    raw = createDb({ region: 'us-east-1', dynamodbEndpoint: dynamo.endpoint });
    // Strict rotation (no reuse grace), so that "exactly once" is what a second presentation shows.
    const strict = { REFRESH_REUSE_GRACE_SECONDS: '0' };
    ({ handlers, authorizer } = await loadService(
      stackEnv({
        ...CHEAP_ARGON2,
        ...strict,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        TABLE_NAME: tableName,
        IP_RATE_LIMIT_PER_MINUTE: '0',
        MAIL_REQUEST_MIN_MS: '0',
      }),
    ));
    logs = captureLogs();
  }, 120_000);
  afterAll(async () => {
    logs?.restore();
    await dynamo?.dispose();
  });

  it('answers 503 with Retry-After while it is down, and keeps the user and the session', async () => {
    const session = await registeredSession(handlers);
    const before = await storedAccount(raw, tableName, session.userId, session.account);
    expect(before).toMatchObject({ usernameOwner: session.userId, emailOwner: session.userId });

    await dynamo.crash();

    const login = { body: { username: session.account.username, password: PASSWORD } };
    expectUnavailable(await send(handlers.login, '/login', login));
    expectUnavailable(await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
    // This access token has never been checked here, so no cached verdict can answer for it.
    expectUnavailable(await send(handlers.me, '/me', { method: 'GET', token: session.accessToken }));
    expectUnavailable(await send(handlers.register, '/register', { body: newAccount() }));
    expectUnavailable(await send(handlers.forgot, '/password/forgot', { body: { email: session.account.email } }));
    // The deployed authorizer (light client, real refused connection) fails closed too.
    await expect(authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      code: 'service_unavailable',
    });

    await dynamo.start();

    expect(await storedAccount(raw, tableName, session.userId, session.account)).toEqual(before);
    expect((await send(handlers.me, '/me', { method: 'GET', token: session.accessToken })).status).toBe(200);
    expect(asSimple(await authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).isAuthorized).toBe(true);
    // The refresh token the outage interrupted still rotates, exactly once.
    const rotated = await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
    expect(rotated.status).toBe(200);
    expect((await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } })).status).toBe(401);
    expect((await send(handlers.login, '/login', login)).status).toBe(200);
  }, 120_000); // starting the JVM again is slow on a busy machine
});
