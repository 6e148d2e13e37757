// Registration when DynamoDB fails at each of its writes (faults injected into the handlers' own
// client): no partial state, no claim left behind, an applied-but-unanswered transaction retried
// without a 409 against itself, and the verification-token write treated like a failed mail.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { useFaultyService } from '../support/faulty-service.ts';
import { expectUnavailable, keepProcessEnv, newAccount, PASSWORD, send, storedAccount } from '../support/service-handlers.ts';
import { storedUser } from '../support/users.ts';

/** Integer-id claims whose user does not exist: a registration or first need that half happened. */
async function orphanNumberClaims(deps: Dependencies): Promise<string[]> {
  const orphans: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new ScanCommand({
        TableName: deps.config.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': 'USERNUMBER#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const owner = await deps.users.get(String(item.userId));
      if (owner?.number !== Number(String(item.pk).slice('USERNUMBER#'.length))) orphans.push(String(item.pk));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return orphans;
}

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  const service = useFaultyService();

  it('a user registered just before a fault is intact after it; a registration the fault stopped left nothing', async () => {
    const account = newAccount();
    const registered = await send(service.handlers.register, '/register', { body: account });
    expect(registered.status).toBe(201);
    const userId = (registered.body.user as { id: string }).id;
    const before = await storedAccount(service.deps.db, service.deps.config.tableName, userId, account);
    expect(before).toMatchObject({ usernameOwner: userId, emailOwner: userId });

    // DynamoDB goes away: logging in and registering someone else both fail.
    service.faults.inject({ fault: 'connection-refused' });
    expectUnavailable(await send(service.handlers.login, '/login', { body: { username: account.username, password: PASSWORD } }));
    const other = newAccount();
    expectUnavailable(await send(service.handlers.register, '/register', { body: other }));
    service.faults.clear();

    expect(await storedAccount(service.deps.db, service.deps.config.tableName, userId, account)).toEqual(before);
    const login = await send(service.handlers.login, '/login', { body: { email: account.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    // The interrupted registration claimed nothing: it can simply be sent again.
    expect(await service.deps.users.findByLogin(other.username)).toBeUndefined();
    expect(await service.deps.users.findByLogin(other.email)).toBeUndefined();
    expect((await send(service.handlers.register, '/register', { body: other })).status).toBe(201);
  });

  it('a registration transaction that fails outright leaves no claim behind', async () => {
    const account = newAccount();
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(service.handlers.register, '/register', { body: account }));
    service.faults.clear();
    expect(await service.deps.users.findByLogin(account.username)).toBeUndefined();
    expect(await service.deps.users.findByLogin(account.email)).toBeUndefined();
    expect((await send(service.handlers.register, '/register', { body: account })).status).toBe(201);
  });

  it('a registration whose answer was lost is retried by the SDK without a 409 against itself', async () => {
    const account = newAccount();
    // Applied by DynamoDB, answer lost, retried with the same ClientRequestToken: idempotent.
    service.faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    const answer = await send(service.handlers.register, '/register', { body: account });
    expect(answer.status).toBe(201);
    const userId = (answer.body.user as { id: string }).id;
    expect(await storedAccount(service.deps.db, service.deps.config.tableName, userId, account)).toMatchObject({ usernameOwner: userId, emailOwner: userId });
  });

  it('a registration whose verification-token write was applied but not answered still answers 201', async () => {
    service.faults.inject({ fault: 'lost-response', command: 'PutItem', attempts: 1 });
    expect((await send(service.handlers.register, '/register', { body: newAccount() })).status).toBe(201);
  });

  // Registration writes the account (one transaction) and then, separately, the verification
  // token. A failure of that second write is treated like a failed mail (logged; the user can ask
  // for another link), so the client hears 201 for the account that exists, not 503.
  it('a registration whose verification token cannot be stored still answers 201', async () => {
    const account = newAccount();
    service.faults.inject({ fault: 'connection-refused', command: 'PutItem' });
    const answer = await send(service.handlers.register, '/register', { body: account });
    service.faults.clear();
    const retried = await send(service.handlers.register, '/register', { body: account });
    expect({ answer: answer.status, retried: retried.status }).toEqual({ answer: 201, retried: 409 });
  });

  it('a fault after the integer id is drawn leaves no claim on it, and registering again gets a working id', async () => {
    const account = newAccount();
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    expectUnavailable(await send(service.handlers.register, '/register', { body: account }));
    service.faults.clear();
    expect(await orphanNumberClaims(service.deps)).toEqual([]);
    const answer = await send(service.handlers.register, '/register', { body: account });
    expect(answer.status).toBe(201);
    const user = await service.deps.users.get((answer.body.user as { id: string }).id);
    expect(await service.deps.userNumbers.findUserId(user!.number!)).toBe(user!.id);
  });

  it('a counter that cannot be bumped stops the registration before anything is written', async () => {
    const account = newAccount();
    service.faults.inject({ fault: 'connection-refused', command: 'UpdateItem' });
    expectUnavailable(await send(service.handlers.register, '/register', { body: account }));
    service.faults.clear();
    expect(await service.deps.users.findByLogin(account.username)).toBeUndefined();
    expect((await send(service.handlers.register, '/register', { body: account })).status).toBe(201);
  });

  it('a first need of an id that a fault stops leaves the account without one and claims nothing; the next need works', async () => {
    const legacy = await storedUser(service.deps, 'fault_legacy');
    service.faults.inject({ fault: 'internal-error', command: 'TransactWriteItems' });
    await expect(service.deps.userNumbers.ensure({ ...legacy })).rejects.toThrow();
    service.faults.clear();
    expect((await service.deps.users.get(legacy.id))?.number).toBeUndefined();
    expect(await orphanNumberClaims(service.deps)).toEqual([]);
    const number = await service.deps.userNumbers.ensure({ ...legacy });
    expect(await service.deps.userNumbers.findUserId(number)).toBe(legacy.id);
  });
});
