// Changing the account's email address (POST /me/email, the account page): the password again,
// then a single-use link to the NEW address; following it makes the change in one transaction
// (the address claim moves with the profile, so uniqueness races end as registration's do), and
// the OLD address is told, with a link that undoes the change and signs every session out (7 days).
import { noSoonerThan } from '../abuse/even-timing.ts';
import { claimMailQuota } from '../abuse/mail-quota.ts';
import { EMAIL_REVERT_TTL_SECONDS, type EmailChangeLink } from '../domain/email-change.ts';
import { ConflictError, InvalidLinkError, ValidationError } from '../domain/errors.ts';
import { normaliseEmail } from '../domain/identity.ts';
import type { User } from '../domain/user.ts';
import { emailChangeAttemptMail, emailChangeConfirmMail, emailChangedMail } from '../mail/templates.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { requestOrigin } from '../support/request-context.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import { type CurrentPasswordDeps, confirmPassword } from './current-password.ts';
import type { Dependencies } from './dependencies.ts';
import { newSecurityEvent } from './security-events.ts';
import { type RecentAuthentication, requireStepUp } from './step-up.ts';

export type EmailChangeDeps = CurrentPasswordDeps & Pick<Dependencies, 'users' | 'emailChanges' | 'mailer' | 'mailQuotas'>;

/** The 202's message: the same whether the address was free or (REGISTRATION_DISCLOSURE=email) taken. */
export const EMAIL_CHANGE_REQUESTED = 'We have mailed a link to the new address: follow it to make the change.';

