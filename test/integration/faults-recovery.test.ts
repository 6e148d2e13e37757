// Recovery when DynamoDB fails (faults injected into the handlers' own client, SES unreachable):
// forgot-password answers a real account as it answers an unknown one whatever fails after the
// lookup (the quota write, the token write, or removing the unsent token after SES failed: the
// "double failure" that used to answer 503), and a reset whose transaction fails changes nothing,
// so every outstanding link still works and the next reset voids them all.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomSecret, sha256 } from '../../lib/tokens/opaque.ts';
import { useFaultyService } from '../support/faulty-service.ts';
import { expectUnavailable, keepProcessEnv, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('recovery when DynamoDB fails (injected faults) and SES is unreachable', () => {
  const service = useFaultyService();

  /** No log line may carry a link, a token or the password. */
  function expectNoSecrets() {
    const text = JSON.stringify(service.logs.lines);
    expect(text).not.toMatch(/token=|\/password\/reset\?/);
    expect(text).not.toContain(PASSWORD);
  }

  // Only a real account writes after the lookup: UpdateItem is the quota, PutItem the token,
  // DeleteItem the removal of the token whose mail SES refused.
  it.each([
    ['the quota write', 'UpdateItem', 'password reset link could not be issued'],
    ['the token write', 'PutItem', 'password reset link could not be issued'],
    ['removing the unsent token after SES failed', 'DeleteItem', 'unsent password reset token could not be removed'],
  ])('forgot-password answers 202 as for an unknown address when %s fails', async (_what, command, logged) => {
    const session = await registeredSession(service.handlers);
    const unknown = await send(service.handlers.forgot, '/password/forgot', { body: { email: `nobody_${randomUUID()}@example.com` } });
    service.faults.inject({ fault: 'internal-error', command });
    const known = await send(service.handlers.forgot, '/password/forgot', { body: { email: session.account.email } });
    expect(service.faults.failedAttempts).toBeGreaterThan(0);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(service.logs.lines.find((l) => l.message === logged)).toMatchObject({ userId: session.userId });
    expectNoSecrets();
  });

  it('a reset whose transaction fails changes nothing: both links still work, and the next reset voids the other', async () => {
    const session = await registeredSession(service.handlers);
    // Two links as forgot-password mails would carry them (SES is down here).
    const now = Date.now();
    const links = [randomSecret(), randomSecret()];
    for (const token of links)
      await service.deps.oneTimeTokens.createResetToken(sha256(token), { userId: session.userId, expiresAt: Math.floor(now / 1000) + 600, generation: 0 }, now);
    const reset = (token: string, password: string) => send(service.handlers.reset, '/password/reset', { body: { token, password } });
    const login = (password: string) => send(service.handlers.login, '/login', { body: { username: session.account.username, password } });

    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await reset(links[0]!, 'a brand new passphrase'));
    service.faults.clear();
    // Nothing happened: the old password, the session and both links are as they were.
    expect((await login(PASSWORD)).status).toBe(200);
    expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } })).status).toBe(200);
    for (const token of links) expect(await service.deps.oneTimeTokens.findResetToken(sha256(token), Math.floor(now / 1000))).toBeDefined();

    // Applied, answer lost once: the SDK's retry is idempotent, so not "invalid link".
    service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    expect((await reset(links[1]!, 'the second new passphrase')).status).toBe(200);
    service.faults.clear();
    expect((await login('the second new passphrase')).status).toBe(200);
    // The link the failed reset tried was voided by the one that succeeded.
    const refused = await reset(links[0]!, 'yet another passphrase');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_link' });
    expect((await login('the second new passphrase')).status).toBe(200);
  });
});
