// Asking for a password-reset link: a mail with a single-use link for an active account, and the
// same answer, in the same time, for any other address. Apart from setting the new password
// (./password-reset.ts) so that the forgot-password function never loads argon2.
import { noSoonerThan } from '../abuse/even-timing.ts';
import { passwordResetMail } from '../mail/templates.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';

type RequestDeps = Pick<Dependencies, 'users' | 'oneTimeTokens' | 'mailer' | 'clock' | 'config'>;

export const resetLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/password/reset?token=${encodeURIComponent(token)}`;

/**
 * Sends a reset link if `email` belongs to an active account; says nothing either way, and takes
 * at least MAIL_REQUEST_MIN_MS either way, so the time does not tell either (lib/abuse/even-timing.ts).
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
  const now = deps.clock.now();
  const token = randomSecret();
  const ttl = deps.config.resetTokenTtlSeconds;
  const tokenHash = sha256(token);
  await deps.oneTimeTokens.createResetToken(tokenHash, { userId: user.id, expiresAt: toEpochSeconds(now) + ttl }, now);
  try {
    await deps.mailer.send(passwordResetMail(deps.config, user, resetLink(deps.config, token), Math.round(ttl / 60)));
  } catch (error) {
    // The client hears 202 as always; the token nobody received is removed again.
    log.error('password reset mail could not be sent', { userId: user.id, error });
    await deps.oneTimeTokens.discard('reset', tokenHash);
  }
}
