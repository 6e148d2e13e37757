// The account's other multi-step writes when DynamoDB fails (faults injected into the handlers' own
// client): an API token is created once or not at all, a password reset changes everything or
// nothing, and an interrupted logout can be completed by retrying it.
import { describe, expect, it, vi } from 'vitest';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { useFaultyService } from '../support/faulty-service.ts';
import { expectUnavailable, keepProcessEnv, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  const service = useFaultyService();

  it('an API token whose creation failed does not exist; one whose answer was lost exists once', async () => {
    const session = await registeredSession(service.handlers);
    const list = async () => ((await send(service.handlers.tokens, '/tokens', { method: 'GET', token: session.accessToken })).body.tokens as unknown[]).length;
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(service.handlers.tokens, '/tokens', { token: session.accessToken, body: { name: 'ci' } }));
    service.faults.clear();
    expect(await list()).toBe(0);
    service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    expect((await send(service.handlers.tokens, '/tokens', { token: session.accessToken, body: { name: 'ci' } })).status).toBe(201);
    service.faults.clear();
    expect(await list()).toBe(1);
  });

  it('a password reset whose transaction fails changes nothing; the same link then works', async () => {
    const session = await registeredSession(service.handlers);
    // A reset token as the forgot-password mail would carry it (SES is down in this part).
    const token = randomSecret();
    await service.deps.oneTimeTokens.createResetToken(sha256(token), { userId: session.userId, expiresAt: Math.floor(Date.now() / 1000) + 600 }, Date.now());
    const newPassword = 'a brand new passphrase';
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(service.handlers.reset, '/password/reset', { body: { token, password: newPassword } }));
    service.faults.clear();
    expect((await send(service.handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(200);
    // Applied, answer lost once: the SDK's retry is idempotent, so not "invalid link".
    service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    expect((await send(service.handlers.reset, '/password/reset', { body: { token, password: newPassword } })).status).toBe(200);
    service.faults.clear();
    expect((await send(service.handlers.login, '/login', { body: { username: session.account.username, password: newPassword } })).status).toBe(200);
    expect((await send(service.handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(401);
  });

  // Logout ends the session first and then revokes the access token: if the first write fails,
  // nothing has changed and a retry completes the logout.
  it('a logout interrupted between its two writes can be completed by retrying it', async () => {
    const session = await registeredSession(service.handlers);
    service.faults.inject({ fault: 'connection-refused', command: 'UpdateItem' });
    expectUnavailable(await send(service.handlers.logout, '/logout', { token: session.accessToken }));
    service.faults.clear();
    // The client retries a moment later, after the 1 s revocation cache (which would still say
    // "not revoked") has expired.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2_000);
      const retried = await send(service.handlers.logout, '/logout', { token: session.accessToken });
      const refresh = await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } });
      expect({ retried: retried.status, refresh: refresh.status }).toEqual({ retried: 204, refresh: 401 });
    } finally {
      vi.useRealTimers();
    }
  });
});
