// POST /refresh {refresh_token}: a new access token and a new refresh token; the old one is spent.

import { implement, serve } from '../lib/http/endpoint.ts';
import { json } from '../lib/http/response.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { refresh, refreshLambda } from '../lib/routes/native/sessions.ts';
import { refreshSession } from '../lib/use-cases/sessions.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(refreshLambda, [
  implement(refresh, async ({ body }) => {
    const tokens = await refreshSession(body!.refresh_token, deps);
    return json(200, sessionTokensBody(tokens, deps.clock.now()));
  }),
]);
