// GET /me: the caller's account, for `Authorization: Bearer <token>` or `X-Auth-Token: <token>`.

import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { me, meLambda } from '../lib/routes/native/accounts.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(meLambda, [
  implement(me, async ({ event }) => {
    const { user } = await currentUser(bearerToken(event), deps);
    return json(200, { is_authenticated: true, user: userView(user) });
  }),
]);
