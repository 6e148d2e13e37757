// /me: GET the caller's account (`Authorization: Bearer <token>` or `X-Auth-Token: <token>`);
// DELETE it {password}, with a recent sign-in; a retry with the same token finishes an
// interrupted deletion (lib/use-cases/account-deletion.ts).

import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { deleteMe } from '../lib/routes/native/account-data.ts';
import { me, meLambda } from '../lib/routes/native/accounts.ts';
import { deleteAccount } from '../lib/use-cases/account-deletion.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  meLambda,
  [
    implement(me, async ({ event }) => {
      const { user } = await currentUser(bearerToken(event), deps);
      return json(200, { is_authenticated: true, user: userView(user) });
    }),
    implement(deleteMe, async ({ event, body }) => {
      // Only this call lets a token of an account being deleted through, to finish the deletion.
      const caller = await currentUser(bearerToken(event), deps, { deletedAccount: 'allow' });
      requireSessionToken(caller, 'Deleting the account');
      await deleteAccount(caller.user, body!, tokenAuthentication(caller.claims), deps);
      return noContent();
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
