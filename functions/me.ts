// GET /me: the caller's account, for `Authorization: Bearer <token>` or `X-Auth-Token: <token>`.
import { dependencies } from '../lib/app.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { userView } from '../lib/user-view.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['GET'], summary: 'The account behind a bearer token.' }, async (event) => {
  const { user } = await currentUser(bearerToken(event), deps);
  return json(200, { is_authenticated: true, user: userView(user) });
});
