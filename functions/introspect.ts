// POST /introspect {token} (RFC 7662), authenticated with the calling service's own service token,
// or as a confidential OAuth client (client_secret_basic or client_secret_post, RFC 7662 §2.1).

import { presentedClient } from '../lib/http/client-credentials.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { introspect, introspectLambda } from '../lib/routes/native/service-tokens.ts';
import { introspectForClient, introspectionCaller, introspectionClient, introspect as introspectToken } from '../lib/use-cases/introspect.ts';
import { authenticateClient } from '../lib/use-cases/oauth-client-authentication.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(introspectLambda, [
  implement(introspect, async ({ event, body }) => {
    const serviceToken = bearerToken(event);
    // A bearer credential is a service's; without one, the caller is an OAuth client, or nobody.
    const client = serviceToken === undefined ? presentedClient(event, event.parsedBody ?? {}) : undefined;
    if (client) {
      const caller = introspectionClient(await authenticateClient(client, deps));
      return json(200, await introspectForClient(caller, body!.token, deps));
    }
    const caller = await introspectionCaller(serviceToken, deps);
    return json(200, await introspectToken(caller, body!.token, deps));
  }),
]);
