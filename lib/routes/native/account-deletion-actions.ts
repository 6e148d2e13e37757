// Deleting the account from the account page: a confirmation page first (after step-up, so the
// password is asked where it is used), then deleteAccount (as DELETE /me: the password, step-up,
// crash-safe deletion). Afterwards the browser session is gone with the account: the cookie is
// cleared and the page says so.

import { AppError, StepUpRequiredError } from '../../domain/errors.ts';
import { clearCookie } from '../../http/browser-cookies.ts';
import { httpStatus } from '../../http/status.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { accountDeletedPage, deleteConfirmPage } from '../../pages/account-deletion.ts';
import { deleteAccount } from '../../use-cases/account-deletion.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import { requireStepUp } from '../../use-cases/step-up.ts';
import type { AccountContext } from './account-context.ts';
import type { AccountAction } from './account-page.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

export function deletionActions(context: AccountContext) {
  const { deps } = context;

  const confirmPage = (event: HttpEvent, signedIn: SignedIn, refusal?: { error: string; status: number }) => {
    const csrf = context.actionCsrf(event, signedIn);
    return context.withCookies(deleteConfirmPage(deps.config, { csrf: csrf.token, ...(refusal ?? {}) }), csrf.cookies);
  };

  const account_delete_start: Action = async (event, signedIn) => {
    await requireStepUp(context.recentOf(signedIn), signedIn.user, deps);
    return confirmPage(event, signedIn);
  };

  const account_delete: Action = async (event, signedIn, form) => {
    if (!form.password) return confirmPage(event, signedIn, { error: 'Type your password to delete the account.', status: 400 });
    try {
      await deleteAccount(signedIn.user, { password: form.password }, context.recentOf(signedIn), deps);
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof StepUpRequiredError || error.code === 'service_unavailable') throw error;
      const answer = confirmPage(event, signedIn, { error: error.message, status: httpStatus(error) });
      if (error.retryAfterSeconds !== undefined) answer.headers['retry-after'] = String(error.retryAfterSeconds);
      return answer;
    }
    return { ...accountDeletedPage(deps.config), cookies: [clearCookie(context.sessionCookie, deps.config.publicUrl)] };
  };

  return { account_delete_start, account_delete };
}
