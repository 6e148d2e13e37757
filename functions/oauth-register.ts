// POST /oauth/register: RFC 7591 dynamic client registration. 201 with the client information
// (the secret only here, once); 400 invalid_redirect_uri / invalid_client_metadata (RFC 7591
// §3.2.2); 401 invalid_token without a live initial access token in `token` mode; 404 when off.
import { getConfig } from '../lib/config/all.ts';
import { AppError } from '../lib/domain/errors.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { clientInformation } from '../lib/http/oauth-client-view.ts';
import { bearerToken, header } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { oauthRegister, oauthRegisterLambda } from '../lib/routes/native/oauth-clients.ts';
import { checkRegistrationAccess, registerClientDynamically } from '../lib/use-cases/dynamic-client-registration.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const mode = getConfig().oauth.dynamicRegistration;
// RFC 6749 §5.1's rule for answers that carry credentials, which RFC 7591 §3.2.1's answer does.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const handler = serve(
  oauthRegisterLambda,
  [
    implement(oauthRegister, async ({ event, body }) => {
      // Off: as if the endpoint did not exist (discovery does not advertise it either).
      if (mode === 'off') return json(404, { error: 'not_found', error_description: 'Dynamic client registration is off.' }, NO_STORE);
      await checkRegistrationAccess(mode, bearerToken(event), deps);
      // RFC 7591 §3.1: the metadata is sent as JSON.
      const mediaType = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (mediaType !== 'application/json')
        throw new AppError('unsupported_media_type', 'Send the client metadata as application/json (RFC 7591 section 3.1).');
      const { client, secret } = await registerClientDynamically(body, deps);
      return json(201, clientInformation(client, secret), NO_STORE);
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
