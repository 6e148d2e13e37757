// /password/reset: GET ?token= is the page to choose a new password (or says the link is spent);
// POST {token, password} sets it, ends every session and API token, and mails the owner.
import { dependencies } from '../lib/app.ts';
import { InvalidLinkError, ValidationError } from '../lib/domain/errors.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/http/validate.ts';
import { invalidLinkPage, passwordChangedPage, resetPasswordPage } from '../lib/pages/account-pages.ts';
import { oneTimeTokenField, resetLinkIsValid, resetPassword, resetPasswordSchema } from '../lib/use-cases/password-reset.ts';

const deps = dependencies();

export const handler = httpRoute(
  {
    methods: ['GET', 'POST'],
    summary: 'Sets a new password with the token from a reset link; GET shows the form.',
    // The page's form: a spent link says so, a refused password shows the form again.
    errorPage: (error, event) => {
      const token = typeof event.parsedBody?.token === 'string' ? event.parsedBody.token : '';
      if (error instanceof InvalidLinkError || !token) return invalidLinkPage(deps.config, 'reset');
      if (error instanceof ValidationError) return resetPasswordPage(deps.config, token, error.errors ?? [], 400);
      return undefined;
    },
  },
  async (event) => {
    if (event.requestContext.http.method.toUpperCase() === 'GET') {
      // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await resetLinkIsValid(token, deps)) ? resetPasswordPage(deps.config, token) : invalidLinkPage(deps.config, 'reset');
    }
    const { token, password } = validate(resetPasswordSchema, event.parsedBody ?? {});
    await resetPassword(token, password, deps);
    if (wantsHtml(event)) return passwordChangedPage(deps.config);
    return json(200, { message: 'Your password has been changed; every session and API token of the account has ended.' });
  },
);
