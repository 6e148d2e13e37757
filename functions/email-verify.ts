// /email/verify: GET ?token= is the page with a confirm button (a GET never spends the token, so
// mail scanners that open links cannot); POST {token} confirms the address, for pages and API clients.
import { dependencies } from '../lib/wiring/dependencies.ts';
import { AppError } from '../lib/domain/errors.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { confirmEmailPage, emailVerifiedPage, invalidLinkPage } from '../lib/pages/account-pages.ts';
import { oneTimeTokenField, verifyEmailSchema } from '../lib/routes/native/password-and-email.ts';
import { verifyEmail, verifyLinkIsValid } from '../lib/use-cases/email-verification.ts';
import { userView } from '../lib/http/user-view.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['GET', 'POST'], summary: 'Confirms an email address: GET shows the page for a link, POST {token} confirms.' }, async (event) => {
  if (event.requestContext.http.method.toUpperCase() === 'GET') {
    // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
    const token = queryParameter(event, 'token');
    return token && oneTimeTokenField.safeParse(token).success && (await verifyLinkIsValid(token, deps)) ? confirmEmailPage(deps.config, token) : invalidLinkPage(deps.config, 'verify');
  }
  if (!wantsHtml(event)) {
    const { token } = validate(verifyEmailSchema, event.parsedBody ?? {});
    return json(200, { email_verified: true, user: userView(await verifyEmail(token, deps)) });
  }
  try {
    const user = await verifyEmail(validate(verifyEmailSchema, event.parsedBody ?? {}).token, deps);
    return emailVerifiedPage(deps.config, user.email);
  } catch (error) {
    if (error instanceof AppError && error.code !== 'service_unavailable') return invalidLinkPage(deps.config, 'verify');
    throw error;
  }
});
