// POST /oauth/token (OAuth 2.1 §3.2): client authentication, then the authorization_code,
// refresh_token or client_credentials grant; RFC 6749 §5.1 answers and §5.2 errors.
import { formParameters, presentedClient } from '../lib/http/client-credentials.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { tokenResponse } from '../lib/http/oauth-token-view.ts';
import { oauthToken, oauthTokenLambda } from '../lib/routes/native/oauth-tokens.ts';
import { tokenRequest } from '../lib/use-cases/oauth-token.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(
  oauthTokenLambda,
  [
    implement(oauthToken, async ({ event }) => {
      const params = formParameters(event);
      return tokenResponse(await tokenRequest(presentedClient(event, params), params, deps), deps.clock.now());
    }),
  ],
  // Browser clients call it from their own origins (the origins of their redirect URIs).
  { ipBudget: (scope) => ipBudget(scope, deps), corsOriginCheck: (origin) => deps.oauthClients.isClientOrigin(origin) },
);
