// `npm run admin -- accounts delete <user>` and `accounts finish-deletions` (lib/admin/account-
// deletion.ts) on DynamoDB Local and SES: the operator's deletion removes what DELETE /me removes,
// records account_deleted on the admin channel (kept under the pseudonym), mails the owner; an
// interrupted deletion (only its first step done) is found through its listing and finished.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteUserAccount, finishDeletions, formatAccountDeleted, formatDeletionsFinished } from '../../lib/admin/account-deletion.ts';
import { parseCommandLine } from '../../lib/admin/command-line.ts';
import { UsageError } from '../../lib/admin/errors.ts';
import { createApiToken } from '../../lib/use-cases/api-tokens.ts';
import { startBrowserSession } from '../../lib/use-cases/browser-sessions.ts';
import { newSecurityEvent } from '../../lib/use-cases/security-events.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import { testDependencies } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { itemsNaming } from '../support/table-scan.ts';
import { storedUser } from '../support/users.ts';

const deps = testDependencies();

/** A user with a session, a browser session and an API token. */
async function userWithThings(prefix: string) {
  const user = await storedUser(deps, prefix);
  await startSession(user, deps);
  await startBrowserSession(user, ['pwd'], deps);
  await createApiToken({ user, claims: { sub: user.id, jti: randomUUID(), iat: 0, exp: 0 } as never, tokenType: 'access_token' }, { name: 'ci' }, deps);
  return user;
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
    const user = await userWithThings('admfin');
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
