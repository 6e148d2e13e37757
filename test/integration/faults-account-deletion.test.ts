// DELETE /me when DynamoDB fails at any point of the deletion (faults injected into the handler's
// own client): the request answers 503, and a retry with the same token finishes the deletion,
// after which a SCAN of the table finds no item naming the user (id, username or email). A
// failure of the first transaction changes nothing at all.
import { describe, expect, it } from 'vitest';
import { useFaultyService } from '../support/faulty-service.ts';
import { expectUnavailable, keepProcessEnv, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';
import { itemsNaming } from '../support/table-scan.ts';

keepProcessEnv();

describe('DELETE /me interrupted by DynamoDB failures', () => {
  const service = useFaultyService();

  /** An account with a second session, an API token and a reset link, and its token warmed up (keys, token state). */
  async function accountWithThings() {
    const session = await registeredSession(service.handlers);
    expect((await send(service.handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(200);
    expect((await send(service.handlers.tokens, '/tokens', { token: session.accessToken, body: { name: 'ci' } })).status).toBe(201);
    expect((await send(service.handlers.me, '/me', { method: 'GET', token: session.accessToken })).status).toBe(200);
    return session;
  }

  const deleteMe = (token: string) => send(service.handlers.me, '/me', { method: 'DELETE', token, body: { password: PASSWORD } });

  it('a failed first transaction changes nothing: the account, its names and sessions stay', async () => {
    const session = await accountWithThings();
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await deleteMe(session.accessToken));
    service.faults.clear();
    expect((await send(service.handlers.me, '/me', { method: 'GET', token: session.accessToken })).body.user).toMatchObject({ status: 'active' });
    expect((await send(service.handlers.login, '/login', { body: { username: session.account.username, password: PASSWORD } })).status).toBe(200);
    expect((await send(service.handlers.refresh, '/refresh', { body: { refresh_token: session.refreshToken } })).status).toBe(200);
  });

  it('interrupted at every write and read after it began, a retry with the same token finishes it and leaves nothing', async () => {
    // A deletion without faults, to learn the calls it makes.
    const probe = await accountWithThings();
    service.faults.clear();
    expect((await deleteMe(probe.accessToken)).status).toBe(204);
    const calls = [...service.faults.calls];
    const begin = calls.indexOf('TransactWriteItems');
    expect(begin).toBeGreaterThan(0);
    // Each call from the transaction on, named by its command and its number among that command's calls.
    const points = calls.slice(begin + 1).map((command, offset) => ({
      command,
      call: calls.slice(0, begin + 1 + offset + 1).filter((seen) => seen === command).length,
    }));
    expect(points.map((point) => point.command)).toEqual(expect.arrayContaining(['Query', 'BatchWriteItem', 'DeleteItem']));

    const interrupted: string[] = [];
    for (const point of points) {
      const session = await accountWithThings();
      service.faults.clear();
      service.faults.inject({ fault: 'connection-refused', ...point });
      const first = await deleteMe(session.accessToken);
      service.faults.clear();
      if (first.status === 503) interrupted.push(`${point.command}#${point.call}`);
      else expect(first.status, `${point.command}#${point.call}`).toBe(204);
      const retried = await deleteMe(session.accessToken);
      expect(retried.status, `${point.command}#${point.call}: ${JSON.stringify(retried.body)}`).toBe(first.status === 503 ? 204 : 401);
      expect(await itemsNaming(service.deps, [session.userId, session.account.username, session.account.email]), `${point.command}#${point.call}`).toEqual([]);
      expect((await send(service.handlers.me, '/me', { method: 'DELETE', token: session.accessToken, body: { password: PASSWORD } })).status).toBe(401);
    }
    // Every later step can fail, and the reads and writes of the clean-up did.
    expect(interrupted.length).toBeGreaterThanOrEqual(points.length - 1);
    expect(interrupted).toEqual(expect.arrayContaining([expect.stringMatching(/^BatchWriteItem#/), expect.stringMatching(/^Query#/)]));
  }, 240_000);
});
