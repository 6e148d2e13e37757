// A refresh-token rotation, and a replay within REFRESH_REUSE_GRACE_SECONDS, interrupted by
// DynamoDB at each of their calls (faults injected into the handlers' own client): never a
// half-rotated family and never two live refresh tokens; the client's retry carries the session
// on; a rotation whose answer was lost is retried by the SDK, or carried on within the grace, and
// under strict rotation (grace 0) its replay ends the session.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { toAppError } from '../../lib/http/problem.ts';
import { createDb } from '../../lib/store/client.ts';
import { refreshFamilyKey, refreshTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { refreshSession } from '../../lib/use-cases/sessions.ts';
import { buildDependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv } from '../support/deps.ts';
import { failureOf } from '../support/fake-endpoints.ts';
import { injectFaults } from '../support/fault-injection.ts';
import { useFaultyService } from '../support/faulty-service.ts';
import { unusedRefreshTokens } from '../support/refresh-tokens.ts';
import { expectUnavailable, keepProcessEnv, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  const service = useFaultyService();

  describe('a refresh rotation interrupted at each step', () => {
    /** What the table says about a refresh token: unused, or used and replaced by which hash. */
    async function tokenState(refreshToken: string) {
      const { Item } = await service.deps.db.send(
        new GetCommand({ TableName: service.deps.config.tableName, Key: refreshTokenKey(sha256(refreshToken)), ConsistentRead: true }),
      );
      return Item as { used: boolean; replacedBy?: string; familyId: string } | undefined;
    }
    async function familyRevoked(familyId: string) {
      const { Item } = await service.deps.db.send(
        new GetCommand({ TableName: service.deps.config.tableName, Key: refreshFamilyKey(familyId), ConsistentRead: true }),
      );
      return Item?.revoked === true;
    }

    it('leaves nothing half rotated, whichever DynamoDB call fails, and the retry rotates it', async () => {
      // The calls one refresh makes, in order (reads, then the rotation transaction).
      const probe = await registeredSession(service.handlers);
      service.faults.clear();
      expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: probe.refreshToken } })).status).toBe(200);
      const steps = [...service.faults.calls];
      expect(steps).toContain('TransactWriteItems');

      for (let step = 1; step <= steps.length; step += 1) {
        const session = await registeredSession(service.handlers);
        service.faults.clear();
        service.faults.inject({ fault: 'connection-refused', call: step });
        expectUnavailable(await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
        service.faults.clear();

        // Nothing was rotated: the old token is unused, with no successor, in a live family.
        const old = await tokenState(session.refreshToken);
        expect(old, `step ${step} (${steps[step - 1]})`).toMatchObject({ used: false });
        expect(old?.replacedBy).toBeUndefined();
        expect(await familyRevoked(old!.familyId)).toBe(false);

        // So the client's retry rotates it; the new token is the session's one live refresh token.
        const retried = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
        expect(retried.status, `step ${step}`).toBe(200);
        expect(await unusedRefreshTokens(service.deps, old!.familyId)).toEqual([sha256(retried.body.refresh_token as string)]);
      }
    });

    it('a replay within the grace, interrupted at each step, never leaves two live tokens, and its retry is answered', async () => {
      // The calls one replay makes (reads, then the transaction that spends the successor).
      const probe = await registeredSession(service.handlers);
      expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: probe.refreshToken } })).status).toBe(200);
      service.faults.clear();
      expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: probe.refreshToken } })).status).toBe(200);
      const steps = [...service.faults.calls];
      expect(steps).toContain('TransactWriteItems');

      for (let step = 1; step <= steps.length; step += 1) {
        const session = await registeredSession(service.handlers);
        const first = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
        expect(first.status).toBe(200);
        const familyId = (await tokenState(session.refreshToken))!.familyId;
        service.faults.clear();
        service.faults.inject({ fault: 'connection-refused', call: step });
        expectUnavailable(await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
        service.faults.clear();

        // Nothing half done: the first answer's token is still the one live token, in a live family.
        expect(await unusedRefreshTokens(service.deps, familyId), `step ${step} (${steps[step - 1]})`).toEqual([sha256(first.body.refresh_token as string)]);
        expect(await familyRevoked(familyId)).toBe(false);

        // The retry (within the grace) takes its place; still one live token.
        const retried = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
        expect(retried.status, `step ${step}`).toBe(200);
        expect(await unusedRefreshTokens(service.deps, familyId)).toEqual([sha256(retried.body.refresh_token as string)]);
      }
    });

    it('a rotation whose answer was lost once is retried by the SDK: the client gets the new token', async () => {
      const session = await registeredSession(service.handlers);
      service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
      const answer = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
      expect(answer.status).toBe(200);
      service.faults.clear();
      const next = answer.body.refresh_token as string;
      expect(await tokenState(session.refreshToken)).toMatchObject({ used: true, replacedBy: sha256(next) });
      expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: next } })).status).toBe(200);
    });

    it('a rotation applied but never answered is whole, not half: old used, successor stored, family live', async () => {
      const session = await registeredSession(service.handlers);
      service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems' });
      expectUnavailable(await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
      service.faults.clear();
      const old = await tokenState(session.refreshToken);
      expect(old).toMatchObject({ used: true });
      const successor = await service.deps.db.send(
        new GetCommand({ TableName: service.deps.config.tableName, Key: refreshTokenKey(old!.replacedBy!), ConsistentRead: true }),
      );
      expect(successor.Item).toMatchObject({ used: false, familyId: old!.familyId });
      expect(await familyRevoked(old!.familyId)).toBe(false);
      // The client never saw the successor. Presenting the old token again is, to the service,
      // exactly what a stolen copy looks like: strict rotation (REFRESH_REUSE_GRACE_SECONDS=0)
      // ends the session, and the user service.logs in again. The grace period exists for this case.
      const strictDeps = buildDependencies(loadConfig(stackEnv({ REFRESH_REUSE_GRACE_SECONDS: '0' })), testClock(), service.deps.db);
      await expect(refreshSession(session.refreshToken, strictDeps)).rejects.toMatchObject({ code: 'invalid_refresh_token' });
      expect(await familyRevoked(old!.familyId)).toBe(true);
    });

    it('within the grace (30 s by default), the client whose answer was lost carries on; the successor it never saw is spent', async () => {
      expect(service.deps.config.refreshReuseGraceSeconds).toBe(30);
      const session = await registeredSession(service.handlers);
      service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems' });
      expectUnavailable(await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } }));
      service.faults.clear();
      const lost = (await tokenState(session.refreshToken))!.replacedBy!;
      const retried = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
      expect(retried.status).toBe(200);
      const familyId = (await tokenState(session.refreshToken))!.familyId;
      expect(await unusedRefreshTokens(service.deps, familyId)).toEqual([sha256(retried.body.refresh_token as string)]);
      expect(await unusedRefreshTokens(service.deps, familyId)).not.toContain(lost);
      expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: retried.body.refresh_token } })).status).toBe(200);
    });

    it('with REFRESH_REUSE_GRACE_SECONDS, a client whose answer was lost carries on, on a clock of its own', async () => {
      const clock = testClock();
      const db = createDb({ region: 'us-east-1', dynamodbEndpoint: inject('dynamoEndpoint') });
      const graceDeps = buildDependencies(loadConfig(stackEnv({ REFRESH_REUSE_GRACE_SECONDS: '10' })), clock, db);
      const graceFaults = injectFaults(db);
      const session = await registeredSession(service.handlers);
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
