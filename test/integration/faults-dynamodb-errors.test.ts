// The HTTP handlers and the authorizer, in this process against the test stack, when their own
// DynamoDB client fails (faults injected underneath the SDK): 503 with Retry-After and
// problem+json, throttling the SDK rides out is invisible, protected routes answer 503 rather than
// 401, and the authorizer fails closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthorizerHandler } from '../../lib/auth/authorizer.ts';
import { DYNAMODB_MAX_ATTEMPTS } from '../../lib/store/client.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { asPolicy, asSimple, tokenEvent, v2Event } from '../support/authorizer-events.ts';
import type { FaultInjector } from '../support/fault-injection.ts';
import { startFaultyService, stopFaultyService } from '../support/faulty-service.ts';
import type { LogCapture } from '../support/log-capture.ts';
import { expectUnavailable, type Handlers, keepProcessEnv, newAccount, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  let handlers: Handlers;
  let authorizer: AuthorizerHandler;
  let deps: Dependencies;
  let faults: FaultInjector;
  let logs: LogCapture;

  beforeEach(async () => {
    ({ handlers, authorizer, deps, faults, logs } = await startFaultyService());
  });
  afterEach(() => stopFaultyService({ deps, logs }));

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
    await expect(authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).rejects.toMatchObject({
      code: 'service_unavailable',
      cause: { code: 'ECONNREFUSED' },
    });
    await expect(authorizer(tokenEvent(`Bearer ${session.accessToken}`))).rejects.toMatchObject({
      code: 'service_unavailable',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(logs.lines.find((line) => line.message === 'authorizer failed')).toBeDefined();
    faults.clear();
    // The failure was not cached as a verdict: once DynamoDB answers, the token is good again.
    expect(asSimple(await authorizer(v2Event({ authorization: `Bearer ${session.accessToken}` }))).isAuthorized).toBe(true);
    expect(asPolicy(await authorizer(tokenEvent(`Bearer ${session.accessToken}`))).policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });
});
