// /email/revert: GET ?token= is the page with an undo button (a GET never spends the link);
// POST {token} puts the old address back and ends every session and API token of the account.
import { implement, serve } from '../lib/http/endpoint.ts';
import { queryParameter, wantsHtml } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { addressTakenPage, emailRevertedPage, invalidEmailChangeLinkPage, revertEmailChangePage } from '../lib/pages/email-change-pages.ts';
import { emailRevertLambda, emailRevertPage, revertEmailChange } from '../lib/routes/native/account-changes.ts';
import { oneTimeTokenField } from '../lib/routes/native/password-and-email.ts';
import { emailChangeLinkIsValid, revertEmailChange as undoChange } from '../lib/use-cases/email-change.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  emailRevertLambda,
  [
    implement(emailRevertPage, async ({ event }) => {
      const token = queryParameter(event, 'token');
      return token && oneTimeTokenField.safeParse(token).success && (await emailChangeLinkIsValid('revert', token, deps))
        ? revertEmailChangePage(deps.config, token)
        : invalidEmailChangeLinkPage(deps.config, 'revert');
    }),
    implement(revertEmailChange, async ({ event, body }) => {
      const user = await undoChange(body!.token, deps);
      if (wantsHtml(event)) return emailRevertedPage(deps.config, user.email);
      return json(200, {
        message: 'The old address is back, and every session and API token of the account has ended. Choose a new password if you did not make the change.',
      });
    }),
  ],
  {
    errorPage: (error) => {
      if (error.code === 'service_unavailable') return undefined;
      return error.code === 'conflict' ? addressTakenPage(deps.config) : invalidEmailChangeLinkPage(deps.config, 'revert');
    },
  },
);
