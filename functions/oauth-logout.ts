// /oauth/logout: the end_session_endpoint, RP-Initiated Logout 1.0 (lib/routes/native/oauth-logout-handlers.ts).
import { serve } from '../lib/http/endpoint.ts';
import { formErrorPage } from '../lib/pages/oauth-pages.ts';
import { oauthLogoutLambda } from '../lib/routes/native/oauth-authorization.ts';
import { logoutImplementations } from '../lib/routes/native/oauth-logout-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(oauthLogoutLambda, logoutImplementations(deps), { errorPage: formErrorPage(deps.config) });
