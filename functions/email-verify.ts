// /email/verify: GET ?token= is the page with a confirm button (a GET never spends the token, so
// mail scanners that open links cannot); POST {token} confirms the address, for pages and API clients.
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { confirmEmailPage, emailVerifiedPage, invalidLinkPage } from '../lib/pages/account-pages.ts';
import { emailVerifyLambda, oneTimeTokenField, verifyEmail, verifyEmailPage } from '../lib/routes/native/password-and-email.ts';
import { verifyEmail as confirmEmail, verifyLinkIsValid } from '../lib/use-cases/email-verification.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  emailVerifyLambda,
  [
    implement(verifyEmailPage, async ({ event }) => {
      // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await verifyLinkIsValid(token, deps))
        ? confirmEmailPage(deps.config, token)
        : invalidLinkPage(deps.config, 'verify');
    }),
    implement(verifyEmail, async ({ event, body }) => {
      const user = await confirmEmail(body!.token, deps);
      return wantsHtml(event) ? emailVerifiedPage(deps.config, user.email) : json(200, { email_verified: true, user: userView(user) });
    }),
  ],
  // The page's button: any refusal means the link cannot be used; an outage stays a 503.
  { errorPage: (error) => (error.code === 'service_unavailable' ? undefined : invalidLinkPage(deps.config, 'verify')) },
);
