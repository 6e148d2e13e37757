// The account page's password and email-address changes, through the use cases of POST
// /me/password and POST /me/email. Both need step-up first (a recent sign-in, with the second
// factor once the account has one), then the current password as those endpoints do. The page's
// own browser session is the one a password change keeps signed in.
import * as z from 'zod/mini';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import { changePassword } from '../../use-cases/change-password.ts';
import { requestEmailChange } from '../../use-cases/email-change.ts';
import { requireStepUp } from '../../use-cases/step-up.ts';
import { emailField } from '../fields.ts';
import type { AccountContext } from './account-context.ts';
import type { AccountAction } from './account-page.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

const newEmailField = emailField('new_email');

export function credentialActions(context: AccountContext) {
  const { deps } = context;

  const password_change: Action = async (event, signedIn, form) => {
    await requireStepUp(context.recentOf(signedIn), signedIn.user, deps);
    if (!form.current_password || !form.new_password) return context.refused(event, signedIn, 'password', 'Type your current password and a new one.');
    const keepOtherSessions = form.keep_other_sessions === 'yes';
    try {
      await changePassword(
        signedIn.user,
        { currentPassword: form.current_password, newPassword: form.new_password, keepOtherSessions },
        signedIn.session.sessionId,
        deps,
      );
    } catch (error) {
      return context.refusedBy(error, event, signedIn, 'password');
    }
    return context.back(keepOtherSessions ? 'password_changed' : 'password_changed_all');
  };

  const email_change: Action = async (event, signedIn, form) => {
    await requireStepUp(context.recentOf(signedIn), signedIn.user, deps);
    const typed = { newEmail: form.new_email ?? '' };
    const parsed = z.safeParse(newEmailField, form.new_email ?? '');
    if (!parsed.success) return context.refused(event, signedIn, 'email', `New email address: ${parsed.error.issues[0]?.message ?? 'not an address'}`, typed);
    if (!form.password) return context.refused(event, signedIn, 'email', 'Type your password.', typed);
    try {
      await requestEmailChange(signedIn.user, { newEmail: parsed.data, password: form.password }, deps);
    } catch (error) {
      return context.refusedBy(error, event, signedIn, 'email', typed);
    }
    return context.back('email_change_requested');
  };

  return { password_change, email_change };
}
