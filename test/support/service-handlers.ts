// The service's HTTP handlers and authorizer loaded in this process for one environment (e.g. a
// DynamoDB that fails), called with API Gateway events: registering, logging in, and reading the
// stored account straight from the table. For the fault tests (test/integration/faults-*.test.ts).
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, expect, vi } from 'vitest';
import type { AuthorizerHandler } from '../../lib/auth/authorizer.ts';
import { normaliseEmail, normaliseUsername } from '../../lib/domain/identity.ts';
import type { HttpEvent, HttpResult } from '../../lib/http/types.ts';
import type { Db } from '../../lib/store/client.ts';
import { emailKey, userKey, usernameKey } from '../../lib/store/keys.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { httpEvent } from './http-event.ts';

export const PASSWORD = 'correct horse battery staple';
/** The cheapest argon2 the configuration allows: hashing is not what is tested here. */
export const CHEAP_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const CONTEXT = { awsRequestId: 'faults-test' } as Context;

export type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export async function send(handler: Handler, path: string, options: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const method = options.method ?? 'POST';
  const event = httpEvent({ method, path, headers, ...(method === 'GET' ? {} : { body: JSON.stringify(options.body ?? {}) }) });
  const result = await handler(event, CONTEXT);
  const text = typeof result.body === 'string' ? result.body : '';
  return { status: result.statusCode, headers: result.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The answer every dependency failure gets: 503, Retry-After, problem+json, the security headers. */
export function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers['retry-after']).toBe('1');
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.headers['strict-transport-security']).toBeDefined();
  expect(answer.body).toMatchObject({ type: 'urn:auth-service:problem:service_unavailable', status: 503, code: 'service_unavailable' });
}

/** The handlers of serverless.yml, loaded afresh (own config, own DynamoDB client) for `env`. */
export async function loadService(env: Record<string, string>) {
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
  // The deployed authorizer: its own light DynamoDB client (lib/wiring/authorizer.ts).
  const authorizer = (await import('../../functions/authorizer.ts')).handler as AuthorizerHandler;
  // The same module instance the handlers were built with, so this is their very client.
  const { dependencies } = await import('../../lib/wiring/dependencies.ts');
  const deps = dependencies() as Dependencies;
  // The authorizer's decision on the handlers' SDK client, where faults can be injected.
  const { createAuthorizer } = await import('../../lib/auth/authorizer.ts');
  return { handlers, authorizer, sdkAuthorizer: createAuthorizer(deps) as AuthorizerHandler, deps };
}

export type Handlers = Awaited<ReturnType<typeof loadService>>['handlers'];

export function newAccount() {
  const s = randomUUID().slice(0, 8);
  return { username: `fault_${s}`, email: `fault_${s}@example.com`, password: PASSWORD };
}

/** Registers and logs in through the handlers. */
export async function registeredSession(handlers: Handlers) {
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
export async function storedAccount(db: Db, tableName: string, userId: string, account: { username: string; email: string }) {
  const get = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const [profile, username, email] = await Promise.all([
    get(userKey(userId)),
    get(usernameKey(normaliseUsername(account.username))),
    get(emailKey(normaliseEmail(account.email))),
  ]);
  return { passwordHash: profile?.passwordHash as string | undefined, usernameOwner: username?.userId, emailOwner: email?.userId };
}

/** Keeps process.env as it was, whatever a test file sets for its handlers (call at the top of the file). */
export function keepProcessEnv(): void {
  const savedEnv = { ...process.env };
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });
}
