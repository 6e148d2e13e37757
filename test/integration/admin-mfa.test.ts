// `npm run admin -- mfa list|reset <user>` (lib/admin/mfa.ts) on DynamoDB Local, local KMS and SES:
// a reset removes every factor and the recovery codes, ends every session, and mails the user.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../lib/admin/command-line.ts';
import { UsageError } from '../../lib/admin/errors.ts';
import { formatFactorsReset, formatUserFactors, listUserFactors, resetUserFactors } from '../../lib/admin/mfa.ts';
import { totpCodeAt } from '../../lib/mfa/totp.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../lib/use-cases/mfa-totp.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { newestMail } from '../support/mailbox.ts';
import { storedUser } from '../support/users.ts';

describe('admin mfa', () => {
  const clock = testClock();
  const deps = testDependencies(clock);
  const recent = () => ({ authTime: toEpochSeconds(clock.now()), amr: ['pwd'] });

  it('lists factors without secrets, and reset removes them all, ends the sessions and mails the user', async () => {
    // Prepare: a user with an authenticator app, its recovery codes and a session.
    const user = await storedUser(deps, 'adminmfa');
    const { secret } = await startTotpEnrolment(user, deps, recent());
    const { recoveryCodes } = await confirmTotpEnrolment(user, totpCodeAt(secret, clock.now()), deps, recent());
    const session = await startSession(user, deps);
    const listed = await listUserFactors(user.username, deps);
    expect(listed.factors.map((factor) => factor.type).sort()).toEqual(['recovery_codes', 'totp']);
    const text = formatUserFactors(listed);
    expect(text).toContain('totp');
    expect(text).toContain('10 left');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(recoveryCodes![0]);

    // Act
    clock.advance(5);
    const reset = await resetUserFactors(user.email, deps);

    // Assess
    expect(reset.mailed).toBe(true);
    expect(formatFactorsReset(reset)).toMatch(/removed (totp, recovery_codes|recovery_codes, totp)/);
    expect(await deps.mfaFactors.listFactors(user.id)).toEqual([]);
    const stored = (await deps.users.get(user.id))!;
    expect(stored.mfaTotp).toBeUndefined();
    expect(stored.validAfterMs).toBe(clock.now());
    await expect(deps.tokenChecker.check(session.accessToken.token, deps.accessTokens.audience)).rejects.toMatchObject({ code: 'invalid_token' });
    const mail = await newestMail(user.email, { subject: 'second factors were reset' });
    expect(mail.body.text).toContain(user.username);
    // Idempotent: again, with nothing left.
    expect(formatFactorsReset(await resetUserFactors(user.id, deps))).toContain('there was no factor to remove');
  });

  it('the command line takes mfa list|reset <user>, and nothing else', () => {
    expect(parseCommandLine(['mfa', 'list', 'jane', '--json'])).toMatchObject({ command: 'mfa', args: { action: 'list', user: 'jane' }, json: true });
    expect(parseCommandLine(['mfa', 'reset', 'jane'])).toMatchObject({ command: 'mfa', args: { action: 'reset', user: 'jane' } });
    expect(() => parseCommandLine(['mfa', 'wipe', 'jane'])).toThrow(UsageError);
    expect(() => parseCommandLine(['mfa', 'reset'])).toThrow(UsageError);
  });
});
