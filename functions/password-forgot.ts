// /password/forgot: GET is the page with the email form; POST {email} sends a reset link if the
// address has an active account and answers 202 the same way whether or not it does.

import { ValidationError } from '../lib/domain/errors.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { forgotPasswordPage as forgotPasswordForm, resetRequestedPage } from '../lib/pages/account-pages.ts';
import { forgotPassword, forgotPasswordPage, passwordForgotLambda } from '../lib/routes/native/password-and-email.ts';
import { requestPasswordReset } from '../lib/use-cases/password-reset-request.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

const ACCEPTED = { message: 'If an account exists for this address, a link to reset its password has been sent.' };

export const handler = serve(
  passwordForgotLambda,
  [
    implement(forgotPasswordPage, async () => forgotPasswordForm(deps.config)),
    implement(forgotPassword, async ({ event, body }) => {
      await requestPasswordReset(body!.email, deps);
      return wantsHtml(event) ? resetRequestedPage(deps.config, body!.email) : json(202, ACCEPTED);
    }),
  ],
  {
    ipBudget: (scope) => ipBudget(scope, deps),
    // The page's form again, naming the refused field.
    errorPage: (error) => (error instanceof ValidationError ? forgotPasswordForm(deps.config, { errors: error.errors ?? [], status: 400 }) : undefined),
  },
);
