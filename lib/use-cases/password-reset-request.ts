// Asking for a password-reset link: a mail with a single-use link for an active account, at most
// MAIL_PER_ADDRESS_PER_HOUR an hour, and the same answer, in the same time, for any other address
// or once the quota is spent. Apart from setting the new password (./password-reset.ts) so that the
// forgot-password function never loads argon2.
import { noSoonerThan } from '../abuse/even-timing.ts';
import { claimMailQuota } from '../abuse/mail-quota.ts';
import type { User } from '../domain/user.ts';
import { passwordResetMail } from '../mail/templates.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';

type RequestDeps = Pick<Dependencies, 'users' | 'oneTimeTokens' | 'mailQuotas' | 'mailer' | 'clock' | 'config'>;

export const resetLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/password/reset?token=${encodeURIComponent(token)}`;

/**
 * Sends a reset link if `email` belongs to an active account whose address has not had its hourly
 * quota of reset mails; says nothing either way, and takes at least MAIL_REQUEST_MIN_MS either way,
 * so the time does not tell either (lib/abuse/even-timing.ts). Earlier links stay valid.
 */
export function requestPasswordReset(email: string, deps: RequestDeps): Promise<void> {
  return noSoonerThan(deps.config.mailRequestMinMs, () => mailResetLink(email, deps));
}

async function mailResetLink(email: string, deps: RequestDeps): Promise<void> {
  const user = await deps.users.findByEmail(email);
  if (user?.status !== 'active') {
    log.info('password reset requested for no active account');
    return;
  }
  // From here on only a real account does the work, so a failure must not change the answer
  // either: it is logged, and the client hears 202 as for an unknown address.
  try {
    await mailNewLink(user, deps);
  } catch (error) {
    log.error('password reset link could not be issued', { userId: user.id, error });
  }
}

async function mailNewLink(user: User, deps: RequestDeps): Promise<void> {
  if (!(await claimMailQuota('reset', user.email, deps))) {
    log.info('password reset mail withheld: the address has had its quota this hour', { userId: user.id });
    return;
  }
  const now = deps.clock.now();
  const token = randomSecret();
  const ttl = deps.config.resetTokenTtlSeconds;
  const tokenHash = sha256(token);
  // The generation read with the user: a reset that commits after this read voids the new link too.
  const issued = { userId: user.id, expiresAt: toEpochSeconds(now) + ttl, generation: user.resetGeneration ?? 0 };
  await deps.oneTimeTokens.createResetToken(tokenHash, issued, now);
  try {
    await deps.mailer.send(passwordResetMail(deps.config, user, resetLink(deps.config, token), Math.round(ttl / 60)));
  } catch (error) {
    // The client hears 202 as always; the token nobody received is removed again.
    log.error('password reset mail could not be sent', { userId: user.id, error });
    await deps.oneTimeTokens.discard('reset', tokenHash).catch((discardError: unknown) => {
      // The link was never sent, so a token left behind is unusable; it expires by TTL.
      log.warn('unsent password reset token could not be removed', { userId: user.id, error: discardError });
    });
  }
}
