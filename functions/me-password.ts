// POST /me/password {current_password, new_password, keep_other_sessions?}: 204; every other
// session ends unless asked to stay; needs a login session's access token.
import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { changePassword, mePasswordLambda } from '../lib/routes/native/account-changes.ts';
import { changePassword as setNewPassword } from '../lib/use-cases/change-password.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  mePasswordLambda,
  [
    implement(changePassword, async ({ event, body }) => {
      const caller = await currentUser(bearerToken(event), deps);
      requireSessionToken(caller, 'Changing the password');
      const input = { currentPassword: body!.current_password, newPassword: body!.new_password, keepOtherSessions: body!.keep_other_sessions === true };
      // The caller's session (sid) is the one that stays; a sessionless dialect token keeps none.
      await setNewPassword(caller.user, input, caller.claims.sid, deps, tokenAuthentication(caller.claims));
      return noContent();
    }),
  ],
  // The password is checked: the per-IP budget of every route that checks one.
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
