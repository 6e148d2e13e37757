// /password/forgot: GET is the page with the email form; POST {email} sends a reset link if the
// address has an active account and answers 202 the same way whether or not it does.
import { ipBudget } from '../lib/abuse/ip-budget.ts';
import { dependencies } from '../lib/app.ts';
import { ValidationError } from '../lib/domain/errors.ts';
import { wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/http/validate.ts';
import { forgotPasswordPage, resetRequestedPage } from '../lib/pages/account-pages.ts';
import { forgotPasswordSchema, requestPasswordReset } from '../lib/use-cases/password-reset.ts';

const deps = dependencies();

const ACCEPTED = { message: 'If an account exists for this address, a link to reset its password has been sent.' };

export const handler = httpRoute(
  {
    methods: ['GET', 'POST'],
    summary: 'Mails a password-reset link for {email}; GET shows the form.',
    guard: ipBudget('password-forgot', deps),
    // The page's form again, naming the refused field.
    errorPage: (error) => (error instanceof ValidationError ? forgotPasswordPage(deps.config, { errors: error.errors ?? [], status: 400 }) : undefined),
  },
  async (event) => {
    if (event.requestContext.http.method.toUpperCase() === 'GET') return forgotPasswordPage(deps.config);
    const { email } = validate(forgotPasswordSchema, event.parsedBody ?? {});
    await requestPasswordReset(email, deps);
    return wantsHtml(event) ? resetRequestedPage(deps.config, email) : json(202, ACCEPTED);
  },
);
