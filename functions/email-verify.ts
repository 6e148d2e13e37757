// /email/verify: GET ?token= is the page with a confirm button (a GET never spends the token, so
// mail scanners that open links cannot); POST {token} confirms the address, for pages and API clients.
import { dependencies } from '../lib/app.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/http/validate.ts';
import { confirmEmailPage, emailVerifiedPage, invalidLinkPage } from '../lib/pages/account-pages.ts';
import { verifyEmail, verifyEmailSchema, verifyLinkIsValid } from '../lib/use-cases/email-verification.ts';
import { oneTimeTokenField } from '../lib/use-cases/password-reset.ts';
import { userView } from '../lib/user-view.ts';

const deps = dependencies();

export const handler = httpRoute(
  {
    methods: ['GET', 'POST'],
    summary: 'Confirms an email address: GET shows the page for a link, POST {token} confirms.',
    // The page's button: any refusal means the link cannot be used; an outage stays a 503.
    errorPage: (error) => (error.code === 'service_unavailable' ? undefined : invalidLinkPage(deps.config, 'verify')),
  },
  async (event) => {
    if (event.requestContext.http.method.toUpperCase() === 'GET') {
      // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await verifyLinkIsValid(token, deps)) ? confirmEmailPage(deps.config, token) : invalidLinkPage(deps.config, 'verify');
    }
    const user = await verifyEmail(validate(verifyEmailSchema, event.parsedBody ?? {}).token, deps);
    return wantsHtml(event) ? emailVerifiedPage(deps.config, user.email) : json(200, { email_verified: true, user: userView(user) });
  },
);
