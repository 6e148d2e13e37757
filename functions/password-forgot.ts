// /password/forgot: GET is the page with the email form; POST {email} sends a reset link if the
// address has an active account and answers 202 the same way whether or not it does.
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';
import { ValidationError } from '../lib/domain/errors.ts';
import { wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { forgotPasswordPage, resetRequestedPage } from '../lib/pages/account-pages.ts';
import { forgotPasswordSchema } from '../lib/routes/native/password-and-email.ts';
import { requestPasswordReset } from '../lib/use-cases/password-reset.ts';

const deps = dependencies();

const ACCEPTED = { message: 'If an account exists for this address, a link to reset its password has been sent.' };

export const handler = httpRoute({ methods: ['GET', 'POST'], summary: 'Mails a password-reset link for {email}; GET shows the form.', guard: ipBudget('password-forgot', deps) }, async (event) => {
  if (event.requestContext.http.method.toUpperCase() === 'GET') return forgotPasswordPage(deps.config);
  const html = wantsHtml(event);
  let email: string;
  try {
    ({ email } = validate(forgotPasswordSchema, event.parsedBody ?? {}));
  } catch (error) {
    if (html && error instanceof ValidationError) return forgotPasswordPage(deps.config, { errors: error.errors ?? [], status: 400 });
    throw error;
  }
  await requestPasswordReset(email, deps);
  return html ? resetRequestedPage(deps.config, email) : json(202, ACCEPTED);
});
