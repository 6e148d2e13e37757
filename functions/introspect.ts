// POST /introspect {token} (RFC 7662), authenticated with the calling service's own service token.

import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { introspect, introspectLambda } from '../lib/routes/native/service-tokens.ts';
import { introspectionCaller, introspect as introspectToken } from '../lib/use-cases/introspect.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(introspectLambda, [
  implement(introspect, async ({ event, body }) => {
    const caller = await introspectionCaller(bearerToken(event), deps);
    return json(200, await introspectToken(caller, body!.token, deps));
  }),
]);