export const emailChangeLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/email/change?token=${encodeURIComponent(token)}`;
export const emailRevertLink = (config: Dependencies['config'], token: string) => `${config.publicUrl}/email/revert?token=${encodeURIComponent(token)}`;

const taken = () =>
  new ConflictError([{ field: 'new_email', message: 'An account with this email already exists.' }], 'An account with this email already exists.');

/**
 * Asks to move `user` to `newEmail`: checks the password (401 / 429 as a login), refuses the same
 * address (400 naming new_email) and, by REGISTRATION_DISCLOSURE, another account's (409 naming
 * new_email, or the same 202 with a warning mailed to that account's owner), then mails the link.
 * With `authentication` (a bearer caller's token), the sign-in must be recent, with the second
 * factor when the account has one (StepUpRequiredError).
 */
export async function requestEmailChange(
  user: User,
  input: { newEmail: string; password: string },
  deps: EmailChangeDeps,
  authentication?: RecentAuthentication,
): Promise<void> {
  // Step-up work (lib/use-cases/step-up.ts); a hosted page that checked it itself passes none.
  if (authentication) await requireStepUp(authentication, user, deps);
  await confirmPassword(user, input.password, deps);
  const current = (await deps.users.get(user.id)) ?? user;
  if (normaliseEmail(input.newEmail) === normaliseEmail(current.email)) {
    throw new ValidationError([{ field: 'new_email', message: 'This is already the address of your account.' }]);
  }
  if (deps.config.registrationDisclosure === 'conflict') {
    if (await deps.users.findByEmail(input.newEmail)) throw taken();
    await sendChangeLink(current, input.newEmail, deps);
    return;
  }
  // Email mode: a taken address must answer as a free one does, in the same time.
  await noSoonerThan(deps.config.mailRequestMinMs, async () => {
    const owner = await deps.users.findByEmail(input.newEmail);
    if (owner) await warnOwner(owner, deps);
    else await sendChangeLink(current, input.newEmail, deps);
  });
}

async function sendChangeLink(user: User, newEmail: string, deps: EmailChangeDeps): Promise<void> {
  // The requester cannot use this to flood someone's mailbox: the address's hourly quota counts it.
  if (!(await claimMailQuota('verify', newEmail, deps))) {
    log.info('email-change link withheld: the address has had its quota this hour', { userId: user.id });
    return;
  }
  const now = deps.clock.now();
  const token = randomSecret();
  const tokenHash = sha256(token);
  const ttl = deps.config.verifyTokenTtlSeconds;
  const link: EmailChangeLink & { kind: 'change' } = { kind: 'change', userId: user.id, oldEmail: user.email, newEmail, expiresAt: toEpochSeconds(now) + ttl };
  const stored = await deps.emailChanges.request({ tokenHash, link, now, event: newSecurityEvent(user.id, 'email_change_requested', deps) });
  // The address changed meanwhile (another change was confirmed): the caller's view is stale.
  if (!stored)
    throw new ConflictError([{ field: 'new_email', message: 'Your address changed meanwhile; reload and try again.' }], 'The address changed meanwhile.');
  try {
    await deps.mailer.send(
      emailChangeConfirmMail(deps.config, { email: newEmail, username: user.username }, emailChangeLink(deps.config, token), Math.round(ttl / 3600)),
    );
  } catch (error) {
    log.error('email-change mail could not be sent', { userId: user.id, error });
    await deps.emailChanges.discard('change', tokenHash).catch(() => undefined);
  }
}

async function warnOwner(owner: User, deps: EmailChangeDeps): Promise<void> {
  try {
    if (!(await claimMailQuota('verify', owner.email, deps))) return;
    await deps.mailer.send(emailChangeAttemptMail(deps.config, owner, `${deps.config.publicUrl}/password/forgot`));
  } catch (error) {
    log.error('email-change attempt mail could not be sent', { error });
  }
}

/** Whether a link can still be used (for the page, before the button). */
export async function emailChangeLinkIsValid(
  kind: EmailChangeLink['kind'],
  token: string,
  deps: Pick<Dependencies, 'users' | 'emailChanges' | 'clock'>,
): Promise<boolean> {
  const link = await deps.emailChanges.find(kind, sha256(token), toEpochSeconds(deps.clock.now()));
  if (!link) return false;
  const user = await deps.users.get(link.userId);
  if (!user) return false;
  return kind === 'change'
    ? user.email === link.oldEmail && user.pendingEmailChange === sha256(token) && user.status === 'active'
    : user.email === link.newEmail;
}

/**
 * Follows the link mailed to the new address: makes the change (InvalidLinkError for a spent,
 * expired or superseded link; ConflictError naming new_email when another account took the
 * address meanwhile) and mails the old address its undo link. Returns the changed user.
 */
export async function confirmEmailChange(token: string, deps: EmailChangeDeps): Promise<User> {
  const now = deps.clock.now();
  const tokenHash = sha256(token);
  const link = await deps.emailChanges.find('change', tokenHash, toEpochSeconds(now));
  const user = link ? await deps.users.get(link.userId) : undefined;
  if (!link || !user) throw new InvalidLinkError();
  const revertToken = randomSecret();
  const outcome = await deps.emailChanges.confirm({
    tokenHash,
    link: { ...link, kind: 'change' },
    revertTokenHash: sha256(revertToken),
    revert: {
      kind: 'revert',
      userId: user.id,
      oldEmail: link.oldEmail,
      newEmail: link.newEmail,
      oldEmailVerified: user.emailVerified,
      expiresAt: toEpochSeconds(now) + EMAIL_REVERT_TTL_SECONDS,
    },
    now,
    event: newSecurityEvent(user.id, 'email_change_completed', deps),
  });
  if (outcome === 'taken')
    throw new ConflictError([{ field: 'new_email', message: 'This address was taken by another account meanwhile.' }], 'This address was taken meanwhile.');
  if (outcome !== 'done') throw new InvalidLinkError();
  try {
    const origin = requestOrigin();
    await deps.mailer.send(
      emailChangedMail(
        deps.config,
        { email: link.oldEmail, username: user.username },
        {
          at: new Date(now),
          ...(origin.ipPrefix ? { network: origin.ipPrefix } : {}),
          ...(origin.userAgent ? { browser: origin.userAgent } : {}),
          revertLink: emailRevertLink(deps.config, revertToken),
          revertDays: EMAIL_REVERT_TTL_SECONDS / 86_400,
        },
      ),
    );
  } catch (error) {
    // The change is made; the undo link is lost with the mail (logged, and alarmed on as every mail failure).
    log.error('email-changed mail could not be sent to the old address', { userId: user.id, error });
  }
  return { ...user, email: link.newEmail, emailVerified: true };
}

/**
 * Follows the undo link mailed to the old address: puts the old address back and ends every
 * session and API token of the account (InvalidLinkError for a spent or expired link, or when the
 * address has changed again since; ConflictError when the old address was taken meanwhile).
 */
export async function revertEmailChange(token: string, deps: EmailChangeDeps): Promise<User> {
  const now = deps.clock.now();
  const tokenHash = sha256(token);
  const link = await deps.emailChanges.find('revert', tokenHash, toEpochSeconds(now));
  const user = link ? await deps.users.get(link.userId) : undefined;
  if (!link || !user) throw new InvalidLinkError();
  // Never backwards: a later "valid after" (another machine's clock) already covers now.
  const endBefore = Math.max(now + 1, user.validAfterMs ?? 0, user.apiTokensValidAfterMs ?? 0);
  const outcome = await deps.emailChanges.revert({
    tokenHash,
    link: { ...link, kind: 'revert' },
    endBefore,
    now,
    event: newSecurityEvent(user.id, 'email_change_reverted', deps),
  });
  if (outcome === 'taken')
    throw new ConflictError([{ field: 'email', message: 'The old address was taken by another account meanwhile.' }], 'The old address was taken meanwhile.');
  if (outcome !== 'done') throw new InvalidLinkError();
  return { ...user, email: link.oldEmail };
}
