// When DynamoDB or SES fail. Three parts:
//  1. What the AWS SDK really raises (provoked against refused, hanging and fake endpoints), and
//     that each of those becomes 503 + Retry-After, while the fault injector's faults are the same.
//  2. The HTTP handlers, in this process against the test stack, with faults injected into their
//     own DynamoDB client (test/support/fault-injection.ts) and SES unreachable: 503 with
//     Retry-After and problem+json, no partial state, no half-rotated refresh family, mail
//     failures answered as usual and logged without secrets, the authorizer failing closed.
//  3. A DynamoDB Local of this file's own, killed mid-test and started again on the same data.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { buildDependencies, type Dependencies } from '../../lib/app.ts';
import type { AuthorizerHandler } from '../../lib/auth/authorizer.ts';
import { loadConfig } from '../../lib/config.ts';
import type { HttpEvent, HttpResult } from '../../lib/http/types.ts';
import { DependencyUnavailableError } from '../../lib/domain/errors.ts';
import { toAppError } from '../../lib/http/problem.ts';
import { normaliseEmail, normaliseUsername } from '../../lib/domain/identity.ts';
import { sesMailer } from '../../lib/mail/mailer.ts';
import { createDb, DYNAMODB_MAX_ATTEMPTS, type Db } from '../../lib/store/client.ts';
import { emailKey, refreshFamilyKey, refreshTokenKey, userKey, usernameKey } from '../../lib/store/keys.ts';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { refreshSession } from '../../lib/use-cases/sessions.ts';
import { ensureTable } from '../../scripts/local-table.ts';
import { portFromEnv } from '../../scripts/ports.ts';
import { asSimple, tokenEvent, v2Event, asPolicy } from '../support/authorizer-events.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv } from '../support/deps.ts';
import { injectFaults, stoppableDynamo, type Fault, type FaultInjector, type StoppableDynamo } from '../support/fault-injection.ts';
import { httpEvent } from '../support/http-event.ts';

const PASSWORD = 'correct horse battery staple';
/** The cheapest argon2 the configuration allows: hashing is not what is tested here. */
const CHEAP_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const CONTEXT = { awsRequestId: 'faults-test' } as Context;

// ---------------------------------------------------------------------------------------------
// Helpers

type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function send(handler: Handler, path: string, options: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const method = options.method ?? 'POST';
  const event = httpEvent({ method, path, headers, ...(method === 'GET' ? {} : { body: JSON.stringify(options.body ?? {}) }) });
  const result = await handler(event, CONTEXT);
  const text = typeof result.body === 'string' ? result.body : '';
  return { status: result.statusCode, headers: result.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The answer every dependency failure gets: 503, Retry-After, problem+json, the security headers. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers['retry-after']).toBe('1');
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.headers['strict-transport-security']).toBeDefined();
  expect(answer.body).toMatchObject({ type: 'urn:auth-service:problem:service_unavailable', status: 503, code: 'service_unavailable' });
}

