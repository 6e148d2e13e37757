// DELETE /me/sessions/{id}: ends one of the caller's sessions; another user's or an unknown id is 404.

import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { noContent } from '../lib/http/response.ts';
import { endMySession, meSessionLambda } from '../lib/routes/native/account-data.ts';
import { endSession } from '../lib/use-cases/account-sessions.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(meSessionLambda, [
  implement(endMySession, async ({ event, params }) => {
    const caller = await currentUser(bearerToken(event), deps);
    requireSessionToken(caller, 'Ending a session');
    await endSession(caller.user, params.id ?? '', deps);
    return noContent();
  }),
]);
