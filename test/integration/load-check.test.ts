// The load test's lost-write check (scripts/load/check-table.ts) against DynamoDB Local: a ledger
// built from real sessions and API tokens passes on an untouched table, and every kind of damage a
// lost or stray write leaves behind is reported.
import { randomBytes } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokenKey, refreshTokenKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import { createApiToken, deleteApiToken } from '../../lib/use-cases/api-tokens.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { checkTable } from '../../scripts/load/check-table.ts';
import type { LoadUser } from '../../scripts/load/ledger.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { storedUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 23, 12, 0, 0, 0);

let deps: Dependencies;
beforeAll(async () => {
  // A table of its own, so the scan sees nothing but what these tests wrote.
  deps = testDependencies(testClock(START), { TABLE_NAME: await freshTable() });
});

/** What a load run's client would have recorded: a session refreshed twice, a second session, one kept and one deleted API token. */
async function loadRun(): Promise<{ ledger: LoadUser; familyId: string; keptId: string; deletedId: string }> {
  const user = await storedUser(deps, 'load');
  const first = await startSession(user, deps);
  const second = await refreshSession(first.refreshToken, deps);
  const third = await refreshSession(second.refreshToken, deps);
  const other = await startSession(user, deps);
  const caller = await deps.tokenChecker.check(third.accessToken.token, deps.accessTokens.audience);
  const kept = await createApiToken(caller, { name: 'kept' }, deps);
  const deleted = await createApiToken(caller, { name: 'deleted' }, deps);
  await deleteApiToken(caller, deleted.record.id, deps);
  const ledger: LoadUser = {
    username: user.username,
    email: user.email,
    password: 'not used by the check',
    userId: user.id,
    chains: [{ tokens: [first.refreshToken, second.refreshToken, third.refreshToken] }, { tokens: [other.refreshToken] }],
    apiTokens: [
      { id: kept.record.id, deleted: false },
      { id: deleted.record.id, deleted: true },
    ],
  };
  return { ledger, familyId: first.sessionId, keptId: kept.record.id, deletedId: deleted.record.id };
}

const check = (ledger: LoadUser) => checkTable(deps.db, deps.config.tableName, [ledger]);
const table = () => deps.config.tableName;

describe('the load test lost-write check', () => {
  it('passes a table that holds exactly what the clients were told', async () => {
    const { ledger } = await loadRun();
    const result = await check(ledger);
    expect(result.problems).toEqual([]);
    expect(result.checked).toEqual({ users: 1, sessions: 2, refreshTokens: 4, liveApiTokens: 1, deletedApiTokens: 1 });
    expect(result.uncertain).toBe(0);
  });

  it('reports an API token that was created (201) but is missing', async () => {
    const { ledger, keptId } = await loadRun();
    await deps.db.send(new DeleteCommand({ TableName: table(), Key: apiTokenKey(ledger.userId, keptId) }));
    const { problems } = await check(ledger);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`API token ${keptId} was created \\(201\\) and never deleted, but is not in the table`))]);
  });

  it('reports an API token that was deleted (204) but is still there', async () => {
    const { ledger, deletedId } = await loadRun();
    await deps.db.send(new PutCommand({ TableName: table(), Item: { ...apiTokenKey(ledger.userId, deletedId), type: 'apiToken', id: deletedId } }));
    const { problems } = await check(ledger);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`API token ${deletedId} was deleted \\(204\\) but is still in the table`))]);
  });

  it('reports a second live refresh token in a family', async () => {
    const { ledger, familyId } = await loadRun();
    await deps.db.send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...refreshTokenKey(sha256(randomBytes(32).toString('base64url'))),
          type: 'refreshToken',
          familyId,
          userId: ledger.userId,
          used: false,
          expiresAt: START / 1000 + 3600,
        },
      }),
    );
    const { problems } = await check(ledger);
    expect(problems).toContainEqual(expect.stringMatching(/session 1: family .* has 2 live refresh tokens, not exactly one/));
    expect(problems).toContainEqual(expect.stringMatching(/session 1: family .* holds 4 refresh tokens, the client received 3/));
    expect(problems.every((problem) => problem.includes('session 1'))).toBe(true);
  });

  it('reports a family whose live token is not the last one the client received (a rotation the client never saw)', async () => {
    const { ledger } = await loadRun();
    const last = ledger.chains[0]!.tokens[2]!;
    await deps.db.send(
      new UpdateCommand({
        TableName: table(),
        Key: refreshTokenKey(sha256(last)),
        UpdateExpression: 'SET used = :true',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    const { problems } = await check(ledger);
    expect(problems).toContainEqual(expect.stringMatching(/session 1: family .* has 0 live refresh tokens/));
    expect(problems).toContainEqual(expect.stringMatching(/session 1: the last refresh token the client received is not the family's live one/));
  });

  it('reports a lost rotation: a refresh token the client received is missing, or its predecessor was never spent', async () => {
    const { ledger } = await loadRun();
    await deps.db.send(new DeleteCommand({ TableName: table(), Key: refreshTokenKey(sha256(ledger.chains[0]!.tokens[1]!)) }));
    expect((await check(ledger)).problems).toEqual([expect.stringMatching(/session 1: refresh token\(s\) #2 of 3 the client received are not in the table/)]);

    const again = await loadRun();
    const first = again.ledger.chains[0]!.tokens[0]!;
    await deps.db.send(
      new UpdateCommand({
        TableName: table(),
        Key: refreshTokenKey(sha256(first)),
        UpdateExpression: 'SET used = :false REMOVE replacedBy',
        ExpressionAttributeValues: { ':false': false },
      }),
    );
    const { problems } = await check(again.ledger);
    expect(problems).toContainEqual(expect.stringMatching(/session 1: refresh token #1 is not recorded as spent by the rotation that gave the client #2/));
    expect(problems).toContainEqual(expect.stringMatching(/session 1: family .* has 2 live refresh tokens/));
  });

  it('reports a revoked family', async () => {
    const { ledger, familyId } = await loadRun();
    await deps.sessions.revokeFamily(familyId, 'reuse', START);
    const { problems } = await check(ledger);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`session 1: its refresh family ${familyId} was revoked \\(reuse\\)`))]);
  });

  it('leaves out, and counts, what the client could not know', async () => {
    const { ledger, keptId } = await loadRun();
    // A refresh whose answer never came: the server may have rotated the token or not.
    ledger.chains[0]!.uncertain = 'a refresh got no answer';
    await deps.db.send(
      new UpdateCommand({
        TableName: table(),
        Key: refreshTokenKey(sha256(ledger.chains[0]!.tokens[2]!)),
        UpdateExpression: 'SET used = :true',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    const { problems, uncertain, checked } = await check(ledger);
    expect(problems).toEqual([]);
    expect(uncertain).toBe(1);
    expect(checked).toMatchObject({ sessions: 1, liveApiTokens: 1, deletedApiTokens: 1 });

    // Everything else of that user is still checked.
    await deps.db.send(new DeleteCommand({ TableName: table(), Key: apiTokenKey(ledger.userId, keptId) }));
    expect((await check(ledger)).problems).toEqual([expect.stringContaining(`API token ${keptId}`)]);
  });

  it('reports a user whose profile is gone', async () => {
    const { ledger } = await loadRun();
    await deps.db.send(new DeleteCommand({ TableName: table(), Key: { pk: `USER#${ledger.userId}`, sk: 'PROFILE' } }));
    expect((await check(ledger)).problems).toEqual([expect.stringMatching(/the profile is not in the table/)]);
  });
});
