// /email/change: GET ?token= is the page with a confirm button (a GET never spends the link);
// POST {token} makes the email change, for the page and for API clients.
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { addressTakenPage, confirmEmailChangePage, emailChangedPage, invalidEmailChangeLinkPage } from '../lib/pages/email-change-pages.ts';
import { confirmEmailChange, emailChangeLambda, emailChangePage } from '../lib/routes/native/account-changes.ts';
import { oneTimeTokenField } from '../lib/routes/native/password-and-email.ts';
import { emailChangeLinkIsValid, confirmEmailChange as makeChange } from '../lib/use-cases/email-change.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  emailChangeLambda,
  [
    implement(emailChangePage, async ({ event }) => {
      // Only ?token= is read; other parameters (mail trackers add some) are ignored on a link.
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await emailChangeLinkIsValid('change', token, deps))
        ? confirmEmailChangePage(deps.config, token)
        : invalidEmailChangeLinkPage(deps.config, 'change');
    }),
    implement(confirmEmailChange, async ({ event, body }) => {
      const user = await makeChange(body!.token, deps);
      return wantsHtml(event) ? emailChangedPage(deps.config, user.email) : json(200, { email: user.email, user: userView(user) });
    }),
  ],
  {
    // The page's button: an address taken meanwhile says so; any other refusal means the link cannot be used; an outage stays a 503.
    errorPage: (error) => {
      if (error.code === 'service_unavailable') return undefined;
      return error.code === 'conflict' ? addressTakenPage(deps.config) : invalidEmailChangeLinkPage(deps.config, 'change');
    },
  },
);
