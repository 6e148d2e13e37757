// POST /logout with the access token (and optionally {refresh_token}), or with only {refresh_token}
// when the access token has expired: 204, and that session is over.

import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { logout, logoutLambda } from '../lib/routes/native/sessions.ts';
import { logoutWith } from '../lib/use-cases/logout.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(logoutLambda, [
  implement(logout, async ({ event, body }) => {
    await logoutWith(bearerToken(event), body?.refresh_token, deps);
    return noContent();
  }),
]);
