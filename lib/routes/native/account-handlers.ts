// /account's operations (served by functions/account.ts): the hosted account page of the browser
// session's user. Without a session it shows a sign-in form (account-sign-in-handlers.ts); with one,
// the page (account-home-view.ts), and each form's action goes to the section's handlers
// (account-<section>-actions.ts). Changes that need step-up (a recent sign-in, with the second
// factor once the account has one) answer with the sign-in form again when it is missing; the
// browser session then records the new sign-in.
import { AppError, StepUpRequiredError } from '../../domain/errors.ts';
import { checkCsrf } from '../../http/csrf.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { queryParameter } from '../../http/request.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import { withFlowErrorPages } from '../../pages/oauth-pages.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { accountContext, actionsPurpose, SIGN_IN_PURPOSE } from './account-context.ts';
import { credentialActions } from './account-credential-actions.ts';
import { deletionActions } from './account-deletion-actions.ts';
import { factorActions } from './account-factor-actions.ts';
import { doneMessage, renderHome } from './account-home-view.ts';
import { type ACCOUNT_ACTIONS, type AccountAction, accountPageGet, accountPagePost, accountSignInPost } from './account-page.ts';
import { sessionActions } from './account-session-actions.ts';
import { accountSignIn } from './account-sign-in-handlers.ts';
import { tokenActions } from './account-token-actions.ts';

type Action = (event: HttpEvent, signedIn: SignedIn, form: AccountAction) => Promise<HttpResult>;

export function accountImplementations(deps: Dependencies): Implementation[] {
  const { config } = deps;
  const context = accountContext(deps, renderHome);
  const { signInForm, signIn } = accountSignIn(context);
  // Every action has its handler: the compiler checks the list against the schema's.
  const actions = {
    ...credentialActions(context),
    ...sessionActions(context),
    ...factorActions(context),
    ...tokenActions(context),
    ...deletionActions(context),
  } satisfies Record<(typeof ACCOUNT_ACTIONS)[number], Action>;

  return [
    implement(accountPageGet, ({ event }) =>
      withFlowErrorPages(config, async () => {
        const signedIn = await context.session(event);
        if (!signedIn) return signInForm(event);
        const message = doneMessage(event);
        const eventsCursor = queryParameter(event, 'events');
        return context.home(event, signedIn, { ...(message ? { message } : {}), ...(eventsCursor ? { eventsCursor } : {}) });
      }),
    ),
    implement(accountSignInPost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        checkCsrf(event, body!.csrf_token, SIGN_IN_PURPOSE, config.publicUrl);
        return signIn(event, body!);
      }),
    ),
    implement(accountPagePost, ({ event, body }) =>
      withFlowErrorPages(config, async () => {
        const signedIn = await context.session(event);
        // The session ended meanwhile (signed out elsewhere, expired): sign in again.
        if (!signedIn) return signInForm(event, { error: 'You are signed out. Sign in again.', status: 401 });
        checkCsrf(event, body!.csrf_token, actionsPurpose(signedIn), config.publicUrl);
        try {
          return await actions[body!.action](event, signedIn, body!);
        } catch (error) {
          if (error instanceof StepUpRequiredError) return signInForm(event, { login: signedIn.user.username, reason: 'step-up', status: 401 });
          // An expected refusal (nothing to remove, already enrolled, too many passkeys): said on the page.
          if (error instanceof AppError && error.code !== 'service_unavailable')
            return context.home(event, signedIn, { message: { kind: 'bad', text: error.message }, status: 400 });
          throw error;
        }
      }),
    ),
  ];
}
