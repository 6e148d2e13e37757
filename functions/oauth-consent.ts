// /oauth/consent: a third-party client's request for scopes the user has not allowed it yet
// (lib/routes/native/oauth-consent-handlers.ts).
import { serve } from '../lib/http/endpoint.ts';
import { formErrorPage } from '../lib/pages/oauth-pages.ts';
import { oauthConsentLambda } from '../lib/routes/native/oauth-authorization.ts';
import { consentImplementations } from '../lib/routes/native/oauth-consent-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(oauthConsentLambda, consentImplementations(deps), { errorPage: formErrorPage(deps.config) });
