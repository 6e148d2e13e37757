// POST /me/email {new_email, password}: 202; a link to the new address makes the change. Needs a
// login session's access token.
import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { changeEmail, meEmailLambda } from '../lib/routes/native/account-changes.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { EMAIL_CHANGE_REQUESTED, requestEmailChange } from '../lib/use-cases/email-change.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  meEmailLambda,
  [
    implement(changeEmail, async ({ event, body }) => {
      const caller = await currentUser(bearerToken(event), deps);
      requireSessionToken(caller, 'Changing the email address');
      await requestEmailChange(caller.user, { newEmail: body!.new_email, password: body!.password }, deps, tokenAuthentication(caller.claims));
      return json(202, { message: EMAIL_CHANGE_REQUESTED });
    }),
  ],
  // The password is checked: the per-IP budget of every route that checks one.
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
