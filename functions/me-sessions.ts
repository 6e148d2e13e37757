// GET /me/sessions: the caller's live sessions, newest first, the caller's own marked `current`.

import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { sessionView } from '../lib/http/session-view.ts';
import { listMySessions, meSessionsLambda } from '../lib/routes/native/account-data.ts';
import { listSessions } from '../lib/use-cases/account-sessions.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(meSessionsLambda, [
  implement(listMySessions, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    requireSessionToken(caller, 'Listing your sessions');
    return json(200, { sessions: (await listSessions(caller.user, caller.claims.sid, deps)).map(sessionView) });
  }),
]);
