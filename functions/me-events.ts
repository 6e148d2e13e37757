// GET /me/events: the caller's security events, newest first, a page at a time. Needs a session
// access token (an API token cannot read the account's audit trail).
import { requireSessionToken } from '../lib/auth/token-checker.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { securityEventView } from '../lib/http/security-event-view.ts';
import { eventsQuery, listMyEvents, meEventsLambda } from '../lib/routes/native/security-events.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { listSecurityEvents } from '../lib/use-cases/security-events.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(meEventsLambda, [
  implement(listMyEvents, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    requireSessionToken(caller, 'Reading security events');
    const query = eventsQuery(event);
    const page = await listSecurityEvents(caller.user, query, deps);
    return json(200, { events: page.events.map(securityEventView), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) });
  }),
]);
