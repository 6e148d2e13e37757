// POST /oauth/revoke (RFC 7009): an OAuth client revokes a refresh or access token issued to it.
import { ValidationError } from '../lib/domain/errors.ts';
import { formParameters, presentedClient } from '../lib/http/client-credentials.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { oauthRevoke, oauthRevokeLambda } from '../lib/routes/native/oauth-tokens.ts';
import { authenticateClient } from '../lib/use-cases/oauth-client-authentication.ts';
import { revokeClientToken } from '../lib/use-cases/oauth-revocation.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

/** Longer than any token we issue; a longer one cannot be ours (and is not worth a lookup). */
const MAX_TOKEN = 8192;

export const handler = serve(
  oauthRevokeLambda,
  [
    implement(oauthRevoke, async ({ event }) => {
      const params = formParameters(event);
      // RFC 7009 §2.1: the client authenticates first (as at the token endpoint, OAuth 2.1 §3.2.1).
      const client = await authenticateClient(presentedClient(event, params), deps);
      const { token, token_type_hint: hint } = params;
      if (typeof token !== 'string' || token === '') throw new ValidationError([{ field: 'token', message: 'This parameter is required.' }]);
      if (token.length <= MAX_TOKEN) await revokeClientToken(client, token, hint, deps);
      // RFC 7009 §2.2: 200 whether or not there was anything to revoke; the body is ignored.
      return { statusCode: 200, headers: { 'cache-control': 'no-store' }, body: '' };
    }),
  ],
  // Browser clients call it from their own origins (the origins of their redirect URIs).
  { ipBudget: (scope) => ipBudget(scope, deps), corsOriginCheck: (origin) => deps.oauthClients.isClientOrigin(origin) },
);
