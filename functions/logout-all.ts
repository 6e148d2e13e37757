// POST /logout/all with an access token: 204, and every session of the user has ended.

import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { logoutAll, logoutAllLambda } from '../lib/routes/native/sessions.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { logoutEverywhere } from '../lib/use-cases/logout.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(logoutAllLambda, [
  implement(logoutAll, async ({ event }) => {
    await logoutEverywhere(await currentUser(bearerToken(event), deps), deps);
    return noContent();
  }),
]);
