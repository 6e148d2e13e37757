// `npm run admin -- accounts delete <user>` and `accounts finish-deletions` (lib/admin/account-
// deletion.ts) on DynamoDB Local and SES: the operator's deletion removes what DELETE /me removes,
// records account_deleted on the admin channel (kept under the pseudonym), mails the owner; an
// interrupted deletion (only its first step done) is found through its listing and finished.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteUserAccount, finishDeletions, formatAccountDeleted, formatDeletionsFinished } from '../../lib/admin/account-deletion.ts';
import { parseCommandLine } from '../../lib/admin/command-line.ts';
import { UsageError } from '../../lib/admin/errors.ts';
import { finishStaleDeletions, STALE_DELETION_MS } from '../../lib/use-cases/account-deletion.ts';
import { createApiToken } from '../../lib/use-cases/api-tokens.ts';
import { startBrowserSession } from '../../lib/use-cases/browser-sessions.ts';
import type { Dependencies } from '../../lib/use-cases/dependencies.ts';
import { newSecurityEvent } from '../../lib/use-cases/security-events.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { itemsNaming } from '../support/table-scan.ts';
import { storedUser } from '../support/users.ts';

const deps = testDependencies();

/** A user with a session, a browser session and an API token. */
async function userWithThings(prefix: string, on: Dependencies = deps) {
  const user = await storedUser(on, prefix);
  await startSession(user, on);
  await startBrowserSession(user, ['pwd'], on);
  await createApiToken({ user, claims: { sub: user.id, jti: randomUUID(), iat: 0, exp: 0 } as never, tokenType: 'access_token' }, { name: 'ci' }, on);
  return user;
}

/**
 * Finishing "every unfinished deletion" must not finish the ones other test files interrupt on
 * purpose (in the shared table, in the other worker): those tests run on a table of their own.
 */
async function ownTable(): Promise<Dependencies> {
  return testDependencies(undefined, { TABLE_NAME: await freshTable() });
}

describe('admin accounts', () => {
  it('delete: removes everything, keeps account_deleted (channel admin) under a pseudonym, mails the owner', async () => {
    const user = await userWithThings('admdel');
    expect((await itemsNaming(deps, [user.id])).length).toBeGreaterThan(2);
    const result = await deleteUserAccount(user.username, deps);
    expect(result.started).toBe(true);
    expect(formatAccountDeleted(result)).toContain(`Deleted ${user.username}`);
    expect(await itemsNaming(deps, [user.id, user.username, user.email])).toEqual([]);
    const mail = await newestMail(user.email, { subject: 'was deleted' });
    expect(mail.body.text).toContain('An administrator deleted');
    // Deleting again: the account is not found any more.
    await expect(deleteUserAccount(user.id, deps)).rejects.toThrow(/No user/i);
  });

  it('finish-deletions: finishes a deletion whose clean-up never ran, then has nothing left to do for it', async () => {
    const deps = await ownTable();
    const user = await userWithThings('admfin', deps);
    const event = newSecurityEvent(user.id, 'account_deleted', deps, { channel: 'admin' });
    expect(await deps.accountDeletions.begin({ user, pseudonym: randomUUID(), now: Date.now(), event })).toBe('started');
    // Only step 1: the names are free, the rest is still there.
    expect(await deps.users.findByLogin(user.username)).toBeUndefined();
    expect((await itemsNaming(deps, [user.id])).length).toBeGreaterThan(1);
    const first = await finishDeletions(deps);
    expect(first.finished.map((deletion) => deletion.userId)).toContain(user.id);
    expect(formatDeletionsFinished(first)).toContain(user.id);
    expect(await itemsNaming(deps, [user.id, user.username, user.email])).toEqual([]);
    expect((await finishDeletions(deps)).finished.map((deletion) => deletion.userId)).not.toContain(user.id);
  });

  it('the hourly run finishes only deletions older than STALE_DELETION_MS: a younger one may still be cleaning up', async () => {
    const deps = await ownTable();
    const now = Date.now();
    const stale = await userWithThings('admstale', deps);
    const fresh = await userWithThings('admfresh', deps);
    const begin = (user: typeof stale, at: number) =>
      deps.accountDeletions.begin({ user, pseudonym: randomUUID(), now: at, event: newSecurityEvent(user.id, 'account_deleted', deps) });
    expect(await begin(stale, now - STALE_DELETION_MS - 60_000)).toBe('started');
    expect(await begin(fresh, now)).toBe('started');
    const finished = await finishStaleDeletions(STALE_DELETION_MS, deps);
    expect(finished.map((deletion) => deletion.userId)).toEqual([stale.id]);
    expect(await itemsNaming(deps, [stale.id, stale.username, stale.email])).toEqual([]);
    // The young one is untouched (step 1 only), until it is old enough.
    expect((await itemsNaming(deps, [fresh.id])).length).toBeGreaterThan(1);
    expect(await finishStaleDeletions(0, deps)).toEqual([expect.objectContaining({ userId: fresh.id })]);
    expect(await itemsNaming(deps, [fresh.id, fresh.username, fresh.email])).toEqual([]);
  });

  it('parses its command line, refusing anything else by name', () => {
    expect(parseCommandLine(['accounts', 'delete', 'jane'])).toMatchObject({ command: 'accounts', args: { action: 'delete', user: 'jane' } });
    expect(parseCommandLine(['accounts', 'finish-deletions', '--stage', 'prod'])).toMatchObject({
      command: 'accounts',
      args: { action: 'finish-deletions' },
      stage: 'prod',
    });
    for (const argv of [
      ['accounts'],
      ['accounts', 'delete'],
      ['accounts', 'purge', 'jane'],
      ['accounts', 'finish-deletions', 'jane'],
      ['accounts', 'delete', 'jane', '--json'],
    ]) {
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});
