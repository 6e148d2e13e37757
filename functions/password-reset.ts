// /password/reset: GET ?token= is the page to choose a new password (or says the link is spent);
// POST {token, password} sets it, ends every session and API token, and mails the owner.

import { InvalidLinkError, ValidationError } from '../lib/domain/errors.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { invalidLinkPage, passwordChangedPage, resetPasswordPage as resetPasswordForm } from '../lib/pages/account-pages.ts';
import { oneTimeTokenField, passwordResetLambda, resetPassword, resetPasswordPage } from '../lib/routes/native/password-and-email.ts';
import { resetLinkIsValid, resetPassword as setNewPassword } from '../lib/use-cases/password-reset.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  passwordResetLambda,
  [
    implement(resetPasswordPage, async ({ event }) => {
      // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await resetLinkIsValid(token, deps))
        ? resetPasswordForm(deps.config, token)
        : invalidLinkPage(deps.config, 'reset');
    }),
    implement(resetPassword, async ({ event, body }) => {
      await setNewPassword(body!.token, body!.password, deps);
      if (wantsHtml(event)) return passwordChangedPage(deps.config);
      return json(200, { message: 'Your password has been changed; every session and API token of the account has ended.' });
    }),
  ],
  {
    // The page's form: a spent link says so, a refused password shows the form again.
    errorPage: (error, event) => {
      const token = typeof event.parsedBody?.token === 'string' ? event.parsedBody.token : '';
      if (error instanceof InvalidLinkError || !token) return invalidLinkPage(deps.config, 'reset');
      if (error instanceof ValidationError) return resetPasswordForm(deps.config, token, error.errors ?? [], 400);
      return undefined;
    },
  },
);
