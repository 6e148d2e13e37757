// `npm run admin -- mfa list <user>` and `mfa reset <user>`: an operator's view of a user's second
// factors (metadata only), and the way back for a user who lost every factor and every recovery
// code: remove them all, end every session (the old factors may be in a thief's hands), mail the user.
import type { FactorSummary } from '../domain/mfa.ts';
import type { User } from '../domain/user.ts';
import { factorsResetMail } from '../mail/templates.ts';
import { toIsoUtc } from '../support/clock.ts';
import { log } from '../support/log.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { recordSecurityEvent } from '../use-cases/security-events.ts';
import { findUser } from './find-user.ts';

export interface UserFactors {
  user: User;
  factors: FactorSummary[];
}

export async function listUserFactors(reference: string, deps: Pick<Dependencies, 'users' | 'mfaFactors'>): Promise<UserFactors> {
  const user = await findUser(reference, deps);
  return { user, factors: await deps.mfaFactors.listFactors(user.id) };
}

export interface FactorsReset extends UserFactors {
  /** Whether the user could be told by mail (a reset stands even when the mail fails). */
  mailed: boolean;
}

/**
 * Removes every factor and the recovery codes, then ends every session and access token
 * (validAfter = now), then mails the user. Each step is idempotent: a reset interrupted halfway is
 * finished by running it again.
 */
export async function resetUserFactors(
  reference: string,
  deps: Pick<Dependencies, 'users' | 'mfaFactors' | 'clock' | 'mailer' | 'config' | 'securityEvents'>,
): Promise<FactorsReset> {
  const user = await findUser(reference, deps);
  const factors = await deps.mfaFactors.listFactors(user.id);
  await deps.mfaFactors.deleteAll(user.id);
  await deps.users.invalidateTokensBefore(user.id, deps.clock.now());
  await Promise.all(
    factors
      .filter((factor) => factor.type !== 'recovery_codes')
      .map((factor) =>
        recordSecurityEvent(user.id, 'mfa_factor_removed', deps, {
          channel: 'admin',
          details: { factor: factor.type === 'totp' ? 'totp' : 'passkey', ...(factor.type === 'totp' ? {} : { id: factor.id }), reason: 'admin_reset' },
        }),
      ),
  );
  let mailed = true;
  try {
    await deps.mailer.send(factorsResetMail(deps.config, user, `${deps.config.publicUrl}/account`));
  } catch (error) {
    mailed = false;
    log.error('factors-reset mail could not be sent', { userId: user.id, error });
  }
  return { user, factors, mailed };
}

const who = (user: Pick<User, 'username' | 'id'>) => `${user.username} (id ${user.id})`;

function factorLine(factor: FactorSummary): string {
  const used = factor.lastUsedAt === undefined ? 'never used' : `last used ${toIsoUtc(factor.lastUsedAt)}`;
  const left = factor.remaining === undefined ? '' : `, ${factor.remaining} left`;
  return `  ${factor.type.padEnd(15)} ${factor.name} (id ${factor.id}), added ${toIsoUtc(factor.createdAt)}, ${used}${left}`;
}

export function formatUserFactors({ user, factors }: UserFactors): string {
  if (factors.length === 0) return `${who(user)} has no second factor.`;
  return [`Second factors of ${who(user)}:`, ...factors.map(factorLine)].join('\n');
}

export function formatFactorsReset({ user, factors, mailed }: FactorsReset): string {
  const removed = factors.length ? `removed ${factors.map((factor) => factor.type).join(', ')}` : 'there was no factor to remove';
  const mail = mailed ? `${user.email} was told by mail.` : `The mail to ${user.email} could NOT be sent: tell the user another way.`;
  return `Reset the second factors of ${who(user)}: ${removed}; every session and access token was ended. ${mail}`;
}
