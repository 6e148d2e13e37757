// A refresh-token rotation interrupted by DynamoDB at each of its calls (faults injected into the
// handlers' own client): never a half-rotated family; the old token works exactly once; a rotation
// whose answer was lost is retried by the SDK, or carried on with REFRESH_REUSE_GRACE_SECONDS.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { toAppError } from '../../lib/http/problem.ts';
import { createDb } from '../../lib/store/client.ts';
import { refreshFamilyKey, refreshTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { refreshSession } from '../../lib/use-cases/sessions.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv } from '../support/deps.ts';
import { failureOf } from '../support/fake-endpoints.ts';
import { type FaultInjector, injectFaults } from '../support/fault-injection.ts';
import { startFaultyService, stopFaultyService } from '../support/faulty-service.ts';
import type { LogCapture } from '../support/log-capture.ts';
import { expectUnavailable, type Handlers, keepProcessEnv, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  let handlers: Handlers;
  let deps: Dependencies;
  let faults: FaultInjector;
  let logs: LogCapture;

  beforeEach(async () => {
    ({ handlers, deps, faults, logs } = await startFaultyService());
  });
  afterEach(() => stopFaultyService({ deps, logs }));

  describe('a refresh rotation interrupted at each step', () => {
    /** What the table says about a refresh token: unused, or used and replaced by which hash. */
    async function tokenState(refreshToken: string) {
      const { Item } = await deps.db.send(
        new GetCommand({ TableName: deps.config.tableName, Key: refreshTokenKey(sha256(refreshToken)), ConsistentRead: true }),
      );
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
});