/** A port nothing listens on: bound by us for a moment, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server answering every request with one canned response, counting the requests. */
async function cannedServer(status: number, body: string, contentType: string) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': contentType }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const dynamoError = (type: string, message: string) => JSON.stringify({ __type: type, message });
const sesError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`;

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** What the SDK raised, from under the DependencyUnavailableError the client turned it into. */
function original(error: unknown): unknown {
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  return (error as Error).cause;
}

/** Log lines (our JSON ones) written while a test runs; other output passes through. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{"level"')) lines.push(JSON.parse(text) as Record<string, unknown>);
    else return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    return true;
  }) as typeof process.stderr.write);
  return { lines, restore: () => spy.mockRestore() };
}

/** The handlers of serverless.yml, loaded afresh (own config, own DynamoDB client) for `env`. */
async function loadService(env: Record<string, string>) {
  vi.resetModules();
  Object.assign(process.env, env);
  const load = async (name: string) => (await import(`../../functions/${name}.ts`)).handler as Handler;
  const handlers = {
    register: await load('register'),
    login: await load('login'),
    refresh: await load('refresh'),
    me: await load('me'),
    logout: await load('logout'),
    tokens: await load('api-tokens'),
    forgot: await load('password-forgot'),
    reset: await load('password-reset'),
    resend: await load('email-verify-resend'),
  };
  // The deployed authorizer: its own light DynamoDB client (lib/authorizer-dependencies.ts).
  const authorizer = (await import('../../functions/authorizer.ts')).handler as AuthorizerHandler;
  // The same module instance the handlers were built with, so this is their very client.
  const { dependencies } = await import('../../lib/app.ts');
  const deps = dependencies() as Dependencies;
  // The authorizer's decision on the handlers' SDK client, where faults can be injected.
  const { createAuthorizer } = await import('../../lib/auth/authorizer.ts');
  return { handlers, authorizer, sdkAuthorizer: createAuthorizer(deps) as AuthorizerHandler, deps };
}

type Handlers = Awaited<ReturnType<typeof loadService>>['handlers'];

function newAccount() {
  const s = randomUUID().slice(0, 8);
  return { username: `fault_${s}`, email: `fault_${s}@example.com`, password: PASSWORD };
}

/** Registers and logs in through the handlers. */
async function registeredSession(handlers: Handlers) {
  const account = newAccount();
  const registered = await send(handlers.register, '/register', { body: account });
  expect(registered.status).toBe(201);
  const loggedIn = await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } });
  expect(loggedIn.status).toBe(200);
  return {
    account,
    userId: (registered.body.user as { id: string }).id,
    accessToken: loggedIn.body.access_token as string,
    refreshToken: loggedIn.body.refresh_token as string,
  };
}

/** The stored account: the profile, and whom the username and email claims point at. */
async function storedAccount(db: Db, tableName: string, userId: string, account: { username: string; email: string }) {
  const get = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const [profile, username, email] = await Promise.all([
    get(userKey(userId)),
    get(usernameKey(normaliseUsername(account.username))),
    get(emailKey(normaliseEmail(account.email))),
  ]);
  return { passwordHash: profile?.passwordHash as string | undefined, usernameOwner: username?.userId, emailOwner: email?.userId };
}

// Keep process.env as it was, whatever the parts below set for their handlers.
const savedEnv = { ...process.env };
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

// ---------------------------------------------------------------------------------------------
// 1. What the SDK raises

describe('what the AWS SDK raises when DynamoDB or SES fail, after its retries', () => {
  const config = { region: 'us-east-1' };
  const getItem = (db: Db) => db.send(new GetCommand({ TableName: 'faults', Key: { pk: 'a', sk: 'b' } }));

  it('a refused connection: ECONNREFUSED after every attempt, answered 503', async () => {
    const db = createDb({ ...config, dynamodbEndpoint: `http://127.0.0.1:${await closedPort()}` });
    const failure = await failureOf(getItem(db));
    const error = original(failure) as { code?: string; $metadata?: { attempts?: number } };
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.$metadata?.attempts).toBe(DYNAMODB_MAX_ATTEMPTS);
    expect(toAppError(failure)).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
  });

  it('an endpoint that accepts and never answers: TimeoutError from the request timeout, not a hang', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const mailer = sesMailer({ region: 'us-east-1', sesEndpoint: endpoint, sesFrom: 'no-reply@example.com' });
      const [dynamo, ses] = (await Promise.all([
        failureOf(getItem(createDb({ ...config, dynamodbEndpoint: endpoint }))),
        failureOf(mailer.send({ to: 'someone@example.com', subject: 's', text: 't', html: '<p>t</p>' })),
      ])) as { name?: string; code?: string; $metadata?: { attempts?: number } }[];
      expect(original(dynamo)).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: DYNAMODB_MAX_ATTEMPTS } });
      expect(toAppError(dynamo)?.code).toBe('service_unavailable');
      expect(original(ses)).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  const answers: [string, number, string, string][] = [
    ['ThrottlingException', 400, 'application/x-amz-json-1.0', dynamoError('com.amazon.coral.availability#ThrottlingException', 'Rate exceeded')],
    ['ProvisionedThroughputExceededException', 400, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'Throughput exceeded')],
    ['RequestLimitExceeded', 400, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#RequestLimitExceeded', 'Account limit')],
    ['InternalServerError', 500, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error')],
    ['ServiceUnavailableException', 503, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#ServiceUnavailableException', 'Unavailable')],
    // A proxy or load balancer's own error page: the SDK fails to parse it, but the status is kept.
    ['SyntaxError', 503, 'text/html', '<html>Service Unavailable</html>'],
  ];

  it('DynamoDB answering throttling or 5xx: retried, then the service error, answered 503', async () => {
    await Promise.all(
      answers.map(async ([name, status, contentType, body]) => {
        const server = await cannedServer(status, body, contentType);
        try {
          const failure = await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: server.url })));
          const error = original(failure) as { name?: string; $metadata?: { httpStatusCode?: number } };
          expect(error.name).toBe(name);
          expect(error.$metadata?.httpStatusCode).toBe(status);
          expect(server.requests()).toBe(DYNAMODB_MAX_ATTEMPTS);
          expect(toAppError(failure)).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
        } finally {
          await server.close();
        }
      }),
    );
  });

  it('a bug or a refused request is still not a 503', () => {
    expect(toAppError(new TypeError('x is undefined'))).toBeUndefined();
    expect(toAppError(Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
    expect(toAppError(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
  });

  it('SES refused, throttling, or rejecting a message: the errors the mail use cases catch', async () => {
    const mail = { to: 'someone@example.com', subject: 's', text: 't', html: '<p>t</p>' };
    const mailer = (endpoint: string) => sesMailer({ region: 'us-east-1', sesEndpoint: endpoint, sesFrom: 'no-reply@example.com' });
    const refused = original(await failureOf(mailer(`http://127.0.0.1:${await closedPort()}`).send(mail))) as { code?: string };
    expect(refused.code).toBe('ECONNREFUSED');

    const throttling = await cannedServer(400, sesError('Throttling', 'Maximum sending rate exceeded.'), 'text/xml');
    const rejecting = await cannedServer(400, sesError('MessageRejected', 'Email address is not verified.'), 'text/xml');
    try {
      const throttled = original(await failureOf(mailer(throttling.url).send(mail))) as { name?: string };
      expect(throttled.name).toBe('Throttling');
      expect(throttling.requests()).toBeGreaterThan(1); // retried
      const rejected = (await failureOf(mailer(rejecting.url).send(mail))) as { name?: string };
      expect(rejected.name).toBe('MessageRejected');
      expect(rejecting.requests()).toBe(1); // a configuration problem: not retried
    } finally {
      await Promise.all([throttling.close(), rejecting.close()]);
    }
  });

  it('the fault injector raises the very errors a real endpoint makes the SDK raise', async () => {
    const db = createDb({ ...config, dynamodbEndpoint: inject('dynamoEndpoint') });
    const faults = injectFaults(db);
    const shape = (error: unknown) => {
      const e = error as { name?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number }; constructor: { name: string } };
      return { class: e.constructor.name, name: e.name, code: e.code, fault: e.$fault, status: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts };
    };
    const injected = async (fault: Fault) => {
      faults.clear();
      faults.inject({ fault, command: 'GetItem' });
      return shape(original(await failureOf(getItem(db))));
    };
    const server = await cannedServer(400, dynamoError('com.amazon.coral.availability#ThrottlingException', 'Rate exceeded'), 'application/x-amz-json-1.0');
    const internal = await cannedServer(500, dynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error'), 'application/x-amz-json-1.0');
    try {
      expect(await injected('throttling')).toEqual(shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: server.url }))))));
      expect(await injected('internal-error')).toEqual(shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: internal.url }))))));
      expect(await injected('connection-refused')).toEqual(
        shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: `http://127.0.0.1:${await closedPort()}` }))))),
      );
    } finally {
      await Promise.all([server.close(), internal.close()]);
    }
    // Every attempt was failed by the injector, and nothing else was sent.
    expect(faults.failedAttempts).toBe(DYNAMODB_MAX_ATTEMPTS);
    expect(faults.calls).toEqual(['GetItem']);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The handlers with faults injected into their DynamoDB client, and SES unreachable

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  let handlers: Handlers;
  let authorizer: AuthorizerHandler;
  let deps: Dependencies;
  let faults: FaultInjector;
  let logs: ReturnType<typeof captureLogs>;

  let env: Record<string, string>;

  beforeAll(async () => {
    env = stackEnv({ ...CHEAP_ARGON2, SES_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0' });
  });
  // A fresh service per test: the SDK's retry budget is per client, and a run of injected
  // failures drains it (by design: during an outage calls stop retrying), which would make a later
  // test's "the SDK retries this" depend on the tests before it.
  beforeEach(async () => {
    ({ handlers, sdkAuthorizer: authorizer, deps } = await loadService(env));
    faults = injectFaults(deps.db);
    logs = captureLogs();
  });
  afterEach(() => {
    logs.restore();
    deps.db.destroy();
  });

  it('answers 503 with Retry-After and problem+json, and logs the outage', async () => {
    const { account } = await registeredSession(handlers);
    faults.inject({ fault: 'internal-error' });
    expectUnavailable(await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } }));
    faults.clear();
    faults.inject({ fault: 'connection-refused' });
    expectUnavailable(await send(handlers.register, '/register', { body: newAccount() }));
    const warning = logs.lines.find((line) => line.message === 'dependency unavailable');
    expect(warning).toMatchObject({ level: 'warn', attempts: DYNAMODB_MAX_ATTEMPTS });
  });

  it('throttling that outlasts the retries: 503 with Retry-After too', async () => {
    const { account } = await registeredSession(handlers);
    faults.inject({ fault: 'provisioned-throughput', command: 'GetItem' });
    expectUnavailable(await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } }));
  });

  it('throttling the SDK rides out is invisible: the request succeeds', async () => {
    const { account } = await registeredSession(handlers);
    faults.inject({ fault: 'throttling', command: 'GetItem', call: 1, attempts: DYNAMODB_MAX_ATTEMPTS - 1 });
    const answer = await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } });
    expect(answer.status).toBe(200);
    expect(faults.failedAttempts).toBe(DYNAMODB_MAX_ATTEMPTS - 1);
  });

  it('a user registered just before a fault is intact after it; a registration the fault stopped left nothing', async () => {
    const account = newAccount();
    const registered = await send(handlers.register, '/register', { body: account });
    expect(registered.status).toBe(201);
    const userId = (registered.body.user as { id: string }).id;
    const before = await storedAccount(deps.db, deps.config.tableName, userId, account);
    expect(before).toMatchObject({ usernameOwner: userId, emailOwner: userId });

    // DynamoDB goes away: logging in and registering someone else both fail.
    faults.inject({ fault: 'connection-refused' });
    expectUnavailable(await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } }));
    const other = newAccount();
    expectUnavailable(await send(handlers.register, '/register', { body: other }));
    faults.clear();

    expect(await storedAccount(deps.db, deps.config.tableName, userId, account)).toEqual(before);
    const login = await send(handlers.login, '/login', { body: { email: account.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    // The interrupted registration claimed nothing: it can simply be sent again.
    expect(await deps.users.findByLogin(other.username)).toBeUndefined();
    expect(await deps.users.findByLogin(other.email)).toBeUndefined();
    expect((await send(handlers.register, '/register', { body: other })).status).toBe(201);
  });

  it('a registration transaction that fails outright leaves no claim behind', async () => {
    const account = newAccount();
    faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(handlers.register, '/register', { body: account }));
    faults.clear();
    expect(await deps.users.findByLogin(account.username)).toBeUndefined();
    expect(await deps.users.findByLogin(account.email)).toBeUndefined();
    expect((await send(handlers.register, '/register', { body: account })).status).toBe(201);
  });

  it('a registration whose answer was lost is retried by the SDK without a 409 against itself', async () => {
    const account = newAccount();
    // Applied by DynamoDB, answer lost, retried with the same ClientRequestToken: idempotent.
    faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    const answer = await send(handlers.register, '/register', { body: account });
    expect(answer.status).toBe(201);
    const userId = (answer.body.user as { id: string }).id;
    expect(await storedAccount(deps.db, deps.config.tableName, userId, account)).toMatchObject({ usernameOwner: userId, emailOwner: userId });
  });

  it('a registration whose verification-token write was applied but not answered still answers 201', async () => {
    faults.inject({ fault: 'lost-response', command: 'PutItem', attempts: 1 });
    expect((await send(handlers.register, '/register', { body: newAccount() })).status).toBe(201);
  });

  // Registration writes the account (one transaction) and then, separately, the verification
  // token. A failure of that second write is treated like a failed mail (logged; the user can ask
  // for another link), so the client hears 201 for the account that exists, not 503.
  it('a registration whose verification token cannot be stored still answers 201', async () => {
    const account = newAccount();
    faults.inject({ fault: 'connection-refused', command: 'PutItem' });
    const answer = await send(handlers.register, '/register', { body: account });
    faults.clear();
    const retried = await send(handlers.register, '/register', { body: account });
    expect({ answer: answer.status, retried: retried.status }).toEqual({ answer: 201, retried: 409 });
  });

  describe('a refresh rotation interrupted at each step', () => {
    /** What the table says about a refresh token: unused, or used and replaced by which hash. */
    async function tokenState(refreshToken: string) {
      const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: refreshTokenKey(sha256(refreshToken)), ConsistentRead: true }));
      return Item as { used: boolean; replacedBy?: string; familyId: string } | undefined;
    }
    async function familyRevoked(familyId: string) {
      const { Item } = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: refreshFamilyKey(familyId), ConsistentRead: true }));
      return Item?.revoked === true;
    }

    it('leaves the old token working exactly once, whichever DynamoDB call fails', async () => {
      // The calls one refresh makes, in order (reads, then the rotation transaction).
      const probe = await registeredSession(handlers);
      faults.clear();
      expect((await send(handlers.refresh, '/refresh', { body: { refresh_token: probe.refreshToken } })).status).toBe(200);
      const steps = [...faults.calls];
      expect(steps).toContain('TransactWriteItems');

      for (let step = 1; step <= steps.length; step += 1) {
        const session = await registeredSession(handlers);
        faults.clear();
        faults.inject({ fault: 'connection-refused', call: step });
        expectUnavailable(await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
        faults.clear();

        // Nothing was rotated: the old token is unused, with no successor, in a live family.
        const old = await tokenState(session.refreshToken);
        expect(old, `step ${step} (${steps[step - 1]})`).toMatchObject({ used: false });
        expect(old?.replacedBy).toBeUndefined();
        expect(await familyRevoked(old!.familyId)).toBe(false);

        // So the client's retry rotates it, once; the new token carries the session on.
        const retried = await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
        expect(retried.status, `step ${step}`).toBe(200);
        expect((await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } })).status).toBe(401);
      }
    });

    it('a rotation whose answer was lost once is retried by the SDK: the client gets the new token', async () => {
      const session = await registeredSession(handlers);
      faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
      const answer = await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
      expect(answer.status).toBe(200);
      faults.clear();
      const next = answer.body.refresh_token as string;
      expect(await tokenState(session.refreshToken)).toMatchObject({ used: true, replacedBy: sha256(next) });
      expect((await send(handlers.refresh, '/refresh', { body: { refresh_token: next } })).status).toBe(200);
    });

    it('a rotation applied but never answered is whole, not half: old used, successor stored, family live', async () => {
      const session = await registeredSession(handlers);
      faults.inject({ fault: 'lost-response', command: 'TransactWriteItems' });
      expectUnavailable(await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
      faults.clear();
      const old = await tokenState(session.refreshToken);
      expect(old).toMatchObject({ used: true });
      const successor = await deps.db.send(new GetCommand({ TableName: deps.config.tableName, Key: refreshTokenKey(old!.replacedBy!), ConsistentRead: true }));
      expect(successor.Item).toMatchObject({ used: false, familyId: old!.familyId });
      expect(await familyRevoked(old!.familyId)).toBe(false);
      // The client never saw the successor. Presenting the old token again is, to the service,
      // exactly what a stolen copy looks like: strict rotation (REFRESH_REUSE_GRACE_SECONDS=0)
      // ends the session, and the user logs in again. The grace period exists for this case.
      expect((await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } })).status).toBe(401);
      expect(await familyRevoked(old!.familyId)).toBe(true);
    });

    it('with REFRESH_REUSE_GRACE_SECONDS, the client whose answer was lost carries on', async () => {
      const clock = testClock();
      const db = createDb({ region: 'us-east-1', dynamodbEndpoint: inject('dynamoEndpoint') });
      const graceDeps = buildDependencies(loadConfig(stackEnv({ REFRESH_REUSE_GRACE_SECONDS: '10' })), clock, db);
      const graceFaults = injectFaults(db);
      const session = await registeredSession(handlers);
      graceFaults.inject({ fault: 'lost-response', command: 'TransactWriteItems' });
      const error = await failureOf(refreshSession(session.refreshToken, graceDeps));
      expect(toAppError(error)?.code).toBe('service_unavailable');
      graceFaults.clear();
      clock.advance(2);
      const retried = await refreshSession(session.refreshToken, graceDeps);
      expect((await refreshSession(retried.refreshToken, graceDeps)).sessionId).toBe(retried.sessionId);
    });
  });

  it('an API token whose creation failed does not exist; one whose answer was lost exists once', async () => {
    const session = await registeredSession(handlers);
    const list = async () => ((await send(handlers.tokens, '/tokens', { method: 'GET', token: session.accessToken })).body.tokens as unknown[]).length;
    faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(handlers.tokens, '/tokens', { token: session.accessToken, body: { name: 'ci' } }));
    faults.clear();
    expect(await list()).toBe(0);
    faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    expect((await send(handlers.tokens, '/tokens', { token: session.accessToken, body: { name: 'ci' } })).status).toBe(201);
    faults.clear();
    expect(await list()).toBe(1);
  });

  it('a password reset whose transaction fails changes nothing; the same link then works', async () => {
    const session = await registeredSession(handlers);
    // A reset token as the forgot-password mail would carry it (SES is down in this part).
    const token = randomSecret();
    await deps.oneTimeTokens.createResetToken(sha256(token), { userId: session.userId, expiresAt: Math.floor(Date.now() / 1000) + 600 }, Date.now());
    const newPassword = 'a brand new passphrase';
    faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(handlers.reset, '/password/reset', { body: { token, password: newPassword } }));
    faults.clear();
    expect((await send(handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(200);
    // Applied, answer lost once: the SDK's retry is idempotent, so not "invalid link".
    faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    expect((await send(handlers.reset, '/password/reset', { body: { token, password: newPassword } })).status).toBe(200);
    faults.clear();
    expect((await send(handlers.login, '/login', { body: { username: session.account.username, password: newPassword } })).status).toBe(200);
    expect((await send(handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(401);
  });

  // Logout ends the session first and then revokes the access token: if the first write fails,
  // nothing has changed and a retry completes the logout.
  it('a logout interrupted between its two writes can be completed by retrying it', async () => {
    const session = await registeredSession(handlers);
    faults.inject({ fault: 'connection-refused', command: 'UpdateItem' });
    expectUnavailable(await send(handlers.logout, '/logout', { token: session.accessToken }));
    faults.clear();
    // The client retries a moment later, after the 1 s revocation cache (which would still say
    // "not revoked") has expired.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2_000);
      const retried = await send(handlers.logout, '/logout', { token: session.accessToken });
      const refresh = await send(handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
      expect({ retried: retried.status, refresh: refresh.status }).toEqual({ retried: 204, refresh: 401 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('protected routes answer 503, not 401, when the revocation lookup fails', async () => {
    const session = await registeredSession(handlers);
    faults.inject({ fault: 'internal-error', command: 'BatchGetItem' });
    expectUnavailable(await send(handlers.me, '/me', { method: 'GET', token: session.accessToken }));
    faults.clear();
    expect((await send(handlers.me, '/me', { method: 'GET', token: session.accessToken })).status).toBe(200);
  });

  it('the authorizer fails closed: it throws (API Gateway answers 500), never allows, never caches a deny', async () => {
    const session = await registeredSession(handlers);
    faults.inject({ fault: 'connection-refused', command: 'BatchGetItem' });
    await expect(authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).rejects.toMatchObject({ code: 'service_unavailable', cause: { code: 'ECONNREFUSED' } });
    await expect(authorizer(tokenEvent(`Bearer ${session.accessToken}`))).rejects.toMatchObject({ code: 'service_unavailable', cause: { code: 'ECONNREFUSED' } });
    expect(logs.lines.find((line) => line.message === 'authorizer failed')).toBeDefined();
    faults.clear();
    // The failure was not cached as a verdict: once DynamoDB answers, the token is good again.
    expect(asSimple(await authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).isAuthorized).toBe(true);
    expect(asPolicy(await authorizer(tokenEvent(`Bearer ${session.accessToken}`))).policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  describe('SES unreachable', () => {
    /** No log line may carry a link, a token or the password. */
    function expectNoSecrets(lines: Record<string, unknown>[]) {
      const text = JSON.stringify(lines);
      expect(text).not.toMatch(/token=|\/password\/reset\?|\/email\/verify\?/);
      expect(text).not.toContain(PASSWORD);
    }

    it('registration still answers 201; the failed verification mail is logged without the link', async () => {
      const answer = await send(handlers.register, '/register', { body: newAccount() });
      expect(answer.status).toBe(201);
      const line = logs.lines.find((l) => l.message === 'verification mail could not be sent');
      expect(line).toMatchObject({ level: 'error', error: { name: 'DependencyUnavailableError', cause: { message: expect.stringContaining('ECONNREFUSED') } } });
      expectNoSecrets(logs.lines);
    });

    it('forgot-password still answers 202, as for an unknown address; the failure is logged without the token', async () => {
      const session = await registeredSession(handlers);
      const known = await send(handlers.forgot, '/password/forgot', { body: { email: session.account.email } });
      const unknown = await send(handlers.forgot, '/password/forgot', { body: { email: `nobody_${randomUUID()}@example.com` } });
      expect(known.status).toBe(202);
      expect(unknown).toEqual(known);
      expect(logs.lines.find((l) => l.message === 'password reset mail could not be sent')).toMatchObject({ level: 'error', userId: session.userId });
      expectNoSecrets(logs.lines);
    });

    it('verification resend by address still answers 202; for a logged-in user it answers 503 with Retry-After', async () => {
      const session = await registeredSession(handlers);
      expect((await send(handlers.resend, '/email/verify/resend', { body: { email: session.account.email } })).status).toBe(202);
      const other = await registeredSession(handlers);
      expectUnavailable(await send(handlers.resend, '/email/verify/resend', { token: other.accessToken }));
      expectNoSecrets(logs.lines);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. A DynamoDB Local of our own, killed and started again

describe('DynamoDB Local killed during the test, then started again on the same data', () => {
  const port = portFromEnv('TEST_DYNAMODB_PORT', 8100) + 50;
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
    ({ handlers, authorizer } = await loadService(
      stackEnv({ ...CHEAP_ARGON2, DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: tableName, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0' }),
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
    // (Matched by name: loadService reloads the modules, so this is another class object.)
    await expect(authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).rejects.toMatchObject({ name: 'DependencyUnavailableError', code: 'service_unavailable' });

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
